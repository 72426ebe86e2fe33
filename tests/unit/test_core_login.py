"""The login proof: the device signs the nonce, bound to its kid and to the login context."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from procuration import jws, keys
from procuration.canonical import b64url
from procuration.errors import SignatureError
from procuration.login import LOGIN_CTX, login_message, nonce_signature_valid, sign_nonce

KEY = Ed25519PrivateKey.generate()
KID = keys.kid_of(KEY)
NONCE = "n0nce-abc_DEF"


def test_the_signed_message_is_documented_canonical_json() -> None:
    expected = f'{{"ctx":"{LOGIN_CTX}","kid":"{KID}","nonce":"{NONCE}"}}'.encode()
    assert login_message(NONCE, KID) == expected


def test_a_proof_verifies_only_for_its_nonce_kid_and_key() -> None:
    proof = sign_nonce(NONCE, KID, KEY)
    public = KEY.public_key()
    assert nonce_signature_valid(NONCE, KID, proof, public)
    assert not nonce_signature_valid(NONCE + "x", KID, proof, public)
    assert not nonce_signature_valid(NONCE, "another-kid", proof, public)
    assert not nonce_signature_valid(NONCE, KID, proof, Ed25519PrivateKey.generate().public_key())


def test_malformed_or_altered_proofs_are_false_not_exceptions() -> None:
    proof = sign_nonce(NONCE, KID, KEY)
    public = KEY.public_key()
    flipped = ("B" if proof[0] == "A" else "A") + proof[1:]
    for bad in (flipped, proof + "=", "", "not base64!", proof[:-2]):
        assert not nonce_signature_valid(NONCE, KID, bad, public)


def test_a_login_proof_is_not_a_jws_signature() -> None:
    # A raw signature over the login message cannot pass for a signed object of another kind.
    proof = sign_nonce(NONCE, KID, KEY)
    header = b64url(b'{"alg":"Ed25519","kid":"' + KID.encode() + b'","typ":"mpr-validation"}')
    token = f"{header}.{b64url(login_message(NONCE, KID))}.{proof}"
    with pytest.raises(SignatureError):
        jws.verify(token, {KID: KEY.public_key()}, "mpr-validation")

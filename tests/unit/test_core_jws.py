"""Ed25519 JWS: the algorithm is pinned, the key must be trusted, the typ must match, and
any changed byte of a token is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from procuration import jws, keys
from procuration.canonical import b64url, canonical_json
from procuration.errors import SignatureError

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KID = keys.kid_of(KEY)
TRUSTED = {KID: KEY.public_key()}
TYP = "mpr-validation"
PAYLOAD = {"ctx": "maprocuration/validation/v1", "reference": "7K3QZ9", "device_seq": 42}
TOKEN = jws.sign(PAYLOAD, KEY, TYP)


def _forge(header: dict[str, Any], payload: dict[str, Any] = PAYLOAD) -> str:
    """A token whose signature is genuine over a header the signer chose."""
    encoded = f"{b64url(json.dumps(header).encode())}.{b64url(canonical_json(payload))}"
    return f"{encoded}.{b64url(KEY.sign(encoded.encode()))}"


def _reason(token: str, trusted: jws.KeyLookup = TRUSTED, typ: str = TYP) -> str:
    with pytest.raises(SignatureError) as caught:
        jws.verify(token, trusted, typ)
    return caught.value.reason


def test_round_trip_gives_back_the_exact_signed_bytes() -> None:
    verified = jws.verify(TOKEN, TRUSTED, TYP)
    assert verified.payload == PAYLOAD
    assert verified.kid == KID and verified.typ == TYP
    assert verified.payload_bytes == canonical_json(PAYLOAD)
    assert jws.unverified_header(TOKEN) == {"alg": "Ed25519", "kid": KID, "typ": TYP}


def test_a_key_lookup_function_is_accepted() -> None:
    assert jws.verify(TOKEN, TRUSTED.get, TYP).payload == PAYLOAD


@given(st.dictionaries(st.text(max_size=8), st.text(max_size=8) | st.integers(0, 10**9)))
def test_any_payload_round_trips(payload: dict[str, Any]) -> None:
    # Strings come back NFC-normalized (e.g. U+F900 is U+4E3D): that is what was signed.
    signed = json.loads(canonical_json(payload))
    assert jws.verify(jws.sign(payload, KEY, TYP), TRUSTED, TYP).payload == signed


_ALL_CHARS = [chr(code) for code in range(256)]


@settings(max_examples=300)
@given(st.integers(0, len(TOKEN) - 1), st.sampled_from(_ALL_CHARS))
def test_any_changed_byte_is_refused(position: int, replacement: str) -> None:
    if TOKEN[position] == replacement:
        replacement = chr((ord(replacement) + 1) % 256)
    changed = TOKEN[:position] + replacement + TOKEN[position + 1 :]
    with pytest.raises(SignatureError):
        jws.verify(changed, TRUSTED, TYP)


@settings(max_examples=100)
@given(st.integers(0, len(TOKEN) - 1))
def test_any_dropped_or_doubled_byte_is_refused(position: int) -> None:
    for changed in (
        TOKEN[:position] + TOKEN[position + 1 :],
        TOKEN[:position] + TOKEN[position] + TOKEN[position:],
    ):
        with pytest.raises(SignatureError):
            jws.verify(changed, TRUSTED, TYP)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ({"alg": "none", "kid": KID, "typ": TYP}, "algorithm"),
        ({"alg": "EdDSA", "kid": KID, "typ": TYP}, "algorithm"),
        ({"alg": "HS256", "kid": KID, "typ": TYP}, "algorithm"),
        ({"alg": "Ed25519", "kid": KID, "typ": TYP, "crit": ["b64"]}, "algorithm"),
        ({"alg": "Ed25519", "kid": KID, "typ": TYP, "jwk": {"kty": "OKP"}}, "algorithm"),
        ({"alg": "Ed25519", "typ": TYP}, "malformed"),
        ({"alg": "Ed25519", "kid": 7, "typ": TYP}, "malformed"),
        ({"alg": "Ed25519", "kid": "someone-else", "typ": TYP}, "unknown-key"),
        ({"alg": "Ed25519", "kid": KID, "typ": "mpr-request"}, "wrong-type"),
        ({"alg": "Ed25519", "kid": KID}, "wrong-type"),
    ],
)
def test_headers_that_are_refused(header: dict[str, Any], reason: str) -> None:
    assert _reason(_forge(header)) == reason


def test_alg_none_with_an_empty_signature_is_malformed() -> None:
    header = b64url(json.dumps({"alg": "none", "kid": KID, "typ": TYP}).encode())
    assert _reason(f"{header}.{b64url(canonical_json(PAYLOAD))}.") == "malformed"


def test_typ_is_enforced_for_a_genuine_token() -> None:
    assert _reason(TOKEN, typ="mpr-checkpoint") == "wrong-type"


def test_another_trusted_key_under_the_same_kid_does_not_verify() -> None:
    impostor = Ed25519PrivateKey.generate().public_key()
    assert _reason(TOKEN, {KID: impostor}) == "bad-signature"
    assert _reason(TOKEN, {}) == "unknown-key"


@pytest.mark.parametrize(
    "token",
    ["", "a.b", "a.b.c.d", "..", "a..c", "x" * (jws.MAX_TOKEN_LENGTH + 1), "e30.e30.AA"],
)
def test_malformed_tokens(token: str) -> None:
    with pytest.raises(SignatureError):
        jws.verify(token, TRUSTED, TYP)


def test_payload_must_be_a_json_object() -> None:
    encoded = (
        f"{b64url(canonical_json({'alg': 'Ed25519', 'kid': KID, 'typ': TYP}))}.{b64url(b'[1]')}"
    )
    token = f"{encoded}.{b64url(KEY.sign(encoded.encode()))}"
    assert _reason(token) == "malformed"

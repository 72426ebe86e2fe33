"""Challenge-response login: the device proves it holds its enrolled key.

The device signs the canonical JSON `{"ctx": LOGIN_CTX, "kid": kid, "nonce": nonce}` with
its Ed25519 key; `nonce_signature` is that raw signature in base64url. The context string
keeps a login proof from ever being mistaken for any other signed object.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from procuration.canonical import b64url, b64url_decode, canonical_json

LOGIN_CTX = "maprocuration/login/v1"


def login_message(nonce: str, kid: str) -> bytes:
    return canonical_json({"ctx": LOGIN_CTX, "kid": kid, "nonce": nonce})


def sign_nonce(nonce: str, kid: str, key: Ed25519PrivateKey) -> str:
    return b64url(key.sign(login_message(nonce, kid)))


def nonce_signature_valid(
    nonce: str, kid: str, signature: str, public_key: Ed25519PublicKey
) -> bool:
    try:
        public_key.verify(b64url_decode(signature), login_message(nonce, kid))
    except (ValueError, InvalidSignature):
        return False
    return True

"""JWS compact serialization (RFC 7515) with Ed25519 only, over RFC 8785 canonical JSON.

The algorithm is pinned: whatever a header claims, only "Ed25519" (RFC 9864) with a key the
caller trusts is ever accepted, so "alg":"none" or key-confusion tricks have nothing to hold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from procuration.canonical import b64url, b64url_decode, canonical_json
from procuration.errors import SignatureError
from procuration.keys import kid_of

ALGORITHM = "Ed25519"
MAX_TOKEN_LENGTH = 16 * 1024

KeyLookup = Callable[[str], Ed25519PublicKey | None] | Mapping[str, Ed25519PublicKey]


@dataclass(frozen=True)
class Verified:
    """What a good signature vouches for: the key, the header and the exact signed bytes."""

    kid: str
    typ: str
    payload: dict[str, Any]
    payload_bytes: bytes


def sign(payload: Mapping[str, Any], key: Ed25519PrivateKey, typ: str) -> str:
    header = {"alg": ALGORITHM, "kid": kid_of(key), "typ": typ}
    signing_input = f"{b64url(canonical_json(header))}.{b64url(canonical_json(dict(payload)))}"
    signature = key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def _decode_json_object(segment: str, what: str) -> tuple[dict[str, Any], bytes]:
    try:
        raw = b64url_decode(segment)
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SignatureError("malformed", f"{what} is not base64url JSON") from exc
    if not isinstance(value, dict):
        raise SignatureError("malformed", f"{what} is not a JSON object")
    return value, raw


def _split(token: str) -> tuple[str, str, str]:
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise SignatureError("malformed", "missing or oversized token")
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise SignatureError("malformed", "not a JWS compact serialization")
    return parts[0], parts[1], parts[2]


def _resolve(keys: KeyLookup, kid: str) -> Ed25519PublicKey | None:
    if isinstance(keys, Mapping):
        return keys.get(kid)
    return keys(kid)


def unverified_header(token: str) -> dict[str, Any]:
    """The protected header, for routing only (which key to look up); never trust it."""
    header_segment, _, _ = _split(token)
    header, _ = _decode_json_object(header_segment, "header")
    return header


def verify(token: str, keys: KeyLookup, typ: str) -> Verified:
    """Checks `token` against the trusted `keys` and the expected `typ`.

    Raises SignatureError with a stable reason on any doubt.
    """
    header_segment, payload_segment, signature_segment = _split(token)
    header, _ = _decode_json_object(header_segment, "header")
    if header.get("alg") != ALGORITHM or set(header) - {"alg", "kid", "typ"}:
        raise SignatureError("algorithm", "only Ed25519 with kid and typ is accepted")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise SignatureError("malformed", "kid missing")
    public_key = _resolve(keys, kid)
    if public_key is None:
        raise SignatureError("unknown-key", kid)
    try:
        signature = b64url_decode(signature_segment)
        public_key.verify(signature, f"{header_segment}.{payload_segment}".encode("ascii"))
    except (ValueError, InvalidSignature) as exc:
        raise SignatureError("bad-signature") from exc
    if header.get("typ") != typ:
        raise SignatureError("wrong-type", str(header.get("typ")))
    payload, payload_bytes = _decode_json_object(payload_segment, "payload")
    return Verified(kid=kid, typ=typ, payload=payload, payload_bytes=payload_bytes)

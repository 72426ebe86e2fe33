"""RFC 8785 canonical JSON with NFC-normalized strings, the bytes every signature covers."""

from __future__ import annotations

import base64
import hashlib
import unicodedata
from typing import Any

import rfc8785


def nfc(value: Any) -> Any:
    """`value` with every string (keys included) in Unicode NFC.

    A name typed on one keyboard as "é" and on another as "e" + combining accent must hash
    and sign the same way.
    """
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [nfc(v) for v in value]
    if isinstance(value, float):
        raise TypeError("floats are not allowed on the wire")
    return value


def canonical_json(value: Any) -> bytes:
    return rfc8785.dumps(nfc(value))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding: anything else is refused."""
    if "=" in text or not text.isascii():
        raise ValueError("padded or non-ASCII base64url")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url(raw) != text:
        raise ValueError("non-canonical base64url")
    return raw


def sha256_b64url(data: bytes) -> str:
    return b64url(hashlib.sha256(data).digest())


def digest_of(value: Any) -> str:
    """base64url(SHA-256(canonical JSON of `value`))."""
    return sha256_b64url(canonical_json(value))

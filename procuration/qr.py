"""What a QR code (or a USB scanner typing one) can hold: `MPR1:` + JWS, a bare reference,
or a URL ending in a reference. Anything else is refused with a typed error."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from procuration import jws, timeutil
from procuration import reference as reference_codec
from procuration.errors import PayloadError, SignatureError
from procuration.models import REQUEST_TYP, RequestQrPayload

PREFIX = "MPR1:"
MAX_PAYLOAD_BYTES = 4096
# A QR issued by the PC of a station whose clock is a little ahead must still be readable.
_CLOCK_SKEW = timedelta(minutes=5)
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class BareReference:
    """A scan that only names a reference: the identity must be looked up online."""

    reference: str


@dataclass(frozen=True)
class SignedRequest:
    """A scan that carries the identity, signed by the backend's issuer key (unverified)."""

    token: str


Scanned = BareReference | SignedRequest


def encode_request(payload: RequestQrPayload, issuer_key: Ed25519PrivateKey) -> str:
    # Members left unset (a proxy's `mandataire`, `cancels`) are left out, not signed as null.
    body = payload.model_dump(mode="json", exclude_none=True)
    return PREFIX + jws.sign(body, issuer_key, REQUEST_TYP)


def _as_text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError("not-text") from exc


def classify(data: bytes | str) -> Scanned:
    """What kind of scan `data` is, without checking any signature."""
    if len(data) > MAX_PAYLOAD_BYTES:
        raise PayloadError("too-large", str(len(data)))
    text = _as_text(data).strip()
    if not text:
        raise PayloadError("empty")
    if text[: len(PREFIX)].upper() == PREFIX:
        token = text[len(PREFIX) :]
        jws.unverified_header(token)  # raises SignatureError("malformed") early
        return SignedRequest(token)
    candidate = _url_tail(text) if _URL.match(text) else text
    # A bare scan is short: a long text that happens to normalize to 6 characters is noise.
    if len(candidate) <= 9 and reference_codec.is_reference(candidate):
        return BareReference(reference_codec.parse(candidate))
    raise PayloadError("unrecognized")


def _url_tail(url: str) -> str:
    """The last segment of a URL's path, query or fragment: where a reference would stand."""
    return re.split(r"[/=#?]", url.rstrip("/"))[-1]


def verify_request(
    scanned: SignedRequest, issuer_keys: jws.KeyLookup, at: datetime
) -> RequestQrPayload:
    """The request a signed QR vouches for, checked against trusted issuer keys and `at`."""
    verified = jws.verify(scanned.token, issuer_keys, REQUEST_TYP)
    try:
        payload = RequestQrPayload.model_validate(verified.payload)
    except ValidationError as exc:
        if verified.payload.get("ctx") != RequestQrPayload.model_fields["ctx"].default:
            raise SignatureError("wrong-context", str(verified.payload.get("ctx"))) from exc
        raise SignatureError("payload", "fields do not match the request schema") from exc
    if at < timeutil.from_wire(payload.iat) - _CLOCK_SKEW:
        raise PayloadError("not-yet-valid", payload.iat)
    if at >= timeutil.from_wire(payload.exp):
        raise PayloadError("expired", payload.exp)
    return payload

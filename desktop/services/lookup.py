"""From what was typed or scanned to what the counter view displays.

A bare reference needs the backend. A signed `MPR1:` payload carries the identity and is
verified against the cached trust list, so it works offline; when the backend answers too,
its fuller answer (status, scope, prior validation) wins.
"""

from __future__ import annotations

import logging
from datetime import datetime

from desktop.services.api_client import ApiClient
from desktop.services.errors import InputError, NetworkError, OfflineError
from desktop.services.ports import DisplayedRequest, LookupResult, LookupSource
from desktop.services.trust import TrustStore
from procuration import qr
from procuration import reference as reference_codec
from procuration.errors import InvalidReferenceError, PayloadError, SignatureError
from procuration.models import RequestQrPayload

log = logging.getLogger(__name__)


def classify(text: str) -> qr.Scanned:
    """The kind of input, or InputError: `reference-<reason>` for what looks typed by hand
    (empty, too-short, too-long, bad-character), `qr-<reason>` for a bad payload."""
    try:
        return qr.classify(text)
    except SignatureError as exc:
        raise InputError(f"qr {exc.reason}", code=f"qr-{exc.reason}") from exc
    except PayloadError as exc:
        if exc.reason == "too-large":
            raise InputError("qr too large", code="qr-too-large") from exc
    try:
        reference_codec.parse(text)
    except InvalidReferenceError as exc:
        raise InputError(f"reference {exc.reason}", code=f"reference-{exc.reason}") from exc
    raise InputError("unrecognized input", code="qr-unrecognized")


def lookup(
    scanned: qr.Scanned, api: ApiClient, trust: TrustStore, now: datetime, *,
    quick_timeout: float,
) -> LookupResult:  # fmt: skip
    if isinstance(scanned, qr.BareReference):
        try:
            response = api.lookup(scanned.reference)
        except NetworkError as exc:
            raise OfflineError(f"lookup {scanned.reference} needs the server") from exc
        return LookupResult(DisplayedRequest.from_lookup(response), LookupSource.ONLINE)
    payload = verify_signed(scanned, trust, now)
    try:
        # Short timeout: offline, the officer should not wait long for the fallback.
        response = api.lookup(payload.reference, timeout=quick_timeout)
    except NetworkError:
        log.info("lookup %s from the signed QR code only (offline)", payload.reference)
        return LookupResult(DisplayedRequest.from_qr(payload), LookupSource.SIGNED_QR)
    return LookupResult(DisplayedRequest.from_lookup(response), LookupSource.ONLINE)


def lookup_offline(scanned: qr.Scanned, trust: TrustStore, now: datetime) -> LookupResult:
    """In an offline session (no server session at all): a signed QR code only."""
    if not isinstance(scanned, qr.SignedRequest):
        raise OfflineError("typed reference in an offline session", code="offline-session")
    payload = verify_signed(scanned, trust, now)
    return LookupResult(DisplayedRequest.from_qr(payload), LookupSource.SIGNED_QR)


def verify_signed(scanned: qr.SignedRequest, trust: TrustStore, now: datetime) -> RequestQrPayload:
    keys = trust.issuer_keys()  # TrustListError when missing or older than 48 h
    try:
        return qr.verify_request(scanned, keys, now)
    except (SignatureError, PayloadError) as exc:
        raise InputError(f"qr {exc.reason}", code=f"qr-{exc.reason}") from exc

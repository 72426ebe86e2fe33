"""The QR payload codec: what a scan can be, and when a signed request QR is trusted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from procuration import jws, keys, qr, timeutil
from procuration.errors import PayloadError, SignatureError
from procuration.models import REQUEST_TYP, RequestQrPayload

ISSUER = Ed25519PrivateKey.generate()
TRUSTED = {keys.kid_of(ISSUER): ISSUER.public_key()}
IAT = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
EXP = IAT + timedelta(days=61)


def _payload(**changes: str) -> RequestQrPayload:
    fields = {
        "reference": "7K3QZ9",
        "birth_name": "DUPONT-MOREAU",
        "first_names": "Élodie Marie",
        "birth_date": "1984-03-09",
        "commune": "75056",
        "iat": timeutil.to_wire(IAT),
        "exp": timeutil.to_wire(EXP),
        **changes,
    }
    return RequestQrPayload.model_validate(fields)


def _signed(text: str) -> qr.SignedRequest:
    scanned = qr.classify(text)
    assert isinstance(scanned, qr.SignedRequest)
    return scanned


@pytest.mark.parametrize(
    ("scan", "reference"),
    [
        ("7K3QZ9", "7K3QZ9"),
        ("7k3-qz9\n", "7K3QZ9"),
        (b"7K3QZ9", "7K3QZ9"),
        ("https://maprocuration.example/r/7K3QZ9", "7K3QZ9"),
        ("https://maprocuration.example/r/7k3qz9/", "7K3QZ9"),
        ("HTTPS://example.fr/check?ref=7K3QZ9", "7K3QZ9"),
        ("http://example.fr/#7K3QZ9", "7K3QZ9"),
    ],
)
def test_bare_references_and_urls(scan: str | bytes, reference: str) -> None:
    assert qr.classify(scan) == qr.BareReference(reference)


def test_signed_request_round_trip() -> None:
    text = qr.encode_request(_payload(), ISSUER)
    assert text.startswith("MPR1:")
    scanned = _signed(text)
    assert qr.verify_request(scanned, TRUSTED, IAT + timedelta(days=1)) == _payload()
    assert isinstance(qr.classify("mpr1:" + text[5:]), qr.SignedRequest)  # scanners lowercase


@pytest.mark.parametrize(
    ("scan", "reason"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("x" * (qr.MAX_PAYLOAD_BYTES + 1), "too-large"),
        (b"\xff\xfe\x00binary", "not-text"),
        ("hello world", "unrecognized"),
        ("7K3QZ9 and some more text", "unrecognized"),
        ("https://example.fr/r/NOT-A-REF", "unrecognized"),
        ("WIFI:S:station;T:WPA;P:secret;;", "unrecognized"),
    ],
)
def test_scans_that_are_refused(scan: str | bytes, reason: str) -> None:
    with pytest.raises(PayloadError) as caught:
        qr.classify(scan)
    assert caught.value.reason == reason


def test_mpr1_with_garbage_is_malformed() -> None:
    with pytest.raises(SignatureError) as caught:
        qr.classify("MPR1:not-a-jws")
    assert caught.value.reason == "malformed"


def test_expiry_and_not_yet_valid_with_five_minutes_of_skew() -> None:
    scanned = _signed(qr.encode_request(_payload(), ISSUER))
    qr.verify_request(scanned, TRUSTED, IAT - timedelta(minutes=5))
    qr.verify_request(scanned, TRUSTED, EXP - timedelta(seconds=1))
    for moment, reason in (
        (IAT - timedelta(minutes=5, seconds=1), "not-yet-valid"),
        (EXP, "expired"),
    ):
        with pytest.raises(PayloadError) as caught:
            qr.verify_request(scanned, TRUSTED, moment)
        assert caught.value.reason == reason


def test_wrong_key_is_refused() -> None:
    stranger = Ed25519PrivateKey.generate()
    scanned = _signed(qr.encode_request(_payload(), stranger))
    with pytest.raises(SignatureError) as caught:
        qr.verify_request(scanned, TRUSTED, IAT)
    assert caught.value.reason == "unknown-key"


def test_wrong_context_and_wrong_typ_are_refused() -> None:
    other_ctx = {**_payload().model_dump(), "ctx": "maprocuration/validation/v1"}
    scanned = _signed("MPR1:" + jws.sign(other_ctx, ISSUER, REQUEST_TYP))
    with pytest.raises(SignatureError) as caught:
        qr.verify_request(scanned, TRUSTED, IAT)
    assert caught.value.reason == "wrong-context"
    as_checkpoint = _signed("MPR1:" + jws.sign(_payload().model_dump(), ISSUER, "mpr-checkpoint"))
    with pytest.raises(SignatureError) as caught:
        qr.verify_request(as_checkpoint, TRUSTED, IAT)
    assert caught.value.reason == "wrong-type"


def test_payload_fields_out_of_schema_are_refused() -> None:
    bad = {**_payload().model_dump(), "commune": "Paris"}
    scanned = _signed("MPR1:" + jws.sign(bad, ISSUER, REQUEST_TYP))
    with pytest.raises(SignatureError) as caught:
        qr.verify_request(scanned, TRUSTED, IAT)
    assert caught.value.reason == "payload"

"""Fuzzing the scan parser: whatever a camera or a USB scanner delivers, the answer is a
scan the counter can use or a typed error it can explain, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from procuration import keys, qr, timeutil
from procuration.errors import PayloadError, SignatureError
from procuration.models import RequestQrPayload

ISSUER = Ed25519PrivateKey.generate()
TRUSTED = {keys.kid_of(ISSUER): ISSUER.public_key()}
AT = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
VALID = qr.encode_request(
    RequestQrPayload(
        reference="7K3QZ9",
        birth_name="N'DIAYE-LEFÈVRE",
        first_names="Aïssatou Marie-Hélène",
        birth_date="1990-12-31",
        commune="69123",
        iat=timeutil.to_wire(AT - timedelta(days=1)),
        exp=timeutil.to_wire(AT + timedelta(days=60)),
    ),
    ISSUER,
)


def _read(data: bytes | str) -> RequestQrPayload | qr.BareReference | None:
    """What the counter does with a scan; None stands for a typed, explainable refusal."""
    try:
        scanned = qr.classify(data)
        if isinstance(scanned, qr.BareReference):
            return scanned
        return qr.verify_request(scanned, TRUSTED, AT)
    except (PayloadError, SignatureError):
        return None


def test_the_untouched_payload_is_read() -> None:
    assert isinstance(_read(VALID), RequestQrPayload)


@given(st.binary(max_size=6000))
def test_random_bytes_never_crash(data: bytes) -> None:
    _read(data)


@given(st.text(max_size=600))
def test_random_text_never_crashes(text: str) -> None:
    _read(text)


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=len(VALID) - 1))
def test_every_truncation_is_refused(length: int) -> None:
    assert not isinstance(_read(VALID[:length]), RequestQrPayload)


@settings(max_examples=300)
@given(
    st.integers(min_value=len(qr.PREFIX), max_value=len(VALID) - 1),
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=é"),
)
def test_any_changed_character_of_the_token_is_refused(index: int, replacement: str) -> None:
    if VALID[index] == replacement:
        return
    mutated = VALID[:index] + replacement + VALID[index + 1 :]
    assert not isinstance(_read(mutated), RequestQrPayload)


@given(st.text(min_size=1, max_size=50))
def test_an_oversized_payload_is_refused_as_such(padding: str) -> None:
    huge = VALID + padding * (qr.MAX_PAYLOAD_BYTES // len(padding) + 1)
    try:
        qr.classify(huge)
    except PayloadError as error:
        assert error.reason == "too-large"
    else:
        raise AssertionError("a payload past the size limit was accepted")


def test_a_token_signed_by_an_unknown_key_is_refused() -> None:
    payload = _read(VALID)
    assert isinstance(payload, RequestQrPayload)
    assert _read(qr.encode_request(payload, Ed25519PrivateKey.generate())) is None

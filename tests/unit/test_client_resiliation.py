"""A résiliation at the counter (docs/protocol.md v1.1): looked up online or from its signed
QR code offline, it says what it cancels, and the counter signs it under its own typ and
ctx, through the outbox like any decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services.counter import Counter
from desktop.services.ports import DeliveryState, LookupSource
from procuration.models import (
    RESILIATION_CTX,
    RESILIATION_TYP,
    VALIDATION_CTX,
    VALIDATION_TYP,
    DocumentType,
    RefusalReason,
    RequestKind,
    RequestStatus,
)
from tests.support.clock import START, FakeClock
from tests.support.fake_backend import (
    CANCELLED_REFERENCE,
    RESILIATION_REFERENCE,
    FakeBackend,
)
from tests.unit.test_client_counter import ALL_GOOD, SERVER, make_counter


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def counter(tmp_path: Path, backend: FakeBackend) -> Counter:
    counter = make_counter(tmp_path, backend, FakeClock(START))
    counter.enroll(SERVER, None, "ABCD-EF01", "Guichet 1")
    counter.login("123456", "s3cret")
    return counter


def test_an_online_resiliation_is_shown_as_one_and_signed_as_one(
    counter: Counter, backend: FakeBackend
) -> None:
    result = counter.lookup(RESILIATION_REFERENCE)
    shown = result.response
    assert shown.is_resiliation
    assert shown.cancels is not None and shown.cancels.reference == CANCELLED_REFERENCE
    assert shown.cancels.status is RequestStatus.ESTABLISHED
    assert shown.mandataire is not None and shown.mandataire.commune.name == "Nanterre"
    outcome = counter.validate(result, ALL_GOOD)
    assert outcome.state is DeliveryState.TRANSMITTED
    assert backend.signed_as[outcome.validation_id] == (RESILIATION_TYP, RESILIATION_CTX)


def test_a_proxy_is_still_signed_as_a_validation(counter: Counter, backend: FakeBackend) -> None:
    outcome = counter.validate(counter.lookup("7K3QZ9"), ALL_GOOD)
    assert backend.signed_as[outcome.validation_id] == (VALIDATION_TYP, VALIDATION_CTX)


def test_a_resiliation_qr_read_offline_waits_in_the_outbox_then_goes_as_a_resiliation(
    counter: Counter, backend: FakeBackend
) -> None:
    backend.online = False
    result = counter.lookup(backend.resiliation_qr_text())
    assert result.source is LookupSource.SIGNED_QR
    shown = result.response
    assert shown.kind is RequestKind.RESILIATION
    assert shown.cancels is not None and shown.cancels.reference == CANCELLED_REFERENCE
    assert shown.cancels.status is None  # not known offline, never guessed
    assert shown.mandataire is not None and shown.mandataire.birth_name == "N'DIAYE"
    outcome = counter.validate(result, ALL_GOOD)
    assert outcome.state is DeliveryState.PENDING
    backend.online = True
    delivered = counter.flush_outbox()
    assert [o.state for o in delivered] == [DeliveryState.TRANSMITTED]
    assert backend.signed_as[outcome.validation_id] == (RESILIATION_TYP, RESILIATION_CTX)


def test_a_refused_resiliation_is_signed_as_a_resiliation(
    counter: Counter, backend: FakeBackend
) -> None:
    result = counter.lookup(RESILIATION_REFERENCE)
    outcome = counter.refuse(result, DocumentType.PASSPORT, RefusalReason.NOT_THE_MANDANT)
    assert outcome.state is DeliveryState.TRANSMITTED
    assert backend.signed_as[outcome.validation_id] == (RESILIATION_TYP, RESILIATION_CTX)

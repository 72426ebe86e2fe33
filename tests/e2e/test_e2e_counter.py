"""The counter flow against the real backend process: what the officer sees at the counter,
and what the commune and the station's journal show afterwards."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop.services.counter import Counter
from desktop.services.device import DeviceStore
from desktop.services.errors import OfflineError, ServerError, SessionExpiredError
from desktop.services.ports import DeliveryState, LookupSource, SubmitOutcome
from desktop.services.settings import Settings
from procuration import timeutil
from procuration.models import DocumentType, RefusalReason
from tests.support.fake_backend import MemoryKeyring

from .conftest import CounterFactory, World
from .harness import (
    ALL_CHECKED,
    COMMUNE,
    OTHER_STATION,
    PASSWORD,
    STATION,
    BackendServer,
    RemoteOfficer,
    make_counter,
    qr_text_of,
    run_cli_batch,
    validate,
)

Login = Callable[[str], Counter]


def commune_proxy(world: World, reference: str, timeout: float = 10.0) -> dict[str, Any]:
    """The proxy as the commune's agent sees it once the register check established it."""
    commune = RemoteOfficer(world.server, "COM005", world.code("COM005"))
    try:
        deadline = time.monotonic() + timeout
        while True:
            proxies = commune.get(f"/v1/communes/{COMMUNE}/proxies")
            found = [p for p in proxies if p["reference"] == reference]
            if found or time.monotonic() > deadline:
                assert len(found) == 1, f"{reference} not listed for the commune"
                return dict(found[0])
            time.sleep(0.2)
    finally:
        commune.close()


def station_journal(world: World, station: str = STATION) -> list[dict[str, Any]]:
    supervisor = RemoteOfficer(world.server, "SUP006", world.code("SUP006"))
    try:
        answer = supervisor.get("/v1/journal", from_seq="1", station=station)
    finally:
        supervisor.close()
    return list(answer["entries"])


def flush_until_delivered(counter: Counter, timeout: float = 15.0) -> list[SubmitOutcome]:
    """What the window's poll does: flush now and then. The outbox keeps its backoff (1 to
    2 s after a failed attempt), so the first flush after a restart may find nothing due."""
    outcomes: list[SubmitOutcome] = []
    deadline = time.monotonic() + timeout
    while counter.pending_count() and time.monotonic() < deadline:
        outcomes += counter.flush_outbox()
        time.sleep(0.2)
    return outcomes


def signed_at(counter: Counter, reference: str) -> str:
    """When this counter signed its decision on `reference`, from the officer's day list."""
    (item,) = [i for i in counter.today() if i.reference == reference]
    return timeutil.to_wire(item.at)


def test_enrol_login_lookup_validate_is_transmitted_and_reaches_the_commune(
    world: World, officer_at_counter: Login
) -> None:
    counter = officer_at_counter("OPJ001")
    assert counter.officer is not None
    assert (counter.officer.station, counter.officer.role) == (STATION, "opj")
    reference = world.reference()

    # Typed by hand: lower case, with a space, as an officer would.
    lookup, outcome = validate(counter, f"{reference[:3].lower()} {reference[3:]}")

    assert lookup.source is LookupSource.ONLINE
    assert lookup.response.reference == reference
    assert lookup.response.status == "submitted"
    assert lookup.response.identity.birth_name.startswith("MARTIN-")
    assert (outcome.state, outcome.pending_count) == (DeliveryState.TRANSMITTED, 0)
    assert [(i.reference, i.state) for i in counter.today()] == [
        (reference, DeliveryState.TRANSMITTED)
    ]
    proxy = commune_proxy(world, reference)
    assert proxy["status"] == "established"
    assert proxy["station"] == STATION
    # Looked up again, the request says who validated it.
    again = counter.lookup(reference).response
    assert again.status in ("transmitted", "established")
    assert again.validated is not None and again.validated.station == STATION


def test_validation_while_backend_down_is_delivered_once_after_restart(
    world: World, backend: BackendServer, officer_at_counter: Login
) -> None:
    counter = officer_at_counter("OPJ001")
    reference = world.reference()
    lookup = counter.lookup(reference)
    backend.stop()

    outcome = counter.validate(lookup, ALL_CHECKED)
    assert (outcome.state, outcome.pending_count) == (DeliveryState.PENDING, 1)
    assert counter.flush_outbox() == []  # still down: nothing changes, nothing is lost
    assert counter.pending_count() == 1

    backend.start()  # same data dir, same port
    delivered = flush_until_delivered(counter)

    assert [(o.validation_id, o.state) for o in delivered] == [
        (outcome.validation_id, DeliveryState.TRANSMITTED)
    ]
    assert counter.pending_count() == 0
    assert counter.flush_outbox() == []
    entries = [
        e
        for e in station_journal(world)
        if e["kind"] == "validation.validated" and e["reference"] == reference
    ]
    assert len(entries) == 1
    assert entries[0]["detail"]["validation_id"] == outcome.validation_id
    assert commune_proxy(world, reference)["status"] == "established"


def test_two_counters_validating_the_same_reference_one_wins_the_other_is_told_who(
    world: World, officer_at_counter: Login
) -> None:
    first, second = officer_at_counter("OPJ001"), officer_at_counter("APJ002")
    reference = world.reference()
    first_lookup, second_lookup = first.lookup(reference), second.lookup(reference)

    won = first.validate(first_lookup, ALL_CHECKED)
    lost = second.validate(second_lookup, ALL_CHECKED)

    assert won.state is DeliveryState.TRANSMITTED
    assert lost.state is DeliveryState.FAILED
    assert lost.error_code == "already-validated"
    assert lost.error_context["station"] == STATION
    # When, as the first counter signed it (procuration.wire.AlreadyValidated).
    assert lost.error_context["validated_at"] == signed_at(first, reference)
    assert lost.error_context.get("officer_name") == "Agent OPJ001"
    assert lost.pending_count == 0  # a definitive answer is not retried
    assert second.flush_outbox() == []
    assert second.officer is not None and second.officer.station == OTHER_STATION


def test_signed_qr_looked_up_while_backend_down_shows_identity_and_queues(
    world: World, backend: BackendServer, officer_at_counter: Login
) -> None:
    counter = officer_at_counter("OPJ001")  # the login fetched the trust list
    reference = world.reference()
    scanned = qr_text_of(world.data_dir, reference)
    assert scanned.startswith("MPR1:")
    backend.stop()

    lookup, outcome = validate(counter, scanned)

    assert lookup.source is LookupSource.SIGNED_QR
    assert lookup.response.reference == reference
    assert lookup.response.identity.birth_name.startswith("MARTIN-")
    assert lookup.response.identity.first_names == "Élodie Marie"
    assert (outcome.state, outcome.pending_count) == (DeliveryState.PENDING, 1)
    # A typed reference cannot be checked offline: the officer is told so.
    with pytest.raises(OfflineError):
        counter.lookup(world.reference())

    backend.start()
    assert [o.state for o in flush_until_delivered(counter)] == [DeliveryState.TRANSMITTED]


def test_login_refused_when_the_habilitation_has_ended(
    world: World, backend: BackendServer, new_counter: CounterFactory
) -> None:
    counter = new_counter("OPJ003")
    counter.enroll(backend.url, None, world.code("OPJ003"), "Guichet 3")

    with pytest.raises(ServerError) as refused:
        counter.login("OPJ003", PASSWORD)

    assert refused.value.code == "not-habilitated"
    assert counter.officer is None


def test_revoked_device_is_refused(
    world: World, backend: BackendServer, officer_at_counter: Login, tmp_path: Any
) -> None:
    counter = officer_at_counter("OPJ004")
    reference = world.reference()
    lookup = counter.lookup(reference)
    device_file = Settings(data_dir=tmp_path / "OPJ004-0").paths().device_file
    record = DeviceStore(device_file).load()
    assert record is not None
    kid = record.enrolments[0].kid
    run_cli_batch([["--data-dir", str(world.data_dir), "device", "revoke", f"--kid={kid}"]])

    # The revocation ended the session: the officer is sent back to the login, the
    # validation stays in the outbox (nothing disappears silently)...
    with pytest.raises(SessionExpiredError):
        counter.validate(lookup, ALL_CHECKED)
    assert counter.pending_count() == 1
    counter.logout()
    # ... and the login says the PC is revoked.
    with pytest.raises(ServerError) as refused:
        counter.login("OPJ004", PASSWORD)
    assert refused.value.code == "device-revoked"


def test_queue_survives_a_client_restart_and_goes_out_as_one_batch_in_order(
    world: World, backend: BackendServer, tmp_path: Path
) -> None:
    keyring = MemoryKeyring()  # the PC's OS vault, which outlives the client process
    counter = make_counter(tmp_path / "pc", keyring)
    try:
        counter.enroll(backend.url, None, world.code("OPJ001"), "Guichet 1")
        counter.login("OPJ001", PASSWORD)
        references = [world.reference(), world.reference()]
        lookups = [counter.lookup(r) for r in references]
        backend.stop()
        validated = counter.validate(lookups[0], ALL_CHECKED)
        refused = counter.refuse(lookups[1], DocumentType.PASSPORT, RefusalReason.OTHER)
        assert (validated.state, refused.state) == (DeliveryState.PENDING, DeliveryState.PENDING)
        assert refused.pending_count == 2
    finally:
        counter.close()  # the client is closed (or killed) with two validations queued

    backend.start()
    restarted = make_counter(tmp_path / "pc", keyring)
    try:
        assert restarted.pending_count() == 2
        assert restarted.resume_delivery()  # before anyone logs in again
        delivered = flush_until_delivered(restarted)
    finally:
        restarted.close()

    assert [(o.validation_id, o.state) for o in delivered] == [
        (validated.validation_id, DeliveryState.TRANSMITTED),
        (refused.validation_id, DeliveryState.TRANSMITTED),
    ]
    kinds = {
        e["reference"]: e["kind"]
        for e in station_journal(world)
        if e["kind"].startswith("validation.") and e["reference"] in references
    }
    assert kinds == {references[0]: "validation.validated", references[1]: "validation.refused"}


def test_logout_is_confirmed_by_the_backend_and_ends_the_session(
    world: World, officer_at_counter: Login, caplog: pytest.LogCaptureFixture
) -> None:
    counter = officer_at_counter("APJ002")
    reference = world.reference()

    with caplog.at_level(logging.INFO, logger="desktop.services.counter"):
        counter.logout()

    assert "not confirmed" not in caplog.text  # the backend's 204 is a confirmation
    with pytest.raises(SessionExpiredError):
        counter.lookup(reference)

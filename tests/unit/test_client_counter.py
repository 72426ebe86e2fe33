"""The counter flow end to end over the real services and a fake backend (MockTransport)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from keyring.backends import fail

from desktop.services.api_client import ApiClient, ServerConfig
from desktop.services.counter import Counter
from desktop.services.credentials import Vault
from desktop.services.demo_counter import DemoCounter
from desktop.services.device import DeviceStore
from desktop.services.errors import (
    IntegrityError,
    NotEnrolledError,
    OfflineError,
    ServerError,
    TrustListError,
    VaultUnavailableError,
)
from desktop.services.outbox import Outbox
from desktop.services.paths import Paths
from desktop.services.ports import DeliveryState, LookupResult, LookupSource
from desktop.services.trust import TrustStore
from procuration.models import DocumentType, IdDocumentCheck, RefusalReason
from tests.support.clock import START, FakeClock
from tests.support.fake_backend import IDENTITY, REFERENCE, FakeBackend, MemoryKeyring

SERVER = "http://127.0.0.1:8765"
ALL_GOOD = IdDocumentCheck(
    type=DocumentType.CNI, name_matches=True, birth_date_matches=True, photo_matches=True
)


def make_counter(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock, vault: Vault | None = None
) -> Counter:
    paths = Paths.for_user(tmp_path).ensure()
    return Counter(
        vault=vault or Vault(MemoryKeyring()),
        outbox=Outbox(paths.outbox_file, clock, draw=lambda: 0.0),
        trust=TrustStore(paths.trust_file, clock),
        devices=DeviceStore(paths.device_file),
        api_factory=lambda server: ApiClient(server, transport=backend.transport()),
        clock=clock,
        redact=lambda *values: None,
    )


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def counter(tmp_path: Path, backend: FakeBackend, clock: FakeClock) -> Counter:
    counter = make_counter(tmp_path, backend, clock)
    counter.enroll(SERVER, None, "ABCD-EF01", "Guichet 1")
    counter.login("123456", "s3cret")
    return counter


def test_enrol_login_lookup_validate_is_transmitted(counter: Counter) -> None:
    assert counter.is_enrolled()
    assert counter.officer is not None and counter.officer.station == "PN-75-001"
    result = counter.lookup("7k3-qz9")
    assert result.source is LookupSource.ONLINE
    assert result.response.identity.birth_name == IDENTITY["birth_name"]
    outcome = counter.validate(result, ALL_GOOD)
    assert outcome.state is DeliveryState.TRANSMITTED
    assert outcome.pending_count == 0
    assert [(i.reference, i.decision, i.state) for i in counter.today()] == [
        (REFERENCE, "validated", DeliveryState.TRANSMITTED)
    ]


def test_enrolment_refused_without_a_usable_vault(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock
) -> None:
    counter = make_counter(tmp_path, backend, clock, vault=Vault(fail.Keyring()))
    with pytest.raises(VaultUnavailableError):
        counter.enroll(SERVER, None, "ABCD-EF01", "Guichet 1")
    assert backend.devices == {}  # the single-use code was not spent
    assert not counter.is_enrolled()


def test_wrong_enrolment_code_leaves_no_key_behind(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock
) -> None:
    keyring = MemoryKeyring()
    counter = make_counter(tmp_path, backend, clock, vault=Vault(keyring))
    with pytest.raises(ServerError) as caught:
        counter.enroll(SERVER, None, "WRONG", "Guichet 1")
    assert caught.value.code == "forbidden"
    assert keyring.secrets == {}
    with pytest.raises(NotEnrolledError):
        counter.login("123456", "s3cret")


def test_wrong_password_and_revoked_device_are_distinct(
    counter: Counter, backend: FakeBackend
) -> None:
    with pytest.raises(ServerError) as caught:
        counter.login("123456", "nope")
    assert caught.value.code == "unauthenticated"
    backend.devices.clear()
    with pytest.raises(ServerError) as caught:
        counter.login("123456", "s3cret")
    assert caught.value.code == "device-revoked"


def test_typed_reference_offline_says_so(counter: Counter, backend: FakeBackend) -> None:
    backend.online = False
    assert not counter.check_online()
    with pytest.raises(OfflineError):
        counter.lookup(REFERENCE)


def test_signed_qr_works_offline_and_validation_waits_then_goes_once(
    counter: Counter, backend: FakeBackend, clock: FakeClock
) -> None:
    backend.online = False
    result = counter.lookup(backend.qr_text())
    assert result.source is LookupSource.SIGNED_QR
    assert result.response.identity.first_names == IDENTITY["first_names"]
    outcome = counter.validate(result, ALL_GOOD)
    assert outcome.state is DeliveryState.PENDING and outcome.pending_count == 1
    backend.online = True
    clock.advance(3600)
    changed = counter.flush_outbox()
    assert [o.state for o in changed] == [DeliveryState.TRANSMITTED]
    assert counter.pending_count() == 0
    assert list(backend.accepted) == [outcome.validation_id]
    assert counter.flush_outbox() == []


def test_signed_qr_online_shows_the_servers_answer(counter: Counter, backend: FakeBackend) -> None:
    result = counter.lookup(backend.qr_text())
    assert result.source is LookupSource.ONLINE
    assert result.response.commune.name == "Paris"


def test_offline_qr_refused_with_a_trust_list_older_than_48_hours(
    counter: Counter, backend: FakeBackend, clock: FakeClock
) -> None:
    backend.online = False
    clock.advance(49 * 3600)
    with pytest.raises(TrustListError):
        counter.lookup(backend.qr_text(clock.now()))


def test_forged_qr_is_refused(counter: Counter, backend: FakeBackend) -> None:
    other = FakeBackend()  # another issuer key, unknown to the trust list
    with pytest.raises(Exception) as caught:
        counter.lookup(other.qr_text())
    assert getattr(caught.value, "code", "") == "qr-unknown-key"


def test_short_reference_is_an_input_error(counter: Counter) -> None:
    with pytest.raises(Exception) as caught:
        counter.lookup("7K3Q")
    assert getattr(caught.value, "code", "") == "reference-too-short"


def test_already_validated_elsewhere_fails_with_who_and_where(
    counter: Counter, backend: FakeBackend
) -> None:
    backend.validated_refs[REFERENCE] = "someone-else"
    outcome = counter.validate(counter.lookup(REFERENCE), ALL_GOOD)
    assert outcome.state is DeliveryState.FAILED
    assert outcome.error_code == "already-validated"
    assert outcome.error_context["station"] == "GN-69-002"
    assert outcome.error_context["validated_at"] == "2026-06-12T08:00:00Z"
    assert counter.pending_count() == 0  # never resent


def test_a_definitive_refusal_is_listed_until_acknowledged(
    counter: Counter, backend: FakeBackend
) -> None:
    backend.validated_refs[REFERENCE] = "someone-else"
    outcome = counter.validate(counter.lookup(REFERENCE), ALL_GOOD)
    [refused] = counter.refused_decisions()
    assert (refused.validation_id, refused.reference) == (outcome.validation_id, REFERENCE)
    assert refused.error_code == "already-validated"
    assert refused.error_context["station"] == "GN-69-002"
    counter.acknowledge_refused([refused.validation_id])
    assert counter.refused_decisions() == []
    assert [i.state for i in counter.today()] == [DeliveryState.FAILED]  # still in the day


def test_an_other_refusal_keeps_its_note_on_this_pc_only(
    counter: Counter, backend: FakeBackend
) -> None:
    outcome = counter.refuse(
        counter.lookup(REFERENCE), DocumentType.CNI, RefusalReason.OTHER, note=" Pièce abîmée "
    )
    assert outcome.state is DeliveryState.TRANSMITTED
    assert counter._outbox.note(outcome.validation_id) == "Pièce abîmée"
    payload = counter._outbox.get(outcome.validation_id).token.split(".")[1]
    signed = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert signed["refusal_reason"] == "other"
    assert "abîmée" not in json.dumps(signed, ensure_ascii=False)  # never sent


def test_refuses_to_sign_what_differs_from_the_servers_digest(counter: Counter) -> None:
    shown = counter.lookup(REFERENCE)
    tampered = shown.response.model_copy(
        update={"identity": shown.response.identity.model_copy(update={"birth_name": "DURAND"})}
    )
    with pytest.raises(IntegrityError):
        counter.validate(LookupResult(tampered, shown.source), ALL_GOOD)
    assert counter.pending_count() == 0 and counter.today() == []


def test_refusal_is_signed_and_transmitted(counter: Counter, backend: FakeBackend) -> None:
    outcome = counter.refuse(
        counter.lookup(REFERENCE), DocumentType.PASSPORT, RefusalReason.NOT_THE_MANDANT
    )
    assert outcome.state is DeliveryState.TRANSMITTED
    assert [i.decision for i in counter.today()] == ["refused"]


def test_unticked_check_cannot_be_validated(counter: Counter) -> None:
    partial = ALL_GOOD.model_copy(update={"photo_matches": False})
    with pytest.raises(IntegrityError):
        counter.validate(counter.lookup(REFERENCE), partial)


def test_unlock_logs_in_again_and_logout_forgets_the_session(counter: Counter) -> None:
    counter.unlock("s3cret")
    assert counter.officer is not None
    counter.logout()
    assert counter.officer is None
    with pytest.raises(Exception) as caught:
        counter.lookup(REFERENCE)
    assert getattr(caught.value, "code", "") == "session-expired"


def test_restart_delivers_what_a_crash_left_pending(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock, counter: Counter
) -> None:
    keyring = counter._vault  # the same OS vault after the restart
    backend.online = False
    outcome = counter.validate(counter.lookup(backend.qr_text()), ALL_GOOD)
    counter.close()
    backend.online = True
    restarted = make_counter(tmp_path, backend, clock, vault=keyring)
    assert restarted.resume_delivery()
    clock.advance(60)
    assert [o.validation_id for o in restarted.flush_outbox()] == [outcome.validation_id]


def test_server_config_rejects_plain_http_to_a_remote_host() -> None:
    with pytest.raises(Exception) as caught:
        ApiClient(ServerConfig("http://backend.example.org"))
    assert getattr(caught.value, "code", "") == "insecure-server"


def test_server_back_after_an_outage_gets_the_queue_at_once(
    counter: Counter, backend: FakeBackend, clock: FakeClock
) -> None:
    backend.online = False
    assert not counter.check_online()
    outcome = counter.validate(counter.lookup(backend.qr_text()), ALL_GOOD)
    assert outcome.state is DeliveryState.PENDING
    for _ in range(6):  # the outage lasts: each try fails, the backoff reaches a minute
        clock.advance(60)
        counter.flush_outbox()
    backend.online = True
    clock.advance(1)
    assert counter.flush_outbox() == []  # a plain flush still waits for the backoff
    assert counter.check_online()
    delivered = counter.flush_outbox()
    assert [(o.reference, o.state) for o in delivered] == [(REFERENCE, DeliveryState.TRANSMITTED)]
    assert counter.pending_count() == 0


def test_reconnection_never_overrides_the_servers_retry_after(
    counter: Counter, backend: FakeBackend, clock: FakeClock
) -> None:
    backend.busy_for = 30
    outcome = counter.validate(counter.lookup(REFERENCE), ALL_GOOD)
    assert outcome.state is DeliveryState.PENDING
    backend.busy_for = None
    backend.online = False
    assert not counter.check_online()
    backend.online = True
    assert counter.check_online()
    assert counter.flush_outbox() == []
    clock.advance(30)
    assert counter.flush_outbox()[0].state is DeliveryState.TRANSMITTED


def test_seconds_until_retry_counts_down_the_servers_retry_after(
    counter: Counter, backend: FakeBackend, clock: FakeClock
) -> None:
    assert counter.seconds_until_retry() is None  # nothing waits
    backend.busy_for = 30
    counter.validate(counter.lookup(REFERENCE), ALL_GOOD)
    assert counter.seconds_until_retry() == pytest.approx(30)
    clock.advance(12)
    assert counter.seconds_until_retry() == pytest.approx(18)
    clock.advance(18)
    assert counter.seconds_until_retry() is None  # due now


def demo_counter(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock, codes: dict[str, str],
    vault: Vault | None = None,
) -> DemoCounter:  # fmt: skip
    """The demo PC: enrolled at start with the first officer's code (Shell's auto-enrolment)."""
    paths = Paths.for_user(tmp_path).ensure()
    counter = DemoCounter(
        vault=vault or Vault(MemoryKeyring()), outbox=Outbox(paths.outbox_file, clock),
        trust=TrustStore(paths.trust_file, clock), devices=DeviceStore(paths.device_file),
        api_factory=lambda server: ApiClient(server, transport=backend.transport()),
        clock=clock, redact=lambda *values: None, enrolment_codes=codes,
    )  # fmt: skip
    counter.enroll(SERVER, None, "ABCD-EF01", "Poste de démonstration")
    return counter


def test_demo_officer_without_a_key_here_is_enrolled_at_first_login(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock
) -> None:
    backend.add_officer("100002", "Karim Benali", "CODE-0002")
    counter = demo_counter(tmp_path, backend, clock, {"123456": "ABCD-EF01", "100002": "CODE-0002"})
    # The second officer first: the PC's only key is the first officer's, the server
    # refuses it for him; his own code enrols a key of his, silently.
    officer = counter.login("100002", "s3cret")
    assert officer.name == "Karim Benali"
    counter.logout()
    assert counter.login("123456", "s3cret").matricule == "123456"  # her key still works
    assert sorted(backend.owners.values()) == ["100002", "123456"]
    assert backend.codes == {}  # each code spent once
    counter.logout()
    assert counter.login("100002", "s3cret").name == "Karim Benali"  # no new enrolment
    assert len(backend.devices) == 2


def test_demo_wrong_password_is_still_a_wrong_password(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock
) -> None:
    backend.add_officer("100002", "Karim Benali", "CODE-0002")
    counter = demo_counter(tmp_path, backend, clock, {"100002": "CODE-0002"})
    with pytest.raises(ServerError) as caught:
        counter.login("100002", "nope")
    assert caught.value.code == "unauthenticated"
    assert counter.login("100002", "s3cret").name == "Karim Benali"  # key kept, code spent
    assert len(backend.devices) == 2


def test_demo_officer_without_a_code_is_told_as_before(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock
) -> None:
    backend.add_officer("100002", "Karim Benali", "CODE-0002")
    counter = demo_counter(tmp_path, backend, clock, {})  # an older demo.json
    with pytest.raises(NotEnrolledError) as caught:
        counter.login("100002", "s3cret")
    # The only key here has no known owner: a wrong password or not enrolled here yet.
    assert caught.value.code == "not-enrolled-or-password"
    assert backend.codes == {"CODE-0002": "100002"}  # nothing spent


def test_demo_enrolment_at_login_stays_fail_closed(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock
) -> None:
    backend.add_officer("100002", "Karim Benali", "CODE-0002")
    codes = {"100002": "CODE-0002"}
    demo_counter(tmp_path, backend, clock, codes).close()
    # Restarted on the same data directory, but the vault is gone: no key in plaintext.
    paths = Paths.for_user(tmp_path)
    restarted = DemoCounter(
        vault=Vault(fail.Keyring()), outbox=Outbox(paths.outbox_file, clock),
        trust=TrustStore(paths.trust_file, clock), devices=DeviceStore(paths.device_file),
        api_factory=lambda server: ApiClient(server, transport=backend.transport()),
        clock=clock, redact=lambda *values: None, enrolment_codes=codes,
    )  # fmt: skip
    with pytest.raises(VaultUnavailableError):
        restarted.login("100002", "s3cret")
    assert "CODE-0002" in backend.codes  # the code was not spent without a vault

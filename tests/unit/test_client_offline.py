"""The offline login: the argon2id verifier kept at an online login, the allowance, the
habilitation dates, and the counter's offline session (signed QR codes only)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from desktop.services.counter import Counter
from desktop.services.credentials import Vault
from desktop.services.errors import NotEnrolledError, OfflineError
from desktop.services.offline import OfflineLoginError, OfflineProfile, check_offline_login
from desktop.services.ports import DeliveryState, LookupSource
from procuration.models import OfficerInfo, Role
from tests.support.clock import START, FakeClock
from tests.support.fake_backend import REFERENCE, FakeBackend, MemoryKeyring
from tests.unit.test_client_counter import ALL_GOOD, SERVER, make_counter

ALLOWANCE = timedelta(hours=72)
OFFICER = OfficerInfo(
    matricule="123456", name="Jeanne Martin", grade="Brigadier", role=Role.OPJ,
    station="PN-75-001", habilitation_until="2026-06-30",
)  # fmt: skip


def profile(officer: OfficerInfo = OFFICER) -> OfflineProfile:
    return OfflineProfile.after_login(officer, "s3cret", START)


def test_the_verifier_is_not_the_password() -> None:
    stored = profile().to_json()
    assert "s3cret" not in stored
    assert "$argon2id$" in stored


def test_offline_login_within_the_allowance() -> None:
    now = START + ALLOWANCE - timedelta(minutes=1)
    assert check_offline_login(profile(), "s3cret", now, ALLOWANCE) == OFFICER


@pytest.mark.parametrize(
    ("stored", "password", "later", "code"),
    [
        (None, "s3cret", timedelta(hours=1), "offline-unknown"),  # never online here
        (profile(), "wrong", timedelta(hours=1), "unauthenticated"),
        (profile(), "s3cret", ALLOWANCE + timedelta(minutes=1), "offline-expired"),
        (profile(), "s3cret", -timedelta(hours=1), "offline-expired"),  # clock set back
    ],
)
def test_offline_login_refused(
    stored: OfflineProfile | None, password: str, later: timedelta, code: str
) -> None:
    with pytest.raises(OfflineLoginError) as caught:
        check_offline_login(stored, password, START + later, ALLOWANCE)
    assert caught.value.code == code


def test_offline_login_refused_once_the_habilitation_ended() -> None:
    ended = OFFICER.model_copy(update={"habilitation_until": "2026-06-12"})
    # 2026-06-12 22:30 UTC is already the 13th in Paris: the habilitation is over.
    now = START.replace(hour=22, minute=30)
    with pytest.raises(OfflineLoginError) as caught:
        check_offline_login(profile(ended), "s3cret", now, ALLOWANCE)
    assert caught.value.code == "not-habilitated"


# -- the counter -------------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def counter(tmp_path: Path, backend: FakeBackend, clock: FakeClock) -> Counter:
    counter = make_counter(tmp_path, backend, clock)
    counter.enroll(SERVER, None, "ABCD-EF01", "Guichet 1")
    counter.login("123456", "s3cret")
    return counter


def test_offline_session_validates_a_signed_qr_code_and_delivers_it_later(
    counter: Counter, backend: FakeBackend, clock: FakeClock
) -> None:
    counter.logout()
    backend.online = False
    clock.advance(3600)
    counter.login("123456", "s3cret")
    assert counter.offline_session()
    with pytest.raises(OfflineError) as caught:
        counter.lookup(REFERENCE)
    assert caught.value.code == "offline-session"
    result = counter.lookup(backend.qr_text(START))
    assert result.source is LookupSource.SIGNED_QR
    assert counter.validate(result, ALL_GOOD).state is DeliveryState.PENDING
    backend.online = True
    counter.login("123456", "s3cret")  # the next online login replaces the offline session
    assert not counter.offline_session()
    counter.flush_outbox()  # the window's poll after the login
    assert counter.pending_count() == 0
    assert REFERENCE in backend.validated_refs


def test_unlock_offline_after_a_lock(counter: Counter, backend: FakeBackend) -> None:
    backend.online = False
    counter.unlock("s3cret")
    assert counter.offline_session()
    with pytest.raises(OfflineLoginError):
        counter.unlock("wrong")


def test_no_offline_login_for_an_officer_never_online_on_this_pc(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock
) -> None:
    counter = make_counter(tmp_path, backend, clock)
    counter.enroll(SERVER, None, "ABCD-EF01", "Guichet 1", owner="123456")
    backend.online = False
    with pytest.raises(OfflineLoginError) as caught:
        counter.login("123456", "s3cret")
    assert caught.value.code == "offline-unknown"


def test_offline_login_refused_after_the_allowance(
    counter: Counter, backend: FakeBackend, clock: FakeClock
) -> None:
    counter.logout()
    backend.online = False
    clock.advance(73 * 3600)
    with pytest.raises(OfflineLoginError) as caught:
        counter.login("123456", "s3cret")
    assert caught.value.code == "offline-expired"


def test_a_colleague_without_a_key_here_is_told_to_enrol(
    counter: Counter, backend: FakeBackend
) -> None:
    backend.add_officer("654321", "Paul Durand", "WXYZ-0002")
    with pytest.raises(NotEnrolledError) as caught:
        counter.login("654321", "s3cret")
    assert caught.value.code == "not-enrolled-officer"
    counter.enroll(SERVER, None, "WXYZ-0002", "Guichet 1", owner="654321")
    assert counter.login("654321", "s3cret").name == "Paul Durand"
    assert counter.login("123456", "s3cret").name == "Jeanne Martin"


def test_a_colleague_refused_by_a_key_of_unknown_owner(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock
) -> None:
    counter = make_counter(tmp_path, backend, clock)
    counter.enroll(SERVER, None, "ABCD-EF01", "Guichet 1")  # owner not told
    backend.add_officer("654321", "Paul Durand", "WXYZ-0002")
    with pytest.raises(NotEnrolledError) as caught:
        counter.login("654321", "s3cret")
    assert caught.value.code == "not-enrolled-or-password"


def test_the_offline_profile_is_kept_in_the_vault_only(
    tmp_path: Path, backend: FakeBackend, clock: FakeClock
) -> None:
    keyring = MemoryKeyring()
    counter = make_counter(tmp_path, backend, clock, vault=Vault(keyring))
    counter.enroll(SERVER, None, "ABCD-EF01", "Guichet 1")
    counter.login("123456", "s3cret")
    assert Vault(keyring).load_offline_profile("123456") is not None
    on_disk = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert b"argon2" not in on_disk


def test_back_online_with_an_expired_token_the_offline_session_waits_for_a_login(
    counter: Counter, backend: FakeBackend, clock: FakeClock
) -> None:
    backend.online = False
    counter.unlock("s3cret")  # lock → unlock offline: the old token is kept
    counter.validate(counter.lookup(backend.qr_text(START)), ALL_GOOD)
    backend.online = True
    backend.token = "tok-2"  # the server ended the old session meanwhile
    assert counter.check_online()
    assert counter.flush_outbox() == []  # no error: it waits for the next online login
    assert counter.pending_count() == 1

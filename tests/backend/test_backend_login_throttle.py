"""Failed logins back off per (account, address) and are capped per address, counted in the
database; an attacker elsewhere cannot lock an officer out of their counter."""

from __future__ import annotations

import pytest
from backend_helpers import PASSWORD, Client, FakeClock, World
from sqlalchemy import func, select

from backend.context import Backend
from backend.errors import UnauthenticatedError
from backend.services import auth, login_throttle
from backend.storage.engine import transaction
from backend.storage.tables import JournalRow
from procuration.login import sign_nonce

ATTACKER, COUNTER = "203.0.113.7", "10.1.2.3"


def _login(world: World, matricule: str, password: str, address: str) -> auth.LoginResult:
    kid = world.kid(matricule)
    nonce, _ = auth.challenge(world.backend, kid)
    return auth.login(
        world.backend,
        matricule=matricule,
        password=password,
        kid=kid,
        nonce=nonce,
        signature=sign_nonce(nonce, kid, world.keys[matricule]),
        address=address,
    )


def _fail(world: World, matricule: str, address: str, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(UnauthenticatedError):
            _login(world, matricule, "wrong", address)


def _journalled_failures(backend: Backend) -> int:
    with transaction(backend.sessions) as session:
        found = session.scalar(select(func.count()).where(JournalRow.kind == "auth.login_failed"))
        return int(found or 0)


def test_guessing_backs_off_for_the_guesser_not_for_the_officer(
    world: World, clock: FakeClock
) -> None:
    _fail(world, "OPJ001", ATTACKER, login_throttle.FREE_FAILURES)
    journalled = _journalled_failures(world.backend)
    with pytest.raises(login_throttle.LoginThrottledError) as throttled:
        _login(world, "OPJ001", PASSWORD, ATTACKER)  # even the right password waits
    assert throttled.value.retry_after == 2
    assert _journalled_failures(world.backend) == journalled  # no hash, no journal write
    assert _login(world, "OPJ001", PASSWORD, COUNTER).officer.matricule == "OPJ001"
    clock.advance(seconds=2)
    _fail(world, "OPJ001", ATTACKER)
    with pytest.raises(login_throttle.LoginThrottledError) as throttled:
        _login(world, "OPJ001", PASSWORD, ATTACKER)
    assert throttled.value.retry_after == 4  # doubling with each failure


def test_one_address_spraying_accounts_is_capped(world: World, clock: FakeClock) -> None:
    accounts = ["OPJ001", "APJ002", "SUP003", "COM004", "OPJ005"]
    sprayed = 0
    while sprayed < login_throttle.ADDRESS_CAP:
        for matricule in accounts:
            if sprayed < login_throttle.ADDRESS_CAP:
                _fail(world, matricule, ATTACKER)
                sprayed += 1
        clock.advance(seconds=60)  # slower than the pair backoff
    with pytest.raises(login_throttle.LoginThrottledError):
        _login(world, "OPJ005", "wrong", ATTACKER)
    assert _login(world, "OPJ005", PASSWORD, COUNTER).token
    clock.advance(minutes=15)
    _fail(world, "OPJ005", ATTACKER)  # the window slid: counted again, not refused


def test_the_api_answers_429_with_retry_after(client: Client, world: World) -> None:
    kid = world.kid("OPJ001")

    def attempt(password: str) -> int:
        nonce = client.post("/v1/auth/challenge", json={"kid": kid}).json()["nonce"]
        body = {
            "matricule": "OPJ001",
            "password": password,
            "kid": kid,
            "nonce": nonce,
            "nonce_signature": sign_nonce(nonce, kid, world.keys["OPJ001"]),
        }
        answer = client.post("/v1/auth/login", json=body)
        if answer.status_code == 429:
            assert answer.headers["Retry-After"] == "2"
        return answer.status_code

    assert [attempt("wrong") for _ in range(login_throttle.FREE_FAILURES)] == [401] * 5
    assert attempt(PASSWORD) == 429

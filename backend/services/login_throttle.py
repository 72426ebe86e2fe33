"""Backoff on failed logins, counted in the database (so it holds across worker processes
and instances, like the lookup limit: docs/backend.md).

Two counters over the last WINDOW, both keyed by a hash (no matricule, no address stored):
- per (account, address): FREE_FAILURES free tries, then a delay doubling with each failure
  up to MAX_DELAY. An attacker elsewhere slows only their own pair: the officer at their
  counter (another address) is never locked out by someone guessing their password.
- per address: at most ADDRESS_CAP failures, whatever the accounts; spraying many accounts
  from one address stops there.
The commune portal's second step adds a third counter, per pending login (`attempt`, a
random id sealed in the agent's cookie): its failed codes, so that a pending session ends
after a few wrong codes even if an old cookie is replayed (docs/decisions.md).
A throttled attempt is refused with 429 before the password hash is computed and before
anything is journalled: it costs the server two indexed counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from backend.errors import RateLimitedError
from backend.storage import login_throttle as store
from backend.storage.tables import LoginFailure
from procuration import timeutil
from procuration.canonical import sha256_b64url

WINDOW = timedelta(minutes=15)
FREE_FAILURES = 5
MAX_DELAY = timedelta(minutes=15)
ADDRESS_CAP = 50
ATTEMPT_MISSES = 5  # wrong codes after which a pending login needs the password again


class LoginThrottledError(RateLimitedError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.detail = f"too many failed logins: retry in {retry_after} s"
        self.args = (self.detail,)


def _pair(matricule: str, address: str) -> str:
    return sha256_b64url(f"login-pair\0{matricule}\0{address}".encode())


def _address(address: str) -> str:
    return sha256_b64url(f"login-address\0{address}".encode())


def _attempt(attempt: str) -> str:
    return sha256_b64url(f"login-attempt\0{attempt}".encode())


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, int((moment - now).total_seconds()))


def check(session: Session, now: datetime, matricule: str, address: str) -> None:
    """Raises LoginThrottledError (429, Retry-After) while this attempt must wait."""
    since = timeutil.to_wire(now - WINDOW)
    count, _, last = store.failures(session, _pair(matricule, address), since)
    if count >= FREE_FAILURES and last is not None:
        delay = min(timedelta(seconds=2 ** (count - FREE_FAILURES + 1)), MAX_DELAY)
        allowed = timeutil.from_wire(last) + delay
        if allowed > now:
            raise LoginThrottledError(_seconds_until(allowed, now))
    count, first, _ = store.failures(session, _address(address), since)
    if count >= ADDRESS_CAP and first is not None:
        raise LoginThrottledError(_seconds_until(timeutil.from_wire(first) + WINDOW, now))


def record_failure(
    session: Session, now: datetime, matricule: str, address: str, attempt: str = ""
) -> None:
    """Counts a failure for both keys (and the pending login's, if any), dropping their rows
    that left the window."""
    keys = (_pair(matricule, address), _address(address)) + (
        (_attempt(attempt),) if attempt else ()
    )
    since = timeutil.to_wire(now - WINDOW)
    store.forget_before(session, keys, since)
    session.add_all(LoginFailure(key=key, at=timeutil.to_wire(now)) for key in keys)


def attempt_failures(session: Session, now: datetime, attempt: str) -> int:
    """The failed codes of this pending login within the window."""
    count, _, _ = store.failures(session, _attempt(attempt), timeutil.to_wire(now - WINDOW))
    return count


def clear(session: Session, matricule: str, address: str) -> None:
    """A successful login forgets the pair's failures (not the address's: a spray that
    guesses one password right must not reset its cap)."""
    store.forget(session, _pair(matricule, address))

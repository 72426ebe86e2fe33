"""The offline session: who may log in on this PC while the backend is unreachable.

At each successful online login the counter keeps, in the OS vault, an argon2id verifier
of the password (never the password), the officer's profile and the login time. Offline,
a login or an unlock checks the password against that verifier, the offline allowance
(`settings.offline_allowance_h`, at most the server's 72 hours for a signed validation:
docs/protocol.md, `too-old`) and the habilitation dates. An officer who never logged in
online on this PC has no verifier and cannot log in offline. docs/decisions.md
"Offline sessions" records what an offline session may do.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, ValidationError

from desktop.services.errors import ClientError
from procuration import timeutil
from procuration.models import VALIDATING_ROLES, OfficerInfo

PARIS = ZoneInfo("Europe/Paris")  # habilitation dates are local days, as on the server
MAX_ALLOWANCE = timedelta(hours=72)  # the server refuses validations older than this

_hasher = PasswordHasher()  # argon2id, the library's recommended parameters


class OfflineLoginError(ClientError):
    """An offline login refused. Codes: `offline-unknown` (never online on this PC within
    the allowance), `offline-expired` (allowance over), `unauthenticated` (wrong password),
    `not-habilitated` (habilitation ended or role that does not validate)."""

    code = "offline-unknown"


class OfflineProfile(BaseModel):
    """What the vault keeps per officer for an offline login."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    officer: OfficerInfo
    verifier: str  # argon2id hash of the password
    online_at: str  # wire time of the last successful online login on this PC

    @classmethod
    def after_login(cls, officer: OfficerInfo, password: str, now: datetime) -> OfflineProfile:
        verifier = _hasher.hash(password)
        return cls(officer=officer, verifier=verifier, online_at=timeutil.to_wire(now))

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str) -> OfflineProfile | None:
        """None for a record that cannot be read (treated as never online)."""
        try:
            return cls.model_validate_json(text)
        except ValidationError:
            return None


def allowance(hours: float) -> timedelta:
    """The configured allowance, never beyond what the server would still accept."""
    return min(timedelta(hours=hours), MAX_ALLOWANCE)


def check_offline_login(
    profile: OfflineProfile | None, password: str, now: datetime, allowed: timedelta
) -> OfficerInfo:
    """The officer if `password` opens an offline session now, else OfflineLoginError.

    The password is checked before the dates, so that nothing about an officer's
    habilitation is told to someone who does not know their password."""
    if profile is None:
        raise OfflineLoginError("no offline verifier for this officer")
    try:
        _hasher.verify(profile.verifier, password)
    except (VerificationError, InvalidHashError) as exc:
        raise OfflineLoginError("offline password refused", code="unauthenticated") from exc
    online_at = timeutil.from_wire(profile.online_at)
    if not (online_at <= now <= online_at + allowed):
        raise OfflineLoginError("offline allowance over", code="offline-expired")
    if not habilitated_today(profile.officer, now):
        raise OfflineLoginError("habilitation over", code="not-habilitated")
    return profile.officer


def habilitated_today(officer: OfficerInfo, now: datetime) -> bool:
    if officer.role not in VALIDATING_ROLES or officer.habilitation_until is None:
        return False
    return now.astimezone(PARIS).date().isoformat() <= officer.habilitation_until

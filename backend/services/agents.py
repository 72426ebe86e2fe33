"""The commune portal's side of the services: an agent's password check, the register's
rows with the authority that established each proxy, and the journal entry of every read
of personal data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from backend.caller import Caller
from backend.context import Backend
from backend.services import auth, login_throttle
from backend.storage import commune as store
from backend.storage import journal_store
from backend.storage.engine import transaction
from backend.storage.tables import Officer
from procuration.models import Role
from procuration.wire import JournalKind

_DUMMY = auth.hash_password("not a password")


def password_login(backend: Backend, matricule: str, password: str, address: str) -> Caller | None:
    """The commune agent whose password this is, or None (a failure is journalled and
    counted by the login backoff of (matricule, address); an unknown account costs the same
    argon2 time as a known one). Raises LoginThrottledError while this pair or address must
    wait. The login itself is journalled once the second factor is checked (`code_login`)."""
    now = backend.now()
    with transaction(backend.sessions) as session:
        login_throttle.check(session, now, matricule, address)
        officer = session.get(Officer, matricule)
        agent = Caller.of(officer) if officer is not None and officer.role == Role.COMMUNE else None
        stored = officer.password_hash if agent is not None and officer is not None else _DUMMY
        if auth.password_ok(stored, password) and agent is not None:
            return agent
        _journal_login(session, backend, agent, "bad-password")
        login_throttle.record_failure(session, now, matricule, address)
        return None


def code_misses(backend: Backend, matricule: str, address: str, attempt: str) -> int:
    """How many wrong codes this pending login has had; under ATTEMPT_MISSES, raises
    LoginThrottledError while the (matricule, address) pair or the address must wait."""
    now = backend.now()
    with transaction(backend.sessions) as session:
        misses = login_throttle.attempt_failures(session, now, attempt)
        if misses < login_throttle.ATTEMPT_MISSES:
            login_throttle.check(session, now, matricule, address)
        return misses


def code_login(backend: Backend, agent: Caller, address: str, attempt: str, ok: bool) -> None:
    """The second factor's outcome: a login (the pair's failures forgotten), or a failure
    journalled and counted for the pair, the address and the pending login."""
    now = backend.now()
    with transaction(backend.sessions) as session:
        if ok:
            login_throttle.clear(session, agent.matricule, address)
            _journal_login(session, backend, agent, "")
        else:
            login_throttle.record_failure(session, now, agent.matricule, address, attempt)
            _journal_login(session, backend, agent, "bad-totp")


def _journal_login(session: Session, backend: Backend, agent: Caller | None, failed: str) -> None:
    journal_store.append(
        session,
        at=backend.now(),
        kind=JournalKind.AUTH_LOGIN_FAILED if failed else JournalKind.AUTH_LOGIN,
        station=None,
        actor=agent.matricule if agent else None,
        detail={"portal": "commune", "reason": failed or None},
    )


def journal_read(
    backend: Backend,
    agent: Caller,
    what: str,
    count: int,
    reference: str | None = None,
    *,
    insee: str | None = None,
) -> None:
    """One entry per page or file of personal data a commune agent (or an administrator,
    through the API) opened: who, what, how many, of which commune."""
    with transaction(backend.sessions) as session:
        journal_store.append(
            session,
            at=backend.now(),
            kind=JournalKind.COMMUNE_CONSULTED,
            station=None,
            actor=agent.matricule,
            reference=reference,
            detail={"commune": insee or agent.commune_insee, "what": what, "count": count},
        )


@dataclass(frozen=True)
class RegisterLine:
    reference: str
    status: str
    reason: str | None
    mandant: str
    mandant_born: str
    mandataire: str
    mandataire_born: str
    scope: dict[str, Any]
    established_at: str | None
    authority: str | None  # "grade name, station"; None: established online


def register_lines(backend: Backend, insee: str) -> list[RegisterLine]:
    """The commune's register, oldest establishment first (the caller checked the commune)."""
    with transaction(backend.sessions) as session:
        return [
            RegisterLine(
                reference=row.reference,
                status=row.status,
                reason=row.status_reason,
                mandant=" ".join(filter(None, (row.birth_name, row.first_names))),
                mandant_born=row.birth_date or "",
                mandataire=f"{row.mandataire_birth_name} {row.mandataire_first_names}",
                mandataire_born=row.mandataire_birth_date or "",
                scope=json.loads(row.scope_json),
                established_at=row.validated_at,
                authority=(
                    f"{grade} {name}, {station or row.validated_station}"
                    if row.validated_station
                    else None
                ),
            )
            for row, grade, name, station in store.register_rows(session, insee)
        ]

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
from backend.services import auth
from backend.storage import commune as store
from backend.storage import journal_store
from backend.storage.engine import transaction
from backend.storage.tables import Officer
from procuration.models import Role
from procuration.wire import JournalKind

_DUMMY = auth.hash_password("not a password")


def password_login(backend: Backend, matricule: str, password: str) -> Caller | None:
    """The commune agent whose password this is, or None (a failure is journalled; an
    unknown account costs the same argon2 time as a known one). The login itself is
    journalled once the second factor is checked (`journal_login`)."""
    with transaction(backend.sessions) as session:
        officer = session.get(Officer, matricule)
        agent = Caller.of(officer) if officer is not None and officer.role == Role.COMMUNE else None
        stored = officer.password_hash if agent is not None and officer is not None else _DUMMY
        if auth.password_ok(stored, password) and agent is not None:
            return agent
        _journal_login(session, backend, agent, "bad-password")
        return None


def _journal_login(session: Session, backend: Backend, agent: Caller | None, failed: str) -> None:
    journal_store.append(
        session,
        at=backend.now(),
        kind=JournalKind.AUTH_LOGIN_FAILED if failed else JournalKind.AUTH_LOGIN,
        station=None,
        actor=agent.matricule if agent else None,
        detail={"portal": "commune", "reason": failed or None},
    )


def journal_login(backend: Backend, agent: Caller, failed: str = "") -> None:
    """The second factor's outcome: a login, or a failure with its reason."""
    with transaction(backend.sessions) as session:
        _journal_login(session, backend, agent, failed)


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

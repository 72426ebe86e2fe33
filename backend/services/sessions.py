"""Session tokens: opaque, random, stored only as a hash; idle and absolute timeouts."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from backend.caller import Caller
from backend.context import Backend
from backend.errors import UnauthenticatedError
from backend.services import plan
from backend.services.auth import token_hash
from backend.services.plan import Flow, Write
from backend.storage import journal_store
from backend.storage import sessions as store
from backend.storage.engine import transaction
from backend.storage.prepared import Db, reading
from backend.storage.tables import Officer, SessionRow
from backend.storage.writer import raw_unit
from procuration import timeutil
from procuration.wire import JournalKind

# Refreshing last_seen on every call would add a write to every request; a minute of
# slack on a 15-minute idle timeout is harmless.
_TOUCH_AFTER = timedelta(seconds=60)


def _expired_reason(backend: Backend, found: Any) -> str | None:
    now = backend.now()
    settings = backend.settings
    if found.ended_at is not None:
        return "ended"
    if now - timeutil.from_wire(found.created_at) >= timedelta(
        hours=settings.session_absolute_hours
    ):
        return "absolute"
    if now - timeutil.from_wire(found.last_seen) >= timedelta(
        minutes=settings.session_idle_minutes
    ):
        return "idle"
    if found.kid is None or found.revoked_at is not None:
        return "device-revoked"
    if found.matricule is None:
        return "unknown-officer"
    return None


def authenticate_flow(backend: Backend, token: str) -> Flow[Caller]:
    """The account a bearer token belongs to, or 401 (expired sessions are journalled once).

    Every API call passes here: one query without the write lock (session, officer and
    device together); a write only to refresh `last_seen` (at most once a minute) or to end
    an expired session. Run with backend/services/plan.py's `run` or `run_async`."""
    now = backend.now()
    key = token_hash(token)
    with reading(backend.engine) as db:
        found = store.session_of(db, key)
    if found is None:
        raise UnauthenticatedError("unknown session")
    reason = _expired_reason(backend, found)
    if reason is not None:
        yield Write(partial(_end_expired, backend, key, reason))
        raise UnauthenticatedError(f"session {reason}")
    if now - timeutil.from_wire(found.last_seen) >= _TOUCH_AFTER:
        wire_now = timeutil.to_wire(now)
        yield Write(raw_unit(lambda session: store.touch(Db.of(session), key, wire_now)))
    return Caller(
        found.matricule,
        found.name,
        found.grade,
        found.role,
        found.station,
        found.commune_insee,
        found.habilitation_from,
        found.habilitation_until,
        found.kid,
    )


def _end_expired(backend: Backend, key: str, reason: str, session: Session) -> None:
    """Ends the session and journals why, exactly once (re-read under the write lock)."""
    now = backend.now()
    row = session.get(SessionRow, key, with_for_update=True)
    officer = session.get(Officer, row.matricule) if row is not None else None
    if row is None or row.ended_at is not None or officer is None:
        return
    row.ended_at = timeutil.to_wire(now)
    journal_store.append(
        session,
        at=now,
        kind=JournalKind.AUTH_SESSION_EXPIRED,
        station=officer.station,
        actor=officer.matricule,
        detail={"kid": row.kid, "reason": reason},
    )


def logout(backend: Backend, token: str) -> None:
    now = backend.now()
    with transaction(backend.sessions) as session:
        row = session.get(SessionRow, token_hash(token))
        if row is None or row.ended_at is not None:
            raise UnauthenticatedError("unknown session")
        row.ended_at = timeutil.to_wire(now)
        officer = session.get(Officer, row.matricule)
        journal_store.append(
            session,
            at=now,
            kind=JournalKind.AUTH_LOGOUT,
            station=officer.station if officer else None,
            actor=row.matricule,
            detail={"kid": row.kid},
        )


def authenticate(backend: Backend, token: str) -> Caller:
    """`authenticate_flow` run in the calling thread (a flow only runs when driven)."""
    return plan.run(authenticate_flow(backend, token), backend.writer)

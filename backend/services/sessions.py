"""Session tokens: opaque, random, stored only as a hash; idle and absolute timeouts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from backend import journal_store
from backend.context import Backend
from backend.errors import UnauthenticatedError
from backend.services.auth import token_hash
from backend.storage.engine import transaction
from backend.storage.tables import Device, Officer, SessionRow
from procuration import timeutil

# Refreshing last_seen on every call would add a write to every request; a minute of
# slack on a 15-minute idle timeout is harmless.
_TOUCH_AFTER = timedelta(seconds=60)


def _expired_reason(backend: Backend, row: SessionRow) -> str | None:
    now = backend.now()
    settings = backend.settings
    if row.ended_at is not None:
        return "ended"
    if now - timeutil.from_wire(row.created_at) >= timedelta(hours=settings.session_absolute_hours):
        return "absolute"
    if now - timeutil.from_wire(row.last_seen) >= timedelta(minutes=settings.session_idle_minutes):
        return "idle"
    return None


def authenticate(backend: Backend, token: str) -> Officer:
    """The officer a bearer token belongs to, or 401 (expired sessions are journalled once).

    Every API call passes here: one query without the write lock (session, officer and
    device together); a write only to refresh `last_seen` (at most once a minute) or to end
    an expired session.
    """
    now = backend.now()
    key = token_hash(token)
    with transaction(backend.readers) as session:
        found = session.execute(
            select(SessionRow, Officer, Device.kid, Device.revoked_at)
            .outerjoin(Officer, Officer.matricule == SessionRow.matricule)
            .outerjoin(Device, Device.kid == SessionRow.kid)
            .where(SessionRow.token_hash == key)
        ).first()
        if found is None:
            raise UnauthenticatedError("unknown session")
        row, officer, device_kid, revoked_at = found
        reason = _expired_reason(backend, row)
        if reason is None and (device_kid is None or revoked_at is not None):
            reason = "device-revoked"
        if reason is None and officer is None:
            reason = "unknown-officer"
        touch = now - timeutil.from_wire(row.last_seen) >= _TOUCH_AFTER
        if officer is not None:
            session.expunge(officer)
    if reason is None and officer is not None:
        if touch:
            backend.writer.run(
                lambda session: session.execute(
                    update(SessionRow)
                    .where(SessionRow.token_hash == key, SessionRow.ended_at.is_(None))
                    .values(last_seen=timeutil.to_wire(now))
                )
            )
        return officer
    _end_expired(backend, key, reason)
    raise UnauthenticatedError(f"session {reason or 'invalid'}")


def _end_expired(backend: Backend, key: str, reason: str | None) -> None:
    """Ends the session and journals why, exactly once (re-read under the write lock)."""
    now = backend.now()
    with transaction(backend.sessions) as session:
        row = session.get(SessionRow, key, with_for_update=True)
        officer = session.get(Officer, row.matricule) if row is not None else None
        if row is None or row.ended_at is not None or officer is None:
            return
        row.ended_at = timeutil.to_wire(now)
        journal_store.append(
            session,
            at=now,
            kind="auth.session_expired",
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
            kind="auth.logout",
            station=officer.station if officer else None,
            actor=row.matricule,
            detail={"kid": row.kid},
        )

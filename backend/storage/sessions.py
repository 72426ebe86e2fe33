"""The statements of the session check (backend/services/sessions.py), run on every API
call: prepared once (backend/storage/prepared.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, update

from backend.storage.prepared import Db, Prepared
from backend.storage.tables import Base

_TABLES = Base.metadata.tables
_OFFICERS, _DEVICES, _SESSIONS = _TABLES["officers"], _TABLES["devices"], _TABLES["sessions"]
_SESSION = Prepared(
    select(
        _SESSIONS.c.created_at,
        _SESSIONS.c.last_seen,
        _SESSIONS.c.ended_at,
        _DEVICES.c.kid,
        _DEVICES.c.revoked_at,
        _OFFICERS.c.matricule,
        _OFFICERS.c.name,
        _OFFICERS.c.grade,
        _OFFICERS.c.role,
        _OFFICERS.c.station,
        _OFFICERS.c.commune_insee,
        _OFFICERS.c.habilitation_from,
        _OFFICERS.c.habilitation_until,
    )
    .select_from(
        _SESSIONS.outerjoin(_OFFICERS, _OFFICERS.c.matricule == _SESSIONS.c.matricule).outerjoin(
            _DEVICES, _DEVICES.c.kid == _SESSIONS.c.kid
        )
    )
    .where(_SESSIONS.c.token_hash == bindparam("key"))
)
_TOUCH = Prepared(
    update(_SESSIONS)
    .where(_SESSIONS.c.token_hash == bindparam("key"), _SESSIONS.c.ended_at.is_(None))
    .values(last_seen=bindparam("now"))
)


def session_of(db: Db, key: str) -> Any:
    """The session whose token hashes to `key` — its times, its device (kid, revoked_at:
    None when unknown) and its officer (matricule ... habilitation_until: None when
    unknown) in one query —, or None."""
    return db.first(_SESSION, key=key)


def touch(db: Db, key: str, now: str) -> None:
    """Records that the session `key`, if still open, was used at `now`."""
    db.run(_TOUCH, key=key, now=now)

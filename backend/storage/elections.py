"""The statements of the election calendar (backend/services/elections.py), one function
per use. The calendar is read by every register check: prepared once
(backend/storage/prepared.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.storage.prepared import Db, Prepared
from backend.storage.tables import Base, ElectionRoundRow, ElectionRow
from procuration.elections import Election

_ELECTIONS, _ROUNDS = Base.metadata.tables["elections"], Base.metadata.tables["election_rounds"]
_CALENDAR = Prepared(
    select(_ELECTIONS.c.id, _ELECTIONS.c.label, _ROUNDS.c.round, _ROUNDS.c.polling_day)
    .select_from(_ELECTIONS.join(_ROUNDS, _ROUNDS.c.election_id == _ELECTIONS.c.id))
    .order_by(_ROUNDS.c.polling_day, _ELECTIONS.c.id, _ROUNDS.c.round)
)


def rounds(db: Db) -> list[Any]:
    """Every round of the calendar (id, label, round, polling_day), by polling day."""
    return db.all(_CALENDAR)


def exists(session: Session, election_id: str) -> bool:
    return session.get(ElectionRow, election_id) is not None


def add(session: Session, election: Election) -> None:
    """Inserts the election and its rounds."""
    session.add(ElectionRow(id=election.id, label=election.label))
    session.flush()
    for item in election.rounds:
        session.add(
            ElectionRoundRow(
                election_id=election.id, round=item.round, polling_day=item.polling_day
            )
        )

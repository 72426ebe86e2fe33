"""The election calendar: added by an admin (CLI), listed to anyone (`GET /v1/elections`),
read by the scope checks and the L73 cap (procuration.elections)."""

from __future__ import annotations

from collections import defaultdict

from backend.context import Backend
from backend.errors import ConflictError
from backend.storage import elections as store
from backend.storage import journal_store
from backend.storage.engine import transaction
from backend.storage.prepared import Db, reading
from procuration.elections import Calendar, Election, ElectionRound
from procuration.wire import JournalKind


def calendar(db: Db) -> dict[str, Election]:
    """Every election of the calendar, by id, in order of their first polling day."""
    labels: dict[str, str] = {}
    rounds: dict[str, list[ElectionRound]] = defaultdict(list)
    for row in store.rounds(db):
        labels.setdefault(row.id, row.label)
        rounds[row.id].append(ElectionRound(round=row.round, polling_day=row.polling_day))
    return {
        key: Election(id=key, label=label, rounds=tuple(sorted(rounds[key], key=_number)))
        for key, label in labels.items()
    }


def _number(item: ElectionRound) -> int:
    return item.round


def read_calendar(backend: Backend) -> Calendar:
    with reading(backend.engine) as db:
        return calendar(db)


def list_elections(backend: Backend) -> list[Election]:
    return list(read_calendar(backend).values())


def add_election(backend: Backend, election: Election) -> None:
    """Adds one election; an id already in the calendar is a conflict (ids are what
    requests refer to: an election is never silently redefined)."""
    with transaction(backend.sessions) as session:
        if store.exists(session, election.id):
            raise ConflictError(f"election {election.id} already exists")
        store.add(session, election)
        journal_store.append(
            session,
            at=backend.now(),
            kind=JournalKind.ELECTION_ADDED,
            station=None,
            reference=None,
            detail={"election": election.id, "rounds": len(election.rounds)},
        )

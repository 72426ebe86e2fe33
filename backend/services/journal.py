"""The supervisor's view of a station's chain, and checkpoint signing."""

from __future__ import annotations

import contextlib
import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from backend import witness
from backend.caller import Caller
from backend.context import Backend
from backend.errors import BadRequestError, ForbiddenError, NotFoundError
from backend.services.checks import PARIS
from backend.storage import journal_store
from backend.storage.engine import transaction
from backend.storage.tables import Station
from procuration import timeutil
from procuration.journal import NATIONAL
from procuration.models import Role

log = logging.getLogger(__name__)
MAX_RANGE = 200_000


def chain_for(officer: Caller, station: str | None) -> str:
    """Supervisors read their own station only; admins any chain (national included)."""
    if officer.role == Role.ADMIN:
        return station or NATIONAL
    if officer.role != Role.SUPERVISOR:
        raise ForbiddenError("only supervisors read the journal")
    if station is not None and station != officer.station:
        raise ForbiddenError("a supervisor reads only their own station's journal")
    if officer.station is None:
        raise ForbiddenError("supervisor without a station")
    return officer.station


# The journal cannot hold days before the service existed nor far ahead: a day outside is a
# caller's mistake (422), and the bounds keep the day's UTC limits computable (9999-12-31
# has no next day, 0001-01-01 in Paris begins in year 0 UTC).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2199, 12, 31)


def parse_day(day: str, field: str = "day") -> date:
    """A YYYY-MM-DD day between FIRST_DAY and LAST_DAY, else BadRequestError on `field`."""
    try:
        parsed = date.fromisoformat(day)
    except ValueError as exc:
        raise BadRequestError(f"{field} must be a real day, YYYY-MM-DD", field=field) from exc
    if not FIRST_DAY <= parsed <= LAST_DAY:
        raise BadRequestError(f"{field} must be between {FIRST_DAY} and {LAST_DAY}", field=field)
    return parsed


def _day_bounds(day: date) -> tuple[str, str]:
    try:
        start = datetime.combine(day, time(0), PARIS)
        end = datetime.combine(day + timedelta(days=1), time(0), PARIS)
        return timeutil.to_wire(start), timeutil.to_wire(end)
    except OverflowError:  # 0001-01-01 or 9999-12-31: no journal day, never a 500
        raise BadRequestError("no journal on this day", field="day") from None


def _seq_bounds(session: Session, chain: str, day: date) -> tuple[int, int]:
    """(first, last) seq of the day's entries; an empty day gives (next, next - 1)."""
    start, end = _day_bounds(day)
    return journal_store.seq_range(session, chain, start, end)


def _answer(session: Session, chain: str, first: int, last: int, day: str | None) -> dict[str, Any]:
    checkpoint = journal_store.covering_checkpoint(session, chain, last)
    upto = max(last, checkpoint.size if checkpoint else last)
    return {
        "journal": chain,
        "day": day,
        "anchor": {
            "first_seq": first,
            "prev_hash": journal_store.hash_at(session, chain, first - 1),
        },
        "entries": journal_store.entries(session, chain, first, upto),
        "checkpoint": checkpoint.jws if checkpoint else None,
    }


def read_day(backend: Backend, officer: Caller, day: str, station: str | None) -> dict[str, Any]:
    chain = chain_for(officer, station)
    parsed = parse_day(day)
    with transaction(backend.sessions) as session:
        first, last = _seq_bounds(session, chain, parsed)
        return _answer(session, chain, first, last, parsed.isoformat())


def read_range(
    backend: Backend, officer: Caller, first: int, last: int | None, station: str | None
) -> dict[str, Any]:
    chain = chain_for(officer, station)
    with transaction(backend.sessions) as session:
        size, _ = journal_store.head(session, chain)
        last = min(size, last if last is not None else size)
        if first < 1 or last - first + 1 > MAX_RANGE:
            raise BadRequestError(f"from_seq must be >= 1 and the range at most {MAX_RANGE}")
        return _answer(session, chain, first, max(last, first - 1), None)


def latest(backend: Backend, officer: Caller, station: str | None) -> str:
    """The latest checkpoint; a chain that grew since is signed first, so what a supervisor
    downloads (and keeps on their PC, outside the database) covers the tail too."""
    chain = chain_for(officer, station)
    # Refused (logged): the supervisor still gets the last good checkpoint, and their
    # client, verifying the chain against it, names the entry that was rewritten.
    with contextlib.suppress(journal_store.CheckpointRefusedError):
        _sign_if_grown(backend, chain)
    with transaction(backend.sessions) as session:
        found = journal_store.latest_checkpoint(session, chain)
        if found is None:
            raise NotFoundError("no checkpoint signed yet for this journal")
        return found.jws


def sign_now(backend: Backend, officer: Caller, station: str | None) -> str:
    chain = chain_for(officer, station)
    with transaction(backend.sessions) as session:
        if chain != NATIONAL and session.get(Station, chain) is None:
            raise NotFoundError(f"no station {chain}: no journal to sign")
    return _sign(backend, chain)


def _sign(backend: Backend, chain: str) -> str:
    """Signs one chain, after checking it extends the server's own witness; a refusal is
    logged (it means the database was tampered with) and raised."""
    seen = witness.read(witness.local_path(backend)).get(chain)
    try:
        with transaction(backend.sessions) as session:
            token = journal_store.sign_checkpoint(
                session, chain, backend.keys.journal, backend.now(), seen
            )
    except journal_store.CheckpointRefusedError as exc:
        log.error("checkpoint refused: %s", exc)
        raise
    witness.remember(backend, {chain: token})
    return token


def _grown(backend: Backend, chain: str) -> bool:
    with transaction(backend.readers) as session:
        size, _ = journal_store.head(session, chain)
        return size > journal_store.last_checkpoint_size(session, chain)


def _sign_if_grown(backend: Backend, chain: str) -> bool:
    if not _grown(backend, chain):
        return False
    _sign(backend, chain)
    return True


def sign_grown(backend: Backend) -> int:
    """Signs a checkpoint for every chain that grew since its last one (every few minutes);
    a chain refused is logged and left for an operator, the others are still signed."""
    with transaction(backend.readers) as session:
        chains = journal_store.chains(session)
    signed = 0
    for chain in chains:
        try:
            signed += _sign_if_grown(backend, chain)
        except journal_store.CheckpointRefusedError:
            continue
    log.info("%d checkpoints signed", signed)
    return signed

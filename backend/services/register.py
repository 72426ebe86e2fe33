"""Automatic register checks after a validation (what the REU does within minutes):
both parties on the electoral roll, then the L73 cap on each polling day the proxy covers
(procuration.cap), the earliest proxy winning."""

from __future__ import annotations

import logging
from datetime import date, datetime
from functools import partial
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from backend import notices
from backend.context import Backend
from backend.services import elections as elections_service
from backend.storage import journal_store
from backend.storage import register as store
from backend.storage.names import name_key
from backend.storage.prepared import Db
from backend.storage.writer import raw_unit
from procuration import cap, elections
from procuration.elections import Calendar, ElectionScope, PeriodScope, ScopeIn
from procuration.models import RequestStatus, Scope
from procuration.wire import JournalKind

log = logging.getLogger(__name__)
_SPEC: TypeAdapter[ElectionScope | PeriodScope] = TypeAdapter(ScopeIn)
_BATCH = store.BATCH


def _elector(db: Db, insee: str | None, name: str, first: str, born: str) -> Any:
    """The roll line of a person (in `insee`, or anywhere when None), or None."""
    return store.elector(db, insee, name_key(name, first, born))


def polling_days(row: Any, calendar: Calendar) -> frozenset[date]:
    """The polling days a stored request covers, in the current calendar."""
    if row.scope_spec is None:  # made before migration 0004
        return elections.legacy_days(Scope.model_validate_json(row.scope_json), calendar)
    return elections.polling_days(_SPEC.validate_json(row.scope_spec), calendar)


def verdict(db: Db, row: Any, calendar: Calendar) -> str | None:
    """None when the proxy can be established, else the reason it is void."""
    if (
        _elector(
            db, row.commune_insee, row.birth_name or "", row.first_names or "", row.birth_date or ""
        )
        is None
    ):
        return "mandant-not-on-roll"
    holder = _elector(
        db,
        row.mandataire_insee,
        row.mandataire_birth_name or "",
        row.mandataire_first_names or "",
        row.mandataire_birth_date or "",
    )
    if holder is None:
        return "mandataire-not-on-roll"
    return _cap(db, row, holder, calendar)


def cap_verdict(db: Db, row: Any) -> str | None:
    """The L73 cap alone, for a proxy whose roll verdict the commune corrected: a
    mandataire the roll does not know holds no proxy through other channels."""
    holder = _elector(
        db,
        row.mandataire_insee,
        row.mandataire_birth_name or "",
        row.mandataire_first_names or "",
        row.mandataire_birth_date or "",
    )
    return _cap(db, row, holder, elections_service.calendar(db))


def _cap(db: Db, row: Any, holder: Any, calendar: Calendar) -> str | None:
    held = store.held_elsewhere(db, row.mandataire_key, row.reference)
    return cap.breach(
        polling_days(row, calendar),
        (polling_days(other, calendar) for other in held),
        roll_france=holder.proxies_france if holder is not None else 0,
        roll_abroad=holder.proxies_abroad if holder is not None else 0,
    )


def run_checks(backend: Backend) -> int:
    """Decides every transmitted proxy, oldest validation first; returns how many.

    A few proxies per unit of the writer: the write lock is never held for long, and the
    validations queued meanwhile are committed between two units."""
    done = 0
    while True:
        composed = backend.writer.run(raw_unit(partial(_decide_some, backend)))
        notices.deliver(backend, composed)
        done += len(composed)
        if len(composed) < _BATCH:
            return done


def _decide_some(backend: Backend, session: Session) -> list[notices.Notice | None]:
    db = Db.of(session)
    # The cap counts committed proxies: two checks at once (workers, PostgreSQL instances)
    # could each miss the other's and establish both. SQLite's writer lock already makes
    # them take turns; on PostgreSQL this lock does.
    journal_store.lock_name(db, "register-checks")
    rows = store.transmitted(db)
    calendar = elections_service.calendar(db) if rows else {}
    return [_decide(backend, db, row, calendar) for row in rows]


def _decide(backend: Backend, db: Db, row: Any, calendar: Calendar) -> notices.Notice | None:
    reason = verdict(db, row, calendar)  # counts the rows decided before it in this unit
    status = RequestStatus.INVALID if reason else RequestStatus.ESTABLISHED
    store.decide(db, row.reference, status, reason)
    journal_store.append(
        db,
        at=backend.now(),
        kind=JournalKind.of_register(status),
        station=None,
        reference=row.reference,
        detail={"reason": reason},
    )
    log.debug("proxy %s %s", row.reference, status)  # the journal records it; busy at peak
    return notices.validated(
        backend,
        notices.Validated(
            reference=row.reference,
            email=row.email,
            validated_at=row.validated_at,
            validated_station=row.validated_station,
            officer_grade=row.grade,
            officer_name=row.name,
            status_reason=reason,
        ),
    )


def release(db: Db, reference: str, at: datetime) -> bool:
    """What a validated résiliation (L75) does to the register: the proxy becomes
    `cancelled` and its polling days are free for the proxies established after it, which
    the next checks judge against what is held then. A proxy already made void by the cap
    stays void (L73: "nulle de plein droit"): the mandant gives a new one
    (docs/decisions.md "L73 cap"). False, and nothing written, unless the proxy was held."""
    done = store.cancel_held(db, reference)
    if done:
        journal_store.append(
            db,
            at=at,
            kind=JournalKind.REGISTER_CANCELLED,
            station=None,
            reference=reference,
            detail={},
        )
    return done

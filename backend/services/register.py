"""Automatic register checks after a validation (what the REU does within minutes):
both parties on the electoral roll, then the L73 cap, the earliest proxy winning."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from backend import journal_store, notices
from backend.context import Backend
from backend.storage.names import name_key
from backend.storage.prepared import Db, Prepared
from backend.storage.tables import Base
from backend.storage.writer import raw_unit
from procuration.models import RequestStatus

log = logging.getLogger(__name__)
MAX_PROXIES = 2
MAX_IN_FRANCE = 1
_HELD = (RequestStatus.ESTABLISHED, RequestStatus.ACCEPTED_BY_COMMUNE)
_BATCH = 16


_TABLES = Base.metadata.tables
_ELECTORS, _REQUESTS, _OFFICERS = _TABLES["electors"], _TABLES["requests"], _TABLES["officers"]
# Prepared (backend/storage/prepared.py): the duty runs these for every validated proxy.
_ELECTOR_ANYWHERE = Prepared(
    select(_ELECTORS.c.proxies_france, _ELECTORS.c.proxies_abroad)
    .where(_ELECTORS.c.name_key == bindparam("key"))
    .limit(1)
)
_ELECTOR_IN = Prepared(
    select(_ELECTORS.c.proxies_france, _ELECTORS.c.proxies_abroad)
    .where(_ELECTORS.c.name_key == bindparam("key"), _ELECTORS.c.insee == bindparam("insee"))
    .limit(1)
)
_HELD_ELSEWHERE = Prepared(
    select(func.count().label("held"))
    .select_from(_REQUESTS)
    .where(
        _REQUESTS.c.mandataire_key == bindparam("key"),
        or_(*(_REQUESTS.c.status == bindparam(status.value, status.value) for status in _HELD)),
        _REQUESTS.c.reference != bindparam("reference"),
    )
)
_TRANSMITTED = Prepared(
    select(
        _REQUESTS.c.reference,
        _REQUESTS.c.email,
        _REQUESTS.c.commune_insee,
        _REQUESTS.c.birth_name,
        _REQUESTS.c.first_names,
        _REQUESTS.c.birth_date,
        _REQUESTS.c.mandataire_insee,
        _REQUESTS.c.mandataire_birth_name,
        _REQUESTS.c.mandataire_first_names,
        _REQUESTS.c.mandataire_birth_date,
        _REQUESTS.c.mandataire_key,
        _REQUESTS.c.validated_at,
        _REQUESTS.c.validated_station,
        _OFFICERS.c.grade,
        _OFFICERS.c.name,
    )
    .select_from(
        _REQUESTS.outerjoin(_OFFICERS, _OFFICERS.c.matricule == _REQUESTS.c.validated_officer)
    )
    .where(_REQUESTS.c.status == bindparam("transmitted"))
    .order_by(_REQUESTS.c.validated_at, _REQUESTS.c.reference)
    .limit(_BATCH)
    # Row locks against a concurrent change of these requests (PostgreSQL; SQLite has one
    # writer). The checks themselves take turns (_decide_some).
    .with_for_update(of=_REQUESTS)
)
_DECIDE = Prepared(
    update(_REQUESTS)
    .where(_REQUESTS.c.reference == bindparam("ref"))
    .values(status=bindparam("new_status"), status_reason=bindparam("reason"))
)


def _elector(db: Db, insee: str | None, name: str, first: str, born: str) -> Any:
    """The roll line of a person (in `insee`, or anywhere when None), or None."""
    key = name_key(name, first, born)
    if insee is None:
        return db.first(_ELECTOR_ANYWHERE, key=key)
    return db.first(_ELECTOR_IN, key=key, insee=insee)


def verdict(db: Db, row: Any) -> str | None:
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
    return _cap(db, row, holder)


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
    return _cap(db, row, holder)


def _cap(db: Db, row: Any, holder: Any) -> str | None:
    held_here = db.first(_HELD_ELSEWHERE, key=row.mandataire_key, reference=row.reference).held
    # Every proxy established at a counter of this service is established in France.
    in_france = held_here + (holder.proxies_france if holder else 0)
    if in_france >= MAX_IN_FRANCE:
        return "cap-france"
    if in_france + (holder.proxies_abroad if holder else 0) >= MAX_PROXIES:
        return "cap-total"
    return None


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
    rows = db.all(_TRANSMITTED, transmitted=RequestStatus.TRANSMITTED.value)
    return [_decide(backend, db, row) for row in rows]


def _decide(backend: Backend, db: Db, row: Any) -> notices.Notice | None:
    reason = verdict(db, row)  # counts the rows decided before it in this unit
    status = RequestStatus.INVALID if reason else RequestStatus.ESTABLISHED
    db.run(_DECIDE, ref=row.reference, new_status=status.value, reason=reason)
    journal_store.append(
        db,
        at=backend.now(),
        kind=f"register.{status}",
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

"""Automatic register checks after a validation (what the REU does within minutes):
both parties on the electoral roll, then the L73 cap, the earliest proxy winning."""

from __future__ import annotations

import logging

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from backend import journal_store, notices
from backend.context import Backend
from backend.storage.names import name_key
from backend.storage.tables import Elector, ProxyRequest
from procuration.models import RequestStatus

log = logging.getLogger(__name__)
MAX_PROXIES = 2
MAX_IN_FRANCE = 1
_HELD = (RequestStatus.ESTABLISHED, RequestStatus.ACCEPTED_BY_COMMUNE)
_BATCH = 16


# Built once: the register duty runs these for every validated proxy.
_ELECTOR_ANYWHERE = select(Elector).where(Elector.name_key == bindparam("key")).limit(1)
_ELECTOR_IN = _ELECTOR_ANYWHERE.where(Elector.insee == bindparam("insee"))
_HELD_ELSEWHERE = (
    select(func.count())
    .select_from(ProxyRequest)
    .where(
        ProxyRequest.mandataire_key == bindparam("key"),
        ProxyRequest.status.in_(_HELD),
        ProxyRequest.reference != bindparam("reference"),
    )
)


def _elector(
    session: Session, insee: str | None, name: str, first: str, born: str
) -> Elector | None:
    values = {"key": name_key(name, first, born)}
    if insee is None:
        return session.scalars(_ELECTOR_ANYWHERE, values).first()
    return session.scalars(_ELECTOR_IN, {**values, "insee": insee}).first()


def verdict(session: Session, row: ProxyRequest) -> str | None:
    """None when the proxy can be established, else the reason it is void."""
    if (
        _elector(
            session,
            row.commune_insee,
            row.birth_name or "",
            row.first_names or "",
            row.birth_date or "",
        )
        is None
    ):
        return "mandant-not-on-roll"
    holder = _elector(
        session,
        row.mandataire_insee,
        row.mandataire_birth_name or "",
        row.mandataire_first_names or "",
        row.mandataire_birth_date or "",
    )
    if holder is None:
        return "mandataire-not-on-roll"
    held_here = (
        session.scalar(_HELD_ELSEWHERE, {"key": row.mandataire_key, "reference": row.reference})
        or 0
    )
    # Every proxy established at a counter of this service is established in France.
    in_france = held_here + holder.proxies_france
    if in_france >= MAX_IN_FRANCE:
        return "cap-france"
    if in_france + holder.proxies_abroad >= MAX_PROXIES:
        return "cap-total"
    return None


def run_checks(backend: Backend) -> int:
    """Decides every transmitted proxy, oldest validation first; returns how many.

    A few proxies per unit of the writer: the write lock is never held for long, and the
    validations queued meanwhile are committed between two units."""
    done = 0
    while True:
        composed = backend.writer.run(lambda session: _decide_some(backend, session))
        notices.deliver(backend, composed)
        done += len(composed)
        if len(composed) < _BATCH:
            return done


def _decide_some(backend: Backend, session: Session) -> list[notices.Notice | None]:
    rows = list(
        session.scalars(
            select(ProxyRequest)
            .where(ProxyRequest.status == RequestStatus.TRANSMITTED)
            .order_by(ProxyRequest.validated_at, ProxyRequest.reference)
            .limit(_BATCH)
        )
    )
    return [_decide(backend, session, row) for row in rows]


def _decide(backend: Backend, session: Session, row: ProxyRequest) -> notices.Notice | None:
    reason = verdict(session, row)
    row.status = RequestStatus.INVALID if reason else RequestStatus.ESTABLISHED
    row.status_reason = reason
    session.flush()  # the next row's cap count must see this one
    journal_store.append(
        session,
        at=backend.now(),
        kind=f"register.{row.status}",
        station=None,
        reference=row.reference,
        detail={"reason": reason},
    )
    log.info("proxy %s %s", row.reference, row.status)
    return notices.validated(backend, session, row)

"""The statements of a commune's screens and decisions (backend/services/commune.py), one
function per use, run in the caller's ORM session: the rows come back as ORM objects, which
the service changes in place (flushed at its commit)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.storage.tables import Officer, ProxyRequest, Station
from procuration.models import RequestKind, RequestStatus

VISIBLE = (
    RequestStatus.ESTABLISHED,
    RequestStatus.INVALID,
    RequestStatus.ACCEPTED_BY_COMMUNE,
    RequestStatus.REFUSED_BY_COMMUNE,
    # Résiliated (L75): the mairie strikes it from the register and the émargement list.
    RequestStatus.CANCELLED,
)
# A résiliation is a request row of its own: the commune sees the proxy it ended, as
# `cancelled`, never the résiliation.
_PROXY = ProxyRequest.kind == RequestKind.PROXY.value


def proxies_of(session: Session, insee: str) -> list[ProxyRequest]:
    """The commune's proxies the register decided (VISIBLE), not purged, oldest validation
    first."""
    return list(
        session.scalars(
            select(ProxyRequest)
            .where(
                ProxyRequest.commune_insee == insee,
                _PROXY,
                ProxyRequest.status.in_(VISIBLE),
                ProxyRequest.purged_at.is_(None),
            )
            .order_by(ProxyRequest.validated_at, ProxyRequest.reference)
        )
    )


def locked_proxy(session: Session, reference: str) -> ProxyRequest | None:
    """The request, locked for the rest of the transaction (FOR UPDATE on PostgreSQL), or
    None."""
    return session.get(ProxyRequest, reference, with_for_update=True)


def account(session: Session, matricule: str) -> Officer | None:
    return session.get(Officer, matricule)


def register_rows(session: Session, insee: str) -> list[Any]:
    """The commune's register (VISIBLE, not purged), oldest establishment first: each proxy
    with the grade and name of the officer who validated it and the station's name (None
    for a proxy established online)."""
    query = (
        select(ProxyRequest, Officer.grade, Officer.name, Station.name)
        .outerjoin(Officer, Officer.matricule == ProxyRequest.validated_officer)
        .outerjoin(Station, Station.code == ProxyRequest.validated_station)
        .where(
            ProxyRequest.commune_insee == insee,
            _PROXY,
            ProxyRequest.status.in_(VISIBLE),
            ProxyRequest.purged_at.is_(None),
        )
        .order_by(ProxyRequest.validated_at, ProxyRequest.reference)
    )
    return list(session.execute(query).all())

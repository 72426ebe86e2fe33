"""The statement of the voter portal's "Mes procurations" (backend/services/mandant.py),
run in the caller's ORM session."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.storage.tables import CommuneRow, ProxyRequest


def _own(identity: dict[str, Any]) -> Any:
    return (
        (ProxyRequest.birth_name == identity["birth_name"])
        & (ProxyRequest.first_names == identity["first_names"])
        & (ProxyRequest.birth_date == identity["birth_date"])
        & ProxyRequest.purged_at.is_(None)
    )


def own_rows(
    session: Session, identity: dict[str, Any], reference: str | None = None
) -> list[tuple[ProxyRequest, str | None]]:
    """The requests of this civil identity, not purged, newest first (only `reference` when
    given), each with its commune's name (None for an unknown commune)."""
    query = (
        select(ProxyRequest, CommuneRow.name)
        .outerjoin(CommuneRow, CommuneRow.insee == ProxyRequest.commune_insee)
        .where(_own(identity))
        .order_by(ProxyRequest.created_at.desc(), ProxyRequest.reference)
    )
    if reference is not None:
        query = query.where(ProxyRequest.reference == reference)
    return [(row, name) for row, name in session.execute(query).all()]

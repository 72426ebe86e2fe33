"""The statements of a résiliation (backend/services/resiliation.py), one function per use,
on the DB-API connection of the caller's transaction (backend/storage/prepared.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from backend.storage.prepared import Db, Prepared
from backend.storage.tables import Base

_TABLES = Base.metadata.tables
_REQUESTS, _COMMUNES = _TABLES["requests"], _TABLES["communes"]
# The proxy a résiliation ends, locked (PostgreSQL) with the résiliation being validated.
_CANCELLED = Prepared(
    select(
        _REQUESTS.c.reference,
        _REQUESTS.c.status,
        _REQUESTS.c.email,
        _REQUESTS.c.birth_name,
        _REQUESTS.c.first_names,
        _REQUESTS.c.mandataire_email,
        _REQUESTS.c.commune_insee,
        _COMMUNES.c.email.label("commune_email"),
        _COMMUNES.c.name.label("commune_name"),
    )
    .select_from(_REQUESTS.outerjoin(_COMMUNES, _COMMUNES.c.insee == _REQUESTS.c.commune_insee))
    .where(_REQUESTS.c.reference == bindparam("reference"))
    .with_for_update(of=_REQUESTS)
)


def cancelled_proxy(db: Db, reference: str) -> Any:
    """The proxy `reference` a résiliation ends, locked, with its commune's mail and name (a
    named row), or None."""
    return db.first(_CANCELLED, reference=reference)

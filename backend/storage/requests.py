"""The statements of a request's lookup (backend/services/requests.py), one function per
use: the lookup's on the DB-API connection of the caller's transaction
(backend/storage/prepared.py), the commune names in the caller's ORM session."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from backend.storage.prepared import Db, Prepared
from backend.storage.tables import Base, CommuneRow

_TABLES = Base.metadata.tables
_REQUESTS, _COMMUNES, _OFFICERS = _TABLES["requests"], _TABLES["communes"], _TABLES["officers"]
_HOLDER_COMMUNES, _CANCELLED = _COMMUNES.alias("holder_communes"), _REQUESTS.alias("cancelled")
# What a lookup shows, in one statement (backend/storage/prepared.py): the request, its
# commune's name, the mandataire's commune's name, the name of the officer who validated
# it, if any, and for a résiliation the current status of the proxy it ends.
_SHOWN = Prepared(
    select(
        *_REQUESTS.c,
        _COMMUNES.c.name.label("commune_name"),
        _HOLDER_COMMUNES.c.name.label("mandataire_commune_name"),
        _OFFICERS.c.name.label("validated_officer_name"),
        _CANCELLED.c.status.label("cancelled_status"),
    )
    .select_from(
        _REQUESTS.outerjoin(_COMMUNES, _COMMUNES.c.insee == _REQUESTS.c.commune_insee)
        .outerjoin(_HOLDER_COMMUNES, _HOLDER_COMMUNES.c.insee == _REQUESTS.c.mandataire_insee)
        .outerjoin(_OFFICERS, _OFFICERS.c.matricule == _REQUESTS.c.validated_officer)
        .outerjoin(_CANCELLED, _CANCELLED.c.reference == _REQUESTS.c.cancels)
    )
    .where(_REQUESTS.c.reference == bindparam("reference"))
)


def shown(db: Db, reference: str) -> Any:
    """What a lookup of `reference` shows (a named row), or None."""
    return db.first(_SHOWN, reference=reference)


def commune_names(session: Session, insee: set[str]) -> dict[str, str]:
    """The names of these communes, by INSEE code (an unknown code is left out); in the
    caller's ORM session."""
    found = session.scalars(select(CommuneRow).where(CommuneRow.insee.in_(insee)))
    return {commune.insee: commune.name for commune in found}

"""The statements of a résiliation (backend/services/resiliation.py), one function per use,
on the DB-API connection of the caller's transaction (backend/storage/prepared.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, update

from backend.storage.prepared import Db, Prepared
from backend.storage.tables import Base
from procuration.models import RequestKind, RequestStatus

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


# The other résiliations of a proxy that ended: nothing left for them to end.
_CLOSE_OTHERS = Prepared(
    update(_REQUESTS)
    .where(
        _REQUESTS.c.cancels == bindparam("proxy"),
        _REQUESTS.c.kind == bindparam("resiliation", RequestKind.RESILIATION.value),
        _REQUESTS.c.status == bindparam("submitted", RequestStatus.SUBMITTED.value),
        _REQUESTS.c.reference != bindparam("validated"),
    )
    .values(status=bindparam("expired", RequestStatus.EXPIRED.value))
)


def close_other_resiliations(db: Db, proxy: str, validated: str) -> int:
    """Marks expired the résiliations of `proxy` still waiting, but `validated`."""
    return db.run(_CLOSE_OTHERS, proxy=proxy, validated=validated)

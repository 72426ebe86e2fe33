"""The statements of the register checks (backend/services/register.py), one function per
use: prepared once (backend/storage/prepared.py), since the duty runs them for every
validated proxy. Rows come back as named tuples with the columns each statement selects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, or_, select, update

from backend.storage.prepared import Db, Prepared
from backend.storage.tables import Base
from procuration.models import RequestStatus

BATCH = 16  # proxies decided per unit of the writer
_HELD = (RequestStatus.ESTABLISHED, RequestStatus.ACCEPTED_BY_COMMUNE)

_TABLES = Base.metadata.tables
_ELECTORS, _REQUESTS, _OFFICERS = _TABLES["electors"], _TABLES["requests"], _TABLES["officers"]
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
# The proxies the same person holds (one identity key: backend.storage.names.person_key),
# with their scopes: the cap is judged on the polling days they cover.
_HELD_ELSEWHERE = Prepared(
    select(_REQUESTS.c.scope_json, _REQUESTS.c.scope_spec)
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
        _REQUESTS.c.scope_json,
        _REQUESTS.c.scope_spec,
        _REQUESTS.c.validated_at,
        _REQUESTS.c.validated_station,
        _OFFICERS.c.grade,
        _OFFICERS.c.name,
    )
    .select_from(
        _REQUESTS.outerjoin(_OFFICERS, _OFFICERS.c.matricule == _REQUESTS.c.validated_officer)
    )
    .where(
        _REQUESTS.c.status == bindparam("transmitted", RequestStatus.TRANSMITTED.value),
    )
    .order_by(_REQUESTS.c.validated_at, _REQUESTS.c.reference)
    .limit(BATCH)
    # Row locks against a concurrent change of these requests (PostgreSQL; SQLite has one
    # writer). The checks themselves take turns (backend/services/register.py).
    .with_for_update(of=_REQUESTS)
)
_DECIDE = Prepared(
    update(_REQUESTS)
    .where(_REQUESTS.c.reference == bindparam("ref"))
    .values(status=bindparam("new_status"), status_reason=bindparam("reason"))
)
_RELEASE = Prepared(
    update(_REQUESTS)
    .where(
        _REQUESTS.c.reference == bindparam("ref"),
        or_(*(_REQUESTS.c.status == bindparam(status.value, status.value) for status in _HELD)),
    )
    .values(
        status=bindparam("cancelled", RequestStatus.CANCELLED.value),
        status_reason=bindparam("reason", "resiliation"),
    )
)


def elector(db: Db, insee: str | None, key: str) -> Any:
    """(proxies_france, proxies_abroad) of the roll line whose name key is `key`, in the
    commune `insee` (anywhere when None), or None."""
    if insee is None:
        return db.first(_ELECTOR_ANYWHERE, key=key)
    return db.first(_ELECTOR_IN, key=key, insee=insee)


def held_elsewhere(db: Db, mandataire_key: str | None, reference: str) -> list[Any]:
    """(scope_json, scope_spec) of every proxy held (established or accepted by the
    commune) by the mandataire `mandataire_key`, other than `reference`."""
    return db.all(_HELD_ELSEWHERE, key=mandataire_key, reference=reference)


def transmitted(db: Db) -> list[Any]:
    """At most BATCH transmitted proxies, oldest validation first, locked for the rest of
    the transaction: the identities, scopes, e-mail and who validated them (grade, name)."""
    return db.all(_TRANSMITTED)


def decide(db: Db, reference: str, status: RequestStatus, reason: str | None) -> None:
    """Records the register's verdict on a proxy."""
    db.run(_DECIDE, ref=reference, new_status=status.value, reason=reason)


def cancel_held(db: Db, reference: str) -> bool:
    """Cancels the proxy (reason `resiliation`) if it is held; False, and nothing written,
    otherwise."""
    return db.run(_RELEASE, ref=reference) > 0

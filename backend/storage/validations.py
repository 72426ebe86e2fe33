"""The statements of a signed validation (backend/services/validations.py), one function per
use: prepared once (backend/storage/prepared.py), run on the connection of the caller's
transaction. Rows come back as named tuples with the columns each statement selects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select, update

from backend.storage.prepared import Db, Prepared
from backend.storage.tables import Base, ProxyRequest, Validation
from procuration.models import RequestStatus

_TABLES = Base.metadata.tables
_DEVICES, _OFFICERS, _STATIONS = _TABLES["devices"], _TABLES["officers"], _TABLES["stations"]
_VALIDATIONS, _REQUESTS = _TABLES[Validation.__tablename__], _TABLES[ProxyRequest.__tablename__]

_DEVICE_KEY = Prepared(
    select(_DEVICES.c.revoked_at, _DEVICES.c.public_x).where(_DEVICES.c.kid == bindparam("kid"))
)
# The device, officer and station in one statement.
_ENROLMENT = Prepared(
    select(
        _DEVICES.c.matricule,
        _DEVICES.c.revoked_at,
        _DEVICES.c.last_seq,
        _OFFICERS.c.matricule.label("officer"),
        _OFFICERS.c.role,
        _OFFICERS.c.habilitation_from,
        _OFFICERS.c.habilitation_until,
        _OFFICERS.c.station,
        _STATIONS.c.code.label("station_code"),
    )
    .select_from(
        _DEVICES.outerjoin(_OFFICERS, _OFFICERS.c.matricule == bindparam("officer")).outerjoin(
            _STATIONS, _STATIONS.c.code == bindparam("station")
        )
    )
    .where(_DEVICES.c.kid == bindparam("kid"))
)
_STORED = Prepared(
    select(_VALIDATIONS.c.body_hash, _VALIDATIONS.c.response_json).where(
        _VALIDATIONS.c.validation_id == bindparam("key")
    )
)
# Locked on PostgreSQL (FOR UPDATE); SQLite's writer already holds the only write lock.
_REQUEST = Prepared(
    select(
        _REQUESTS.c.reference,
        _REQUESTS.c.kind,
        _REQUESTS.c.cancels,
        _REQUESTS.c.status,
        _REQUESTS.c.created_at,
        _REQUESTS.c.expires_at,
        _REQUESTS.c.purged_at,
        _REQUESTS.c.email,
        _REQUESTS.c.birth_name,
        _REQUESTS.c.first_names,
        _REQUESTS.c.birth_date,
        _REQUESTS.c.validated_at,
        _REQUESTS.c.validated_station,
        _REQUESTS.c.validated_officer,
        _OFFICERS.c.name.label("validated_officer_name"),
    )
    .select_from(
        _REQUESTS.outerjoin(_OFFICERS, _OFFICERS.c.matricule == _REQUESTS.c.validated_officer)
    )
    .where(_REQUESTS.c.reference == bindparam("reference"))
    .with_for_update(of=_REQUESTS)
)
# Conditional: two instances accepting from one device at once cannot both win, nor move
# `last_seq` backwards (the loser's transaction updates no row and is rejected as a replay).
_ADVANCE_SEQ = Prepared(
    update(_DEVICES)
    .where(_DEVICES.c.kid == bindparam("device_kid"), _DEVICES.c.last_seq < bindparam("seq"))
    .values(last_seq=bindparam("seq"))
)
COLUMNS = (
    "validation_id", "reference", "kid", "officer", "station", "decision",
    "refusal_reason", "document_type", "device_seq", "created_at", "received_at",
    "body_hash", "jws", "response_json", "delivered_by", "delivered_kid",
)  # fmt: skip
_INSERT = Prepared(insert(_VALIDATIONS), columns=COLUMNS)
_SET_TRANSMITTED = Prepared(
    update(_REQUESTS)
    .where(_REQUESTS.c.reference == bindparam("ref"))
    .values(
        status=bindparam("new_status", RequestStatus.TRANSMITTED.value),
        validated_at=bindparam("at"),
        validated_station=bindparam("by_station"),
        validated_officer=bindparam("by_officer"),
    )
)
_SET_REFUSED = Prepared(
    update(_REQUESTS)
    .where(_REQUESTS.c.reference == bindparam("ref"))
    .values(status=bindparam("new_status", RequestStatus.REFUSED_BY_OFFICER.value))
)


def device_key(db: Db, kid: str) -> Any:
    """(revoked_at, public_x) of an enrolled device, or None."""
    return db.first(_DEVICE_KEY, kid=kid)


def enrolment(db: Db, kid: str, officer: str, station: str) -> Any:
    """The device (matricule, revoked_at, last_seq), the officer `officer` (officer, role,
    habilitation_from, habilitation_until, station; None when unknown) and whether the
    station exists (station_code, else None); None when the device is unknown."""
    return db.first(_ENROLMENT, kid=kid, officer=officer, station=station)


def stored_answer(db: Db, validation_id: str) -> Any:
    """(body_hash, response_json) of an accepted validation, or None."""
    return db.first(_STORED, key=validation_id)


def request_to_validate(db: Db, reference: str) -> Any:
    """The request's status, dates (created_at, expires_at, purged_at), e-mail, identity
    and who validated it (with the officer's name), locked for the rest of the
    transaction; None when unknown."""
    return db.first(_REQUEST, reference=reference)


def advance_device_seq(db: Db, kid: str, seq: int) -> bool:
    """Raises the device's last accepted sequence to `seq`; False when it was not below."""
    return db.run(_ADVANCE_SEQ, device_kid=kid, seq=seq) == 1


def record(db: Db, **columns: str | int | None) -> None:
    """Inserts one validation; every name of COLUMNS is given."""
    db.run(_INSERT, **columns)


def mark_transmitted(db: Db, reference: str, at: str, station: str, officer: str) -> None:
    """The request was validated at `station` by `officer` (payload time `at`)."""
    db.run(_SET_TRANSMITTED, ref=reference, at=at, by_station=station, by_officer=officer)


def mark_resiliation_done(db: Db, reference: str, at: str, station: str, officer: str) -> None:
    """A résiliation validated at `station`: it takes effect at once, with no register check
    to wait for (docs/decisions.md "Résiliation"), so it is `established` straight away."""
    db.run(
        _SET_TRANSMITTED,
        ref=reference,
        at=at,
        by_station=station,
        by_officer=officer,
        new_status=RequestStatus.ESTABLISHED.value,
    )


def mark_refused_by_officer(db: Db, reference: str) -> None:
    db.run(_SET_REFUSED, ref=reference)

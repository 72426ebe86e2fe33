"""Signed validations and refusals from the counter: every rejection of PROTOCOL.md,
idempotency on `validation_id`, and exactly one validation per reference."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from pydantic import ValidationError
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend import journal_store, notices
from backend.context import Backend
from backend.errors import (
    AlreadyValidatedError,
    AppError,
    BadRequestError,
    ExpiredError,
    IdempotencyConflictError,
    InFlightError,
    RejectedError,
    UnknownReferenceError,
)
from backend.services import checks
from backend.services.schemas import ValidationAccepted
from backend.storage.engine import transaction
from backend.storage.tables import Base, Officer, ProxyRequest, Validation
from procuration import jws, timeutil
from procuration.canonical import sha256_b64url
from procuration.errors import SignatureError
from procuration.models import VALIDATION_TYP, Decision, RequestStatus, ValidationPayload

log = logging.getLogger(__name__)
OFFLINE_AFTER_SECONDS = 300
_OPEN = (RequestStatus.SUBMITTED, RequestStatus.REFUSED_BY_OFFICER)


@dataclass(frozen=True)
class Outcome:
    """What the single endpoint answers: 201 and a body (fresh or stored)."""

    status: int
    body: dict[str, Any]


def _signature_rejection(exc: SignatureError) -> RejectedError:
    if exc.reason == "wrong-type":
        return RejectedError("wrong-context", 422, "not a validation (typ)")
    return RejectedError("bad-signature", 400, f"signature refused: {exc.reason}")


_TABLES = Base.metadata.tables
_DEVICES, _OFFICERS, _STATIONS = _TABLES["devices"], _TABLES["officers"], _TABLES["stations"]
_VALIDATIONS = _TABLES[Validation.__tablename__]
_DEVICE_KEY = select(_DEVICES.c.revoked_at, _DEVICES.c.public_x).where(
    _DEVICES.c.kid == bindparam("kid")
)


def _verify_signature(session: Session, token: str) -> tuple[ValidationPayload, str]:
    """The payload and the kid of the enrolled device that signed it, or RejectedError."""
    try:
        kid = jws.unverified_header(token).get("kid")
    except SignatureError as exc:
        raise _signature_rejection(exc) from exc
    device = session.execute(_DEVICE_KEY, {"kid": kid}).first() if isinstance(kid, str) else None
    if device is None or not isinstance(kid, str):
        raise RejectedError("unknown-key", 403, "this key is not enrolled")
    if device.revoked_at is not None:
        raise RejectedError("revoked-key", 403, "this device was revoked", kid=kid)
    public = checks.public_key(device.public_x)
    try:
        verified = jws.verify(token, {kid: public}, VALIDATION_TYP)
    except SignatureError as exc:
        raise _signature_rejection(exc) from exc
    try:
        payload = ValidationPayload.model_validate(verified.payload)
    except ValidationError as exc:
        if verified.payload.get("ctx") != "maprocuration/validation/v1":
            raise RejectedError("wrong-context", 422, "not a validation (ctx)") from exc
        raise RejectedError("validation", 422, "payload does not match the schema") from exc
    return payload, kid


# The writer's checks of the device, officer and station: one Core statement, no ORM
# objects (each session.get costs ~0.3 ms of ORM bookkeeping under the write lock).
_ENROLLED = (
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
_STORED = select(_VALIDATIONS.c.body_hash, _VALIDATIONS.c.response_json).where(
    _VALIDATIONS.c.validation_id == bindparam("key")
)
# Conditional: two instances accepting from one device at once cannot both win, nor move
# `last_seq` backwards (the loser's transaction updates no row and is rejected as a replay).
_SET_LAST_SEQ = (
    update(_DEVICES)
    .where(_DEVICES.c.kid == bindparam("device_kid"), _DEVICES.c.last_seq < bindparam("seq"))
    .values(last_seq=bindparam("seq"))
)
_INSERT_VALIDATION = insert(_VALIDATIONS)


def _enrolled_officer(session: Session, payload: ValidationPayload, kid: str) -> int:
    """The device's last accepted `device_seq`, once the device (re-read under the write
    lock: it may have been revoked since), the officer and the station pass."""
    found = session.execute(
        _ENROLLED, {"kid": kid, "officer": payload.officer, "station": payload.station}
    ).first()
    if found is None or found.revoked_at is not None:
        raise RejectedError("revoked-key", 403, "this device was revoked", kid=kid)
    if found.matricule != payload.officer:
        raise RejectedError("wrong-officer-key", 403, "the key is enrolled to another officer")
    if found.officer is None or not checks.habilitated_on(
        found.role, found.habilitation_from, found.habilitation_until, payload.created_at
    ):
        raise RejectedError("not-habilitated", 403, "officer not habilitated at created_at")
    if found.station_code is None:
        raise RejectedError("validation", 422, "unknown station", field="station")
    if found.station != payload.station:
        # An officer validates at the counter of their own unit, never in another's name.
        raise RejectedError(
            "wrong-station", 403, "the payload's station is not the officer's own station"
        )
    return int(found.last_seq)


def _check_time_and_seq(
    backend: Backend, payload: ValidationPayload, last_seq: int, now: datetime
) -> None:
    created = timeutil.from_wire(payload.created_at)
    if created > now + timedelta(minutes=backend.settings.clock_skew_minutes):
        raise RejectedError("clock-skew", 422, "created_at is in the future")
    if created < now - timedelta(hours=backend.settings.offline_allowance_hours):
        raise RejectedError("too-old", 422, "created_at is older than the offline allowance")
    if payload.device_seq <= last_seq:
        raise RejectedError("replay", 409, "device_seq not above the last accepted one")
    if not payload.consistent():
        raise RejectedError("validation", 422, "decision, checks and refusal reason disagree")


def _check_request(session: Session, payload: ValidationPayload, now: str) -> ProxyRequest:
    row = session.get(ProxyRequest, payload.reference, with_for_update=True)
    if row is None:
        raise UnknownReferenceError("no request with this reference")
    if row.status not in _OPEN:
        if row.validated_at is not None:
            raise checks.already_validated(session, row)
        raise ExpiredError("this request can no longer be validated", request_status=row.status)
    if row.purged_at is not None or (row.status in _OPEN and row.expires_at <= payload.created_at):
        raise ExpiredError("this request has expired", request_status=row.status)
    if checks.digest_of_row(row) != payload.identity_digest:
        raise RejectedError("identity-mismatch", 422, "identity_digest differs from the request")
    return row


def _record(
    backend: Backend,
    session: Session,
    payload: ValidationPayload,
    kid: str,
    row: ProxyRequest,
    *,
    token: str,
    now: datetime,
) -> tuple[dict[str, Any], notices.Notice | None]:
    received = timeutil.to_wire(now)
    validated = payload.decision is Decision.VALIDATED
    response = ValidationAccepted(
        validation_id=payload.validation_id,
        reference=row.reference,
        status="transmitted" if validated else "refused_by_officer",
        received_at=received,
    ).model_dump()
    session.execute(
        _INSERT_VALIDATION,
        {
            "validation_id": payload.validation_id,
            "reference": row.reference,
            "kid": kid,
            "officer": payload.officer,
            "station": payload.station,
            "decision": payload.decision.value,
            "refusal_reason": payload.refusal_reason.value if payload.refusal_reason else None,
            "document_type": payload.id_document.type.value,
            "device_seq": payload.device_seq,
            "created_at": payload.created_at,
            "received_at": received,
            "body_hash": sha256_b64url(token.encode()),
            "jws": token,
            "response_json": json.dumps(response),
        },
    )
    moved = session.execute(_SET_LAST_SEQ, {"device_kid": kid, "seq": payload.device_seq})
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise RejectedError("replay", 409, "device_seq not above the last accepted one")
    notice = None
    if validated:
        row.status = RequestStatus.TRANSMITTED
        row.validated_at = payload.created_at
        row.validated_station, row.validated_officer = payload.station, payload.officer
    else:
        row.status = RequestStatus.REFUSED_BY_OFFICER
        notice = notices.refused_by_officer(backend, row, payload.station)
    delay = int((now - timeutil.from_wire(payload.created_at)).total_seconds())
    journal_store.append(
        session,
        at=now,
        kind=f"validation.{payload.decision.value}",
        station=payload.station,
        actor=payload.officer,
        reference=row.reference,
        detail={
            "validation_id": payload.validation_id,
            "document_type": payload.id_document.type.value,
            "refusal_reason": payload.refusal_reason.value if payload.refusal_reason else None,
            "created_at": payload.created_at,
            "received_at": received,
            "delay_s": delay,
            "offline": delay > OFFLINE_AFTER_SECONDS,
        },
    )
    session.flush()
    return response, notice


def _stored(session: Session, key: str, token: str) -> Outcome | None:
    existing = session.execute(_STORED, {"key": key}).first()
    if existing is None:
        return None
    if existing.body_hash != sha256_b64url(token.encode()):
        raise IdempotencyConflictError("this validation_id was used with another body")
    return Outcome(201, json.loads(existing.response_json))


@dataclass(frozen=True)
class _Signed:
    """A validation whose signature holds, as the writer's unit receives it."""

    caller: Officer
    payload: ValidationPayload
    kid: str
    token: str
    now: datetime


def _checked_record(
    backend: Backend, session: Session, signed: _Signed
) -> tuple[Outcome, notices.Notice | None]:
    """Every check that needs the write lock, then the record."""
    payload, now = signed.payload, signed.now
    stored = _stored(session, payload.validation_id, signed.token)
    if stored is not None:
        return stored, None
    last_seq = _enrolled_officer(session, payload, signed.kid)
    _check_time_and_seq(backend, payload, last_seq, now)
    row = _check_request(session, payload, timeutil.to_wire(now))
    response, notice = _record(
        backend, session, payload, signed.kid, row, token=signed.token, now=now
    )
    return Outcome(201, response), notice


_JOURNALLED = (RejectedError, UnknownReferenceError, ExpiredError, AlreadyValidatedError)
_Written = tuple[Outcome, notices.Notice | None] | AppError


def _write(backend: Backend, signed: _Signed, session: Session) -> _Written:
    """One unit of the writer: the validation, or its rejection journalled in its place
    (returned, not raised, so that the rejection's journal entry commits)."""
    try:
        with session.begin_nested():
            return _checked_record(backend, session, signed)
    except _JOURNALLED as exc:
        _journal_rejection(backend, session, signed.caller, signed.token, exc)
        log.info("validation %s rejected: %s", signed.payload.validation_id, exc.code)
        return exc


def _process(backend: Backend, caller: Officer, token: str, key: str | None) -> Outcome:
    now = backend.now()
    # Parsing and the signature check need no lock: done before the unit is queued, they
    # overlap with the writer's commit of earlier validations.
    try:
        with transaction(backend.readers) as session:
            stored = _stored(session, key, token) if key else None
            if stored is not None:
                return stored
            payload, kid = _verify_signature(session, token)
    except _JOURNALLED as exc:
        error = exc
        backend.writer.run(
            lambda session: _journal_rejection(backend, session, caller, token, error)
        )
        log.info("validation rejected before the write: %s", exc.code)
        raise
    if key is not None and key != payload.validation_id:
        raise BadRequestError("Idempotency-Key differs from validation_id", field="Idempotency-Key")
    written = backend.writer.run(
        partial(_write, backend, _Signed(caller, payload, kid, token, now))
    )
    if isinstance(written, AppError):
        raise written
    outcome, notice = written
    notices.deliver(backend, [notice])
    log.debug("validation %s for %s recorded", payload.validation_id, payload.reference)
    return outcome


def _journal_rejection(
    backend: Backend, session: Session, caller: Officer, token: str, error: AppError
) -> None:
    validation_id = checks.unverified_validation_id(token)
    journal_store.append(
        session,
        at=backend.now(),
        kind="validation.rejected",
        station=caller.station,
        actor=caller.matricule,
        detail={"validation_id": validation_id, "reason": error.code},
    )


def submit(backend: Backend, caller: Officer, token: str, key: str | None) -> Outcome:
    """One signed validation, as `POST /v1/validations` answers it (AppError on rejection).

    Answered only once the validation (or its rejection's journal entry) is committed."""
    flight_key = key or checks.unverified_validation_id(token) or sha256_b64url(token.encode())
    if not backend.in_flight.enter(flight_key):
        raise InFlightError("the same validation is being processed; retry shortly")
    try:
        try:
            return _process(backend, caller, token, key)
        except IntegrityError:
            # Another instance won a race on the same key or reference: the retry sees it.
            return _process(backend, caller, token, key)
    finally:
        backend.in_flight.leave(flight_key)

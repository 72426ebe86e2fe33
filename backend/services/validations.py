"""Signed validations and refusals from the counter: every rejection of docs/protocol.md,
idempotency on `validation_id`, and exactly one validation per reference."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import rfc8785
from pydantic import ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from backend import notices
from backend.caller import Caller
from backend.context import Backend
from backend.errors import (
    AlreadyValidatedError,
    AppError,
    BackdatedError,
    BadRequestError,
    BadSignatureError,
    ClockSkewError,
    ExpiredError,
    IdempotencyConflictError,
    IdentityMismatchError,
    InFlightError,
    InvalidStateError,
    InvalidValidationError,
    NotHabilitatedError,
    NotHabilitatedWhenSignedError,
    RateLimitedError,
    RejectedError,
    ReplayError,
    RevokedKeyError,
    TooOldError,
    UnknownKeyError,
    UnknownReferenceError,
    WrongContextError,
    WrongOfficerKeyError,
    WrongStationError,
)
from backend.services import checks, plan, requests, resiliation
from backend.services.plan import Blocking, Flow, Write
from backend.services.schemas import ValidationAccepted
from backend.storage import journal_store
from backend.storage import validations as store
from backend.storage.prepared import Db, reading
from backend.storage.writer import raw_unit
from procuration import jws, timeutil
from procuration.canonical import canonical_json, sha256_b64url
from procuration.errors import SignatureError
from procuration.models import (
    Decision,
    RequestKind,
    RequestStatus,
    ValidationPayload,
    identity_digest,
)
from procuration.wire import AlreadyValidated, JournalKind

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
        return WrongContextError("not a validation (typ)")
    return BadSignatureError(f"signature refused: {exc.reason}")


_SIGNED_KINDS = {kind.typ: kind for kind in RequestKind}


def _verify_signature(db: Db, token: str) -> tuple[ValidationPayload, str]:
    """The payload and the kid of the enrolled device that signed it, or RejectedError.
    A validation (typ mpr-validation) and a résiliation (typ mpr-resiliation) are checked
    alike; a payload whose `ctx` is not its `typ`'s is `wrong-context`."""
    try:
        header = jws.unverified_header(token)
    except SignatureError as exc:
        raise _signature_rejection(exc) from exc
    kid = header.get("kid")
    signed_kind = _SIGNED_KINDS.get(str(header.get("typ")), RequestKind.PROXY)
    device = store.device_key(db, kid) if isinstance(kid, str) else None
    if device is None or not isinstance(kid, str):
        raise UnknownKeyError("this key is not enrolled")
    if device.revoked_at is not None:
        raise RevokedKeyError("this device was revoked", kid=kid)
    public = checks.public_key(device.public_x)
    try:
        verified = jws.verify(token, {kid: public}, signed_kind.typ)
    except SignatureError as exc:
        raise _signature_rejection(exc) from exc
    if RequestKind.of_ctx(verified.payload.get("ctx")) is not signed_kind:
        raise WrongContextError(f"not a {signed_kind.value} validation (ctx)")
    return _strict_payload(verified.payload, verified.payload_bytes), kid


def _strict_payload(parsed: dict[str, Any], signed: bytes) -> ValidationPayload:
    """The payload, accepted only as docs/protocol.md v1.1 "Strict signed payloads" says
    (its `ctx` checked by the caller against the JWS `typ`): the signed bytes exactly the
    RFC 8785 form of what they parse to (so no duplicate key, other order or spacing),
    every field of its exact JSON type."""
    try:
        canonical = canonical_json(parsed) == signed
    except (TypeError, rfc8785.CanonicalizationError):  # a float, an integer beyond 2^53
        canonical = False
    if not canonical:
        raise InvalidValidationError("the payload is not in RFC 8785 canonical form")
    try:
        # Strict JSON mode: true/false only for a boolean, an integer for device_seq.
        return ValidationPayload.model_validate_json(signed, strict=True)
    except ValidationError as exc:
        raise InvalidValidationError("payload does not match the schema") from exc


def _enrolled_officer(db: Db, payload: ValidationPayload, kid: str) -> int:
    """The device's last accepted `device_seq`, once the device (re-read under the write
    lock: it may have been revoked since), the officer and the station pass."""
    found = store.enrolment(db, kid, payload.officer, payload.station)
    if found is None or found.revoked_at is not None:
        raise RevokedKeyError("this device was revoked", kid=kid)
    if found.matricule != payload.officer:
        raise WrongOfficerKeyError("the key is enrolled to another officer")
    if found.officer is None or not checks.habilitated_on(
        found.role, found.habilitation_from, found.habilitation_until, payload.created_at
    ):
        raise NotHabilitatedWhenSignedError("officer not habilitated at created_at")
    if found.station_code is None:
        raise InvalidValidationError("unknown station", field="station")
    if found.station != payload.station:
        # An officer validates at the counter of their own unit, never in another's name.
        raise WrongStationError("the payload's station is not the officer's own station")
    return int(found.last_seq)


def _check_time(backend: Backend, payload: ValidationPayload, now: datetime) -> None:
    """`created_at` within the clock skew ahead and the offline allowance behind `now`:
    checked before anything turns it into a local day (a year-9999 time would overflow)."""
    created = timeutil.from_wire(payload.created_at)
    if created > now + timedelta(minutes=backend.settings.clock_skew_minutes):
        raise ClockSkewError("created_at is in the future")
    if created < now - timedelta(hours=backend.settings.offline_allowance_hours):
        raise TooOldError("created_at is older than the offline allowance")


def _check_seq(payload: ValidationPayload, last_seq: int) -> None:
    if payload.device_seq <= last_seq:
        raise ReplayError("device_seq not above the last accepted one")
    if not payload.consistent():
        raise InvalidValidationError("decision, checks and refusal reason disagree")


def _check_request(db: Db, payload: ValidationPayload) -> Any:
    row = store.request_to_validate(db, payload.reference)
    if row is None:
        raise UnknownReferenceError("no request with this reference")
    if row.kind != payload.kind.value:
        # A proxy's validation must never cancel one, nor a résiliation's establish one.
        raise WrongContextError(f"this reference is a {row.kind}, not a {payload.kind.value}")
    if row.status not in _OPEN:
        if row.validated_at is not None:
            who = AlreadyValidated(
                station=row.validated_station,
                validated_at=row.validated_at,
                officer_name=row.validated_officer_name,
            )
            raise AlreadyValidatedError(
                f"already validated at {row.validated_station} on {row.validated_at}",
                **who.model_dump(),
            )
        raise ExpiredError("this request can no longer be validated", request_status=row.status)
    if row.purged_at is not None or row.expires_at <= payload.created_at:
        raise ExpiredError("this request has expired", request_status=row.status)
    if payload.created_at < row.created_at:
        # Signed before the request existed: a backdated time (PROTOCOL.md v1.1 "Time").
        raise BackdatedError("created_at is earlier than the request")
    digest = (
        None
        if row.birth_name is None or row.first_names is None or row.birth_date is None
        else identity_digest(row.birth_name, row.first_names, row.birth_date)
    )
    if digest != payload.identity_digest:
        raise IdentityMismatchError("identity_digest differs from the request")
    if row.kind == RequestKind.RESILIATION and payload.decision is Decision.VALIDATED:
        resiliation.check_still_held(db, row.cancels)
    return row


def _record(
    backend: Backend, db: Db, signed: _Signed, row: Any
) -> tuple[dict[str, Any], list[notices.Notice | None]]:
    """Writes the validation; the device's sequence first, so that a lost race on it
    (another instance) is rejected before anything else is written."""
    payload, kid, now = signed.payload, signed.kid, signed.now
    if not store.advance_device_seq(db, kid, payload.device_seq):
        raise ReplayError("device_seq not above the last accepted one")
    received = timeutil.to_wire(now)
    validated = payload.decision is Decision.VALIDATED
    response = ValidationAccepted(
        validation_id=payload.validation_id,
        reference=row.reference,
        status="transmitted" if validated else "refused_by_officer",
        received_at=received,
    ).model_dump()
    refusal = payload.refusal_reason.value if payload.refusal_reason else None
    store.record(
        db,
        validation_id=payload.validation_id,
        reference=row.reference,
        kid=kid,
        officer=payload.officer,
        station=payload.station,
        decision=payload.decision.value,
        refusal_reason=refusal,
        document_type=payload.id_document.type.value,
        device_seq=payload.device_seq,
        created_at=payload.created_at,
        received_at=received,
        body_hash=sha256_b64url(signed.token.encode()),
        jws=signed.token,
        response_json=json.dumps(response),
        delivered_by=signed.caller.matricule,
        delivered_kid=signed.caller.kid,
    )
    told = _decide(backend, db, payload, row)
    _journal_decision(db, payload, row, now, signed.caller)
    if validated and payload.kind is RequestKind.RESILIATION:
        # After the résiliation's own entry: the register's cancellation follows from it.
        told += resiliation.apply(backend, db, row.reference, row.cancels, now)
    return response, told


def _decide(
    backend: Backend, db: Db, payload: ValidationPayload, row: Any
) -> list[notices.Notice | None]:
    """The request's new state; the mail a refusal sends."""
    at, station, officer = payload.created_at, payload.station, payload.officer
    if payload.decision is not Decision.VALIDATED:
        store.mark_refused_by_officer(db, row.reference)
        return [notices.refused_by_officer(backend, row.reference, row.email, station)]
    if payload.kind is RequestKind.RESILIATION:
        store.mark_resiliation_done(db, row.reference, at, station, officer)
    else:
        store.mark_transmitted(db, row.reference, at, station, officer)
    return []


def _journal_decision(
    db: Db, payload: ValidationPayload, row: Any, now: datetime, delivered_by: Caller
) -> None:
    received = timeutil.to_wire(now)
    delay = int((now - timeutil.from_wire(payload.created_at)).total_seconds())
    resiliated = payload.kind is RequestKind.RESILIATION
    journal_store.append(
        db,
        at=now,
        kind=JournalKind.of_decision(payload.decision, payload.kind),
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
            # The session that delivered it (a colleague's session may deliver it).
            "delivered_by": delivered_by.matricule,
            "delivered_kid": delivered_by.kid,
            **({"cancels": row.cancels} if resiliated else {}),
        },
    )


def _stored(db: Db, key: str, token: str) -> Outcome | None:
    existing = store.stored_answer(db, key)
    if existing is None:
        return None
    if existing.body_hash != sha256_b64url(token.encode()):
        raise IdempotencyConflictError("this validation_id was used with another body")
    return Outcome(201, json.loads(existing.response_json))


# The answer and the mails to send once it is committed (a refusal's notice; a
# résiliation's to the mandant, the commune and the mandataire).
_Answered = tuple[Outcome, list[notices.Notice | None]]


@dataclass(frozen=True)
class _Signed:
    """A validation whose signature holds, as the writer's unit receives it."""

    caller: Caller
    payload: ValidationPayload
    kid: str
    token: str
    now: datetime


def _checked_record(backend: Backend, db: Db, signed: _Signed) -> _Answered:
    """Every check that needs the write lock, then the record. Nothing is written before
    the last check passed, so a rejection leaves the transaction as it found it."""
    payload = signed.payload
    stored = _stored(db, payload.validation_id, signed.token)
    if stored is not None:
        return stored, []
    _check_rate(backend, db, signed.caller, signed.now)
    _check_time(backend, payload, signed.now)
    last_seq = _enrolled_officer(db, payload, signed.kid)
    try:
        _check_seq(payload, last_seq)
        row = _check_request(db, payload)
        response, told = _record(backend, db, signed, row)
    except (AlreadyValidatedError, RejectedError) as exc:
        # The same validation committed by another thread or instance while this one
        # waited for the request's lock: its stored answer, not a conflict.
        if isinstance(exc, RejectedError) and not isinstance(exc, ReplayError):
            raise
        stored = _stored(db, payload.validation_id, signed.token)
        if stored is None:
            raise
        return stored, []
    return Outcome(201, response), told


def _check_rate(backend: Backend, db: Db, caller: Caller, now: datetime) -> None:
    """The lookup's limit (PROTOCOL.md v1.1 "Uniform refusals"): a validation's answer
    tells whether a reference exists, so an officer over the limit gets 429 before any
    check of the reference. Rejected validations count with the lookups. Read without
    the chain's lock (taken later, after the request's row lock, as every unit does): two
    validations racing may pass the limit by one each, never a stream."""
    chain = journal_store.chain_of(caller.station)
    since = now - timedelta(seconds=requests.RATE_WINDOW_SECONDS)
    hits, first = journal_store.recent_lookups(db, chain, caller.matricule, timeutil.to_wire(since))
    if hits >= backend.settings.lookup_rate_per_minute:
        elapsed = (now - timeutil.from_wire(first or timeutil.to_wire(since))).total_seconds()
        raise RateLimitedError(max(1, int(requests.RATE_WINDOW_SECONDS - elapsed) + 1))


_JOURNALLED = (
    RejectedError,
    UnknownReferenceError,
    ExpiredError,
    AlreadyValidatedError,
    InvalidStateError,
)
_UNJOURNALLED = (RateLimitedError,)


def _write(backend: Backend, signed: _Signed, session: Session) -> _Answered | AppError:
    """One unit of the writer: the validation, or its rejection journalled in its place
    (returned, not raised, so that the rejection's journal entry commits)."""
    db = Db.of(session)
    try:
        return _checked_record(backend, db, signed)
    except _UNJOURNALLED as exc:
        return exc
    except _JOURNALLED as exc:
        _journal_rejection(backend, db, signed.caller, signed.token, exc)
        log.info("validation %s rejected: %s", signed.payload.validation_id, exc.code)
        return exc


def _written(backend: Backend, caller: Caller, token: str, key: str | None) -> Flow[_Answered]:
    """The validation written (or the stored answer to its replay), or its rejection
    journalled and raised."""
    now = backend.now()
    # The same rule as a lookup: the delivering officer may look references up now, or the
    # answer (404, 409, 410) would tell them which references exist.
    if not checks.habilitated_at(caller, timeutil.to_wire(now)):
        raise NotHabilitatedError("habilitation does not cover this moment")
    # Parsing and the signature check need no lock: done before the unit is queued, they
    # overlap with the writer's commit of earlier validations.
    try:
        with reading(backend.engine) as db:
            stored = _stored(db, key, token) if key else None
            if stored is not None:
                return stored, []
            payload, kid = _verify_signature(db, token)
    except _JOURNALLED as exc:
        log.info("validation rejected before the write: %s", exc.code)
        yield Write(raw_unit(partial(_journal_rejection_unit, backend, caller, token, exc)))
        raise
    if key is not None and key != payload.validation_id:
        raise BadRequestError("Idempotency-Key differs from validation_id", field="Idempotency-Key")
    written = yield Write(
        raw_unit(partial(_write, backend, _Signed(caller, payload, kid, token, now)))
    )
    if isinstance(written, AppError):
        raise written
    return written  # type: ignore[no-any-return]


def _journal_rejection_unit(
    backend: Backend, caller: Caller, token: str, error: AppError, session: Session
) -> None:
    _journal_rejection(backend, Db.of(session), caller, token, error)


def _journal_rejection(
    backend: Backend, db: Db, caller: Caller, token: str, error: AppError
) -> None:
    validation_id = checks.unverified_validation_id(token)
    journal_store.append(
        db,
        at=backend.now(),
        kind=JournalKind.VALIDATION_REJECTED,
        station=caller.station,
        actor=caller.matricule,
        detail={"validation_id": validation_id, "reason": error.code.value},
    )


@contextmanager
def _in_flight(backend: Backend, token: str, key: str | None) -> Iterator[None]:
    flight_key = key or checks.unverified_validation_id(token) or sha256_b64url(token.encode())
    if not backend.in_flight.enter(flight_key):
        raise InFlightError("the same validation is being processed; retry shortly")
    try:
        yield
    finally:
        backend.in_flight.leave(flight_key)


def submit_flow(backend: Backend, caller: Caller, token: str, key: str | None) -> Flow[Outcome]:
    """One signed validation, as `POST /v1/validations` answers it (AppError on rejection);
    run it with backend/services/plan.py's `run` or `run_async`.

    Answered only once the validation (or its rejection's journal entry) is committed; a
    refusal's mail is delivered after the commit, off the event loop."""
    with _in_flight(backend, token, key):
        try:
            outcome, told = yield from _written(backend, caller, token, key)
        except IntegrityError:
            # Another instance won a race on the same key or reference: the retry sees it.
            outcome, told = yield from _written(backend, caller, token, key)
        except DataError as exc:
            # A value PostgreSQL cannot store (a NUL character): definitive, never a 5xx.
            raise BadRequestError("a value of the payload cannot be stored as sent") from exc
    if any(told):
        yield Blocking(partial(notices.deliver, backend, told))
    return outcome


def submit(backend: Backend, caller: Caller, token: str, key: str | None) -> Outcome:
    """`submit_flow` run in the calling thread: a flow only runs when driven, so the plain
    name does it (a caller cannot forget to)."""
    return plan.run(submit_flow(backend, caller, token, key), backend.writer)

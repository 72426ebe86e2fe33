"""Proxy requests: creation (mandant side) and lookup by an officer at the counter."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from backend import mailer
from backend.caller import Caller
from backend.context import Backend
from backend.errors import (
    BadRequestError,
    ExpiredError,
    ForbiddenError,
    NotHabilitatedError,
    RateLimitedError,
    ScopeError,
    UnknownReferenceError,
)
from backend.services import checks, throttle
from backend.services import elections as elections_service
from backend.services.checks import PARIS
from backend.services.plan import Plan
from backend.services.schemas import RequestCreate, RequestCreated
from backend.storage import journal_store
from backend.storage import requests as store
from backend.storage.engine import transaction
from backend.storage.names import person_key
from backend.storage.prepared import Db, reading
from backend.storage.tables import CommuneRow, ProxyRequest
from backend.storage.writer import raw_unit
from procuration import civil, elections, qr, timeutil
from procuration import reference as reference_codec
from procuration.canonical import digest_of
from procuration.elections import Calendar
from procuration.errors import InvalidReferenceError
from procuration.models import (
    VALIDATING_ROLES,
    CancelledProxy,
    Commune,
    Identity,
    LookupResponse,
    Mandataire,
    RequestKind,
    RequestQrPayload,
    RequestStatus,
    Scope,
    ValidationSummary,
    identity_digest,
)
from procuration.wire import JournalKind

log = logging.getLogger(__name__)
GONE = (RequestStatus.EXPIRED, RequestStatus.CANCELLED)
RATE_WINDOW_SECONDS = 60


def fresh_reference(session: Session) -> str:
    # References are never reused while a row (kept, purged, as a tombstone) exists.
    for _ in range(50):
        candidate = reference_codec.generate()
        if session.get(ProxyRequest, candidate) is None:
            return candidate
    raise RuntimeError("no free reference found")  # 2^30 space: never in practice


def commune_names(session: Session, *insee: str | None) -> dict[str, str]:
    """The names of these communes (an unknown code is left out)."""
    return store.commune_names(session, {code for code in insee if code is not None})


def mandataire_of(row: Any, names: Mapping[str, str]) -> Mandataire | None:
    """The mandataire of a request row, as the lookup and a résiliation's QR code show it."""
    if not row.mandataire_birth_name or not row.mandataire_insee:
        return None
    insee = row.mandataire_insee
    return Mandataire(
        birth_name=row.mandataire_birth_name,
        first_names=row.mandataire_first_names or "",
        birth_date=row.mandataire_birth_date or "",
        commune=Commune(insee=insee, name=names.get(insee) or insee),
    )


def signed_qr(
    backend: Backend, row: ProxyRequest, now: datetime, names: Mapping[str, str] | None = None
) -> str:
    """The signed QR code of a request; a résiliation's also names the proxy it ends, so
    that the counter can show it offline."""
    resiliation = row.kind == RequestKind.RESILIATION.value
    payload = RequestQrPayload(
        kind=RequestKind(row.kind or RequestKind.PROXY.value),
        reference=row.reference,
        birth_name=row.birth_name or "",
        first_names=row.first_names or "",
        birth_date=row.birth_date or "",
        commune=row.commune_insee,
        iat=timeutil.to_wire(now),
        exp=row.expires_at,
        mandataire=mandataire_of(row, names or {}) if resiliation else None,
        cancels=CancelledProxy(
            reference=row.cancels, scope=Scope.model_validate_json(row.scope_json)
        )
        if resiliation and row.cancels
        else None,
    )
    return qr.encode_request(payload, backend.keys.issuer.private)


@dataclass(frozen=True)
class _Resolved:
    """What the calendar makes of a request's scope: what the officer is shown, and the
    last day the proxy can be used."""

    shown: Scope
    last_day: str


def _resolve(body: RequestCreate, calendar: Calendar, now: datetime) -> _Resolved:
    """Checks the scope, the birth dates and the two parties (PROTOCOL.md v1.1): a 422
    naming the field, never a 5xx, whatever the dates say."""
    today = now.astimezone(PARIS).date()
    for field, text in (
        ("birth_date", body.birth_date),
        ("mandataire.birth_date", body.mandataire.birth_date),
    ):
        try:
            civil.check_birth_date(text, today)
        except civil.BirthDateError as exc:
            raise BadRequestError(str(exc), field=field) from None
    try:
        elections.check_scope(body.scope, calendar, today)
        resolved = _Resolved(
            elections.shown(body.scope, calendar),
            elections.last_day(body.scope, calendar).isoformat(),
        )
    except elections.ScopeRuleError as problem:
        raise ScopeError(problem.detail, field=problem.field) from None
    m = body.mandataire
    if person_key(m.birth_name, m.first_names, m.birth_date) == person_key(
        body.birth_name, body.first_names, body.birth_date
    ):
        raise ScopeError("a mandant cannot be their own mandataire", field="mandataire")
    return resolved


def _row_from(
    body: RequestCreate, reference: str, now: datetime, lifetime: int, resolved: _Resolved
) -> ProxyRequest:
    m = body.mandataire
    return ProxyRequest(
        reference=reference,
        kind=RequestKind.PROXY.value,
        status=RequestStatus.SUBMITTED,
        created_at=timeutil.to_wire(now),
        expires_at=timeutil.to_wire(now + timedelta(days=lifetime)),
        commune_insee=body.commune_insee,
        scope_json=resolved.shown.model_dump_json(),
        scope_spec=body.scope.model_dump_json(),
        last_day=resolved.last_day,
        email=body.email,
        birth_name=body.birth_name,
        usage_name=body.usage_name,
        first_names=body.first_names,
        birth_date=body.birth_date,
        birth_place=body.birth_place,
        sex=body.sex,
        mandataire_birth_name=m.birth_name,
        mandataire_first_names=m.first_names,
        mandataire_birth_date=m.birth_date,
        mandataire_insee=m.commune_insee,
        mandataire_email=m.email,
        mandataire_key=person_key(m.birth_name, m.first_names, m.birth_date),
    )


CLI = throttle.Author("cli")


def create(
    backend: Backend,
    body: RequestCreate,
    author: throttle.Author = CLI,
    *,
    certified: bool = False,
) -> RequestCreated:
    """A new request by `author` (an admin, or a mandant in the voter portal), counted by
    the throttle before its body is even checked. `certified`: the mandant logged in with a
    certified identity (eIDAS substantial, décret 2025-1059): the proxy skips the counter
    and goes straight to the register checks, journalled as established online
    (docs/decisions.md, "Fully online path")."""
    now = backend.now()
    throttle.count_request(backend, author, now)
    resolved = _resolve(body, elections_service.read_calendar(backend), now)
    with transaction(backend.sessions) as session:
        commune = session.get(CommuneRow, body.commune_insee)
        if commune is None:
            raise BadRequestError(f"unknown commune {body.commune_insee}")
        lifetime = backend.settings.request_lifetime_days
        row = _row_from(body, fresh_reference(session), now, lifetime, resolved)
        session.add(row)
        session.flush()
        journal_store.append(
            session,
            at=now,
            kind=JournalKind.REQUEST_CREATED,
            station=None,
            actor=author.who,
            reference=row.reference,
            detail={"commune": row.commune_insee},
        )
        if certified:
            _establish_online(session, row, now)
        qr_text = signed_qr(backend, row, now)
    log.debug("request %s created", row.reference)
    _mail_received(backend, row, qr_text, commune.name)
    return RequestCreated(reference=row.reference, qr=qr_text, expires_at=row.expires_at)


def _establish_online(session: Session, row: ProxyRequest, now: datetime) -> None:
    """No officer, no station: validated by the certified identity itself."""
    row.status = RequestStatus.TRANSMITTED
    row.validated_at = timeutil.to_wire(now)
    journal_store.append(
        session,
        at=now,
        kind=JournalKind.VALIDATION_ONLINE,
        station=None,
        reference=row.reference,
        detail={"commune": row.commune_insee},
    )


def request_qr(backend: Backend, reference: str) -> str | None:
    """The QR text of a live request (the portal shows it again to its owner), or None."""
    with transaction(backend.sessions) as session:
        row = session.get(ProxyRequest, reference)
        if row is None or row.purged_at is not None or row.birth_name is None:
            return None
        # The same code as the mail's: a résiliation's names the communes, not their codes.
        names = commune_names(session, row.commune_insee, row.mandataire_insee)
        return signed_qr(backend, row, backend.now(), names)


def _mail_received(backend: Backend, row: ProxyRequest, qr_text: str, commune: str) -> None:
    body = (
        f"Votre demande de procuration a bien été enregistrée.\n\n"
        f"Référence : {row.reference}\n"
        f"Commune d'inscription : {commune}\n\n"
        "Présentez-vous avec une pièce d'identité dans un commissariat ou une brigade de "
        "gendarmerie, muni de cette référence ou du QR code ci-dessous, avant le "
        f"{row.expires_at[:10]}."
    )
    message = mailer.request_received(
        backend.settings.smtp_sender, row.email or "", row.reference, qr_text, body
    )
    backend.mailer.send(message, row.reference)


def _cancels(shown: Any, scope: Scope) -> CancelledProxy | None:
    if shown.kind != RequestKind.RESILIATION.value or not shown.cancels:
        return None
    status = RequestStatus(shown.cancelled_status) if shown.cancelled_status else None
    return CancelledProxy(reference=shown.cancels, scope=scope, status=status)


def lookup_response(shown: Any) -> LookupResponse:
    """The lookup's answer from a `backend.storage.requests.shown` row."""
    identity = Identity(
        birth_name=shown.birth_name or "",
        usage_name=shown.usage_name,
        first_names=shown.first_names or "",
        birth_date=shown.birth_date or "",
        birth_place=shown.birth_place or "",
        sex="M" if shown.sex == "M" else "F",
    )
    summary = None
    if shown.validated_at is not None and shown.validated_officer is not None:
        summary = ValidationSummary(
            officer_name=shown.validated_officer_name or shown.validated_officer,
            station=shown.validated_station or "",
            at=shown.validated_at,
        )
    scope = Scope.model_validate_json(shown.scope_json)
    names = {shown.mandataire_insee: shown.mandataire_commune_name or ""}
    return LookupResponse(
        reference=shown.reference,
        status=RequestStatus(shown.status),
        expires_at=shown.expires_at,
        identity=identity,
        identity_digest=identity_digest(
            identity.birth_name, identity.first_names, identity.birth_date
        ),
        commune=Commune(insee=shown.commune_insee, name=shown.commune_name or shown.commune_insee),
        scope=scope,
        kind=RequestKind(shown.kind or RequestKind.PROXY.value),
        mandataire=mandataire_of(shown, names),
        cancels=_cancels(shown, scope),
        validated=summary,
    )


def is_gone(row: Any, now: str) -> bool:
    """Expired (even before the expiry job ran), cancelled or purged: no identity left."""
    if row.status in GONE or row.purged_at is not None:
        return True
    unvalidated = (RequestStatus.SUBMITTED, RequestStatus.REFUSED_BY_OFFICER)
    return row.status in unvalidated and row.expires_at <= now


def _journal_lookup(
    backend: Backend, officer: Caller, db: Db, now: datetime, *, status: str | None, shown: str
) -> None:
    """Journals a lookup in the officer's station chain, unless the officer is over the
    per-minute limit (then RateLimitedError, and nothing is written).

    The count is read from the journal under the chain's lock, so it holds across worker
    processes and instances; it includes the entries of lookups that were answered."""
    chain = journal_store.chain_of(officer.station)
    journal_store.lock_chain(db, chain)
    since = timeutil.to_wire(now - timedelta(seconds=RATE_WINDOW_SECONDS))
    hits, first = journal_store.recent_lookups(db, chain, officer.matricule, since)
    if hits >= backend.settings.lookup_rate_per_minute:
        elapsed = (now - timeutil.from_wire(first or since)).total_seconds()
        raise RateLimitedError(max(1, int(RATE_WINDOW_SECONDS - elapsed) + 1))
    journal_store.append(
        db,
        at=now,
        kind=JournalKind.REQUEST_LOOKUP_UNKNOWN if status is None else JournalKind.REQUEST_LOOKUP,
        station=officer.station,
        actor=officer.matricule,
        reference=shown,
        detail={} if status is None else {"status": status},
    )


def _text_digest(text: str) -> str:
    return "sha256:" + digest_of(text)[:16]


def lookup(backend: Backend, officer: Caller, text: str) -> LookupResponse:
    """The identity to compare; journalled in the officer's station chain, rate-limited."""
    return lookup_plan(backend, officer, text).run(backend.writer)


def lookup_plan(backend: Backend, officer: Caller, text: str) -> Plan[LookupResponse]:
    """Read from a snapshot (no write lock), then answered once the journal entry of what was
    shown is committed (grouped with other writes, backend/storage/writer.py); an officer
    over the limit gets 429 and sees nothing."""
    if officer.role not in VALIDATING_ROLES:
        raise ForbiddenError("only OPJ and APJ look up requests")
    now = backend.now()
    # A session may outlive the habilitation (it can run past midnight): checked each time.
    if not checks.habilitated_at(officer, timeutil.to_wire(now)):
        raise NotHabilitatedError("habilitation does not cover this moment")
    try:
        reference = reference_codec.parse(text)
    except InvalidReferenceError as exc:
        reference = None
        parse_error: InvalidReferenceError | None = exc
    else:
        parse_error = None
    with reading(backend.engine) as db:
        row = store.shown(db, reference) if reference else None
    status = row.status if row is not None else None
    # Unparsable text is journalled by its digest only: it may be anything a QR code held.
    journalled = row.reference if row is not None else (reference or _text_digest(text))

    def answer(_journalled: object) -> LookupResponse:
        if row is not None and not is_gone(row, timeutil.to_wire(now)):
            return lookup_response(row)
        if parse_error is not None:
            raise BadRequestError(f"not a reference: {parse_error.reason}", field="reference")
        if row is None:
            raise UnknownReferenceError("no request with this reference")
        raise ExpiredError("this request has expired or was purged", request_status=row.status)

    return Plan(
        raw_unit(
            lambda session: _journal_lookup(
                backend, officer, Db.of(session), now, status=status, shown=journalled
            )
        ),
        answer,
    )

"""Résiliation (Code électoral L75: the mandant may always cancel): requested like a proxy
(its own reference, mail and QR code), checked at a counter like a validation, then the
proxy is `cancelled`, its cap slot free, and the commune and the mandataire are told.

Which proxies can be cancelled, and why a validated résiliation takes effect at once:
docs/decisions.md "Résiliation".
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from backend import mailer, notices
from backend.context import Backend
from backend.errors import BadRequestError, ExpiredError, InvalidStateError, UnknownReferenceError
from backend.services import register
from backend.services import requests as requests_qr
from backend.services.checks import PARIS
from backend.services.schemas import RequestCreated
from backend.storage import journal_store
from backend.storage import resiliation as store
from backend.storage.engine import transaction
from backend.storage.prepared import Db
from backend.storage.tables import ProxyRequest
from procuration import reference as reference_codec
from procuration import timeutil
from procuration.errors import InvalidReferenceError
from procuration.models import RequestKind, RequestStatus
from procuration.wire import JournalKind

log = logging.getLogger(__name__)
# A proxy the register holds: established, or accepted by the commune since. A proxy still
# `transmitted` is decided within minutes; the mandant asks again once it is established.
CANCELLABLE = (RequestStatus.ESTABLISHED.value, RequestStatus.ACCEPTED_BY_COMMUNE.value)
_GONE = (RequestStatus.CANCELLED.value, RequestStatus.EXPIRED.value)
# What the résiliation row copies from the proxy: the mandant (compared at the counter), the
# scope and the mandataire (shown, so that the officer sees what ends), never the cap key.
_COPIED = (
    "commune_insee", "scope_json", "scope_spec", "last_day", "email", "birth_name",
    "usage_name", "first_names", "birth_date", "birth_place", "sex",
    "mandataire_birth_name", "mandataire_first_names", "mandataire_birth_date",
    "mandataire_insee", "mandataire_email",
)  # fmt: skip


def _proxy_to_cancel(session: Session, text: str, today: str) -> ProxyRequest:
    """The proxy named by `text`, if a résiliation of it may be requested now."""
    try:
        reference = reference_codec.parse(text)
    except InvalidReferenceError as exc:
        raise BadRequestError(f"not a reference: {exc.reason}", field="reference") from None
    proxy: ProxyRequest | None = session.get(ProxyRequest, reference, with_for_update=True)
    if proxy is None or proxy.kind != RequestKind.PROXY.value:
        raise UnknownReferenceError("no proxy with this reference")
    if proxy.status in _GONE or proxy.purged_at is not None or proxy.last_day < today:
        raise ExpiredError(
            "this proxy is already cancelled or no longer in force", request_status=proxy.status
        )
    if proxy.status not in CANCELLABLE:
        raise InvalidStateError(f"only an established proxy can be cancelled ({proxy.status})")
    return proxy


def request(backend: Backend, text: str, *, certified: bool = False) -> RequestCreated:
    """`POST /v1/proxies/{reference}/resiliation`: a new reference of kind `resiliation`,
    with the same lifetime as a proxy request, mailed to the proxy's mandant with its QR.
    `certified`: asked in the voter portal by a certified identity (décret 2025-1059): the
    résiliation is validated at once, without a counter, and the proxy cancelled as a
    counter's validation would (docs/decisions.md "Fully online résiliation")."""
    now = backend.now()
    told: list[notices.Notice | None] = []
    today = now.astimezone(PARIS).date().isoformat()
    with transaction(backend.sessions) as session:
        proxy = _proxy_to_cancel(session, text, today)
        lifetime = timedelta(days=backend.settings.request_lifetime_days)
        row = ProxyRequest(
            reference=requests_qr.fresh_reference(session),
            kind=RequestKind.RESILIATION.value,
            cancels=proxy.reference,
            status=RequestStatus.SUBMITTED.value,
            created_at=timeutil.to_wire(now),
            expires_at=timeutil.to_wire(now + lifetime),
            **{column: getattr(proxy, column) for column in _COPIED},
        )
        session.add(row)
        session.flush()
        journal_store.append(
            session,
            at=now,
            kind=JournalKind.RESILIATION_CREATED,
            station=None,
            reference=row.reference,
            detail={"commune": row.commune_insee, "cancels": proxy.reference},
        )
        if certified:
            told = _validate_online(backend, session, row, now)
        names = requests_qr.commune_names(session, row.commune_insee, row.mandataire_insee)
        qr_text = requests_qr.signed_qr(backend, row, now, names)
    log.debug("résiliation %s of %s created", row.reference, proxy.reference)
    if certified:
        notices.deliver(backend, told)  # the mails a counter's validation would send
    else:
        _mail_received(backend, row, qr_text)
    return RequestCreated(reference=row.reference, qr=qr_text, expires_at=row.expires_at)


def _validate_online(
    backend: Backend, session: Session, row: ProxyRequest, now: datetime
) -> list[notices.Notice | None]:
    """No officer, no station: validated by the certified identity itself, then the same
    cancellation a counter's validation triggers (`apply`)."""
    row.status = RequestStatus.ESTABLISHED.value
    row.validated_at = timeutil.to_wire(now)
    session.flush()
    journal_store.append(
        session,
        at=now,
        kind=JournalKind.VALIDATION_ONLINE,
        station=None,
        reference=row.reference,
        detail={"commune": row.commune_insee, "cancels": row.cancels},
    )
    return apply(backend, Db.of(session), row.reference, row.cancels, now)


def _mail_received(backend: Backend, row: ProxyRequest, qr_text: str) -> None:
    body = (
        "Votre demande de résiliation a bien été enregistrée.\n\n"
        f"Référence de la résiliation : {row.reference}\n"
        f"Procuration résiliée : {row.cancels}\n\n"
        "Présentez-vous avec une pièce d'identité dans un commissariat ou une brigade de "
        "gendarmerie, muni de cette référence ou du QR code ci-dessous, avant le "
        f"{row.expires_at[:10]}. La procuration reste valable jusque-là."
    )
    message = mailer.request_received(
        backend.settings.smtp_sender,
        row.email or "",
        row.reference,
        qr_text,
        body,
        subject=f"Demande de résiliation reçue : {row.reference}",
    )
    backend.mailer.send(message, row.reference)


def check_still_held(db: Db, cancels: str | None) -> None:
    """Before a résiliation is validated: the proxy it ends must still be in force (a
    commune may have refused it, or another résiliation cancelled it, since)."""
    proxy = store.cancelled_proxy(db, cancels) if cancels else None
    if proxy is None or proxy.status not in CANCELLABLE:
        status = proxy.status if proxy is not None else RequestStatus.CANCELLED.value
        raise ExpiredError(
            "the proxy this résiliation ends is no longer in force", request_status=status
        )


def apply(
    backend: Backend, db: Db, reference: str, cancels: str | None, at: datetime
) -> list[notices.Notice | None]:
    """The validated résiliation `reference` ends the proxy `cancels` (register.release:
    `cancelled`, its polling days free); the mails to the mandant, the commune and the
    mandataire, to send once committed."""
    proxy = store.cancelled_proxy(db, cancels) if cancels else None
    if proxy is None or not register.release(db, proxy.reference, at):
        raise ExpiredError("the proxy this résiliation ends is no longer in force")
    # A lost mail may have made the mandant ask twice: the other requests end here rather
    # than wait for their expiry (docs/decisions.md, "Résiliation").
    store.close_other_resiliations(db, proxy.reference, reference)
    return notices.resiliation_done(
        backend,
        notices.Cancelled(
            resiliation=reference,
            proxy=proxy.reference,
            mandant_email=proxy.email,
            mandant_name=f"{proxy.first_names or ''} {proxy.birth_name or ''}".strip(),
            commune_email=proxy.commune_email,
            commune_name=proxy.commune_name or proxy.commune_insee,
            mandataire_email=proxy.mandataire_email,
            at=timeutil.to_wire(at),
        ),
    )

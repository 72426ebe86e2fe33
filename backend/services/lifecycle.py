"""Expiry of unvalidated requests and the retention purge: personal data really erased."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend import journal_store
from backend.context import Backend
from backend.storage.engine import transaction
from backend.storage.tables import ProxyRequest, Validation
from procuration import timeutil
from procuration.models import RequestStatus
from procuration.wire import JournalKind

log = logging.getLogger(__name__)
UNVALIDATED = (RequestStatus.SUBMITTED, RequestStatus.REFUSED_BY_OFFICER)
PERSONAL_COLUMNS = (
    "email",
    "birth_name",
    "usage_name",
    "first_names",
    "birth_date",
    "birth_place",
    "sex",
    "mandataire_birth_name",
    "mandataire_first_names",
    "mandataire_birth_date",
    "mandataire_key",
    "mandataire_email",
)
# Kept after a purge: reference (never reused), status, commune, dates, station.
_FINISHED = (
    RequestStatus.ESTABLISHED,
    RequestStatus.INVALID,
    RequestStatus.ACCEPTED_BY_COMMUNE,
    RequestStatus.REFUSED_BY_COMMUNE,
    RequestStatus.CANCELLED,
)


def _erase(session: Session, references: list[str], now: str) -> None:
    erased: dict[str, object] = dict.fromkeys(PERSONAL_COLUMNS)
    session.execute(
        update(ProxyRequest)
        .where(ProxyRequest.reference.in_(references))
        .values(**erased, purged_at=now)
    )
    # The signed JWS carries the identity digest: a hash of name and birth date is personal.
    session.execute(update(Validation).where(Validation.reference.in_(references)).values(jws=None))


def _forget_files(backend: Backend, references: list[str]) -> None:
    """After the commit: the mails (`.eml`) and QR images written for these requests."""
    removed = 0
    for reference in references:
        removed += backend.mailer.forget(reference)
        qr_image = backend.settings.data_dir / "qr" / f"{reference}.png"
        if qr_image.exists():
            qr_image.unlink()
            removed += 1
    if removed:
        log.info("%d files of %d erased requests deleted", removed, len(references))


def expire(backend: Backend) -> int:
    """Requests not validated within their lifetime: marked expired, identity erased."""
    now = timeutil.to_wire(backend.now())
    with transaction(backend.sessions) as session:
        references = list(
            session.scalars(
                select(ProxyRequest.reference).where(
                    ProxyRequest.status.in_(UNVALIDATED), ProxyRequest.expires_at <= now
                )
            )
        )
        if not references:
            return 0
        session.execute(
            update(ProxyRequest)
            .where(ProxyRequest.reference.in_(references))
            .values(status=RequestStatus.EXPIRED)
        )
        _erase(session, references, now)
        journal_store.append(
            session,
            at=backend.now(),
            kind=JournalKind.REQUEST_EXPIRED,
            station=None,
            detail={"count": len(references)},
        )
    _forget_files(backend, references)
    log.info("%d requests expired", len(references))
    return len(references)


def purge(backend: Backend) -> int:
    """Proxies whose last day of validity is more than the retention period ago."""
    moment = backend.now()
    cutoff = (moment - timedelta(days=backend.settings.retention_days)).date().isoformat()
    with transaction(backend.sessions) as session:
        references = list(
            session.scalars(
                select(ProxyRequest.reference).where(
                    ProxyRequest.status.in_(_FINISHED),
                    ProxyRequest.last_day < cutoff,
                    ProxyRequest.purged_at.is_(None),
                )
            )
        )
        if references:
            _erase(session, references, timeutil.to_wire(moment))
        journal_store.append(
            session,
            at=moment,
            kind=JournalKind.PURGE,
            station=None,
            detail={"count": len(references)},
        )
    _forget_files(backend, references)
    log.info("%d proxies purged", len(references))
    return len(references)


def run_all(backend: Backend) -> tuple[int, int]:
    return expire(backend), purge(backend)

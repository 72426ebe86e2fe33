"""The statements of expiry and the retention purge (backend/services/lifecycle.py), one
function per use, run in the caller's ORM session."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.storage.tables import ProxyRequest, Validation
from procuration.models import RequestStatus

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
    # The commune's reason is free text a person typed (it may name the mandant); the
    # register's code that may sit here instead stays in the journal.
    "status_reason",
)
# Kept after a purge: reference (never reused), status, commune, dates, station.


def expirable(session: Session, now: str) -> list[str]:
    """The references of the requests never validated whose lifetime ended by `now`."""
    return list(
        session.scalars(
            select(ProxyRequest.reference).where(
                ProxyRequest.status.in_(UNVALIDATED), ProxyRequest.expires_at <= now
            )
        )
    )


def mark_expired(session: Session, references: list[str]) -> None:
    session.execute(
        update(ProxyRequest)
        .where(ProxyRequest.reference.in_(references))
        .values(status=RequestStatus.EXPIRED)
    )


def purgeable(session: Session, cutoff: str) -> list[str]:
    """The references of the requests not yet purged whose last day is before `cutoff`."""
    return list(
        session.scalars(
            select(ProxyRequest.reference).where(
                ProxyRequest.last_day < cutoff,
                ProxyRequest.purged_at.is_(None),
            )
        )
    )


def erase(session: Session, references: list[str], now: str) -> None:
    """Erases the personal data of these requests (marked purged at `now`) and the signed
    JWS of their validations."""
    erased: dict[str, object] = dict.fromkeys(PERSONAL_COLUMNS)
    session.execute(
        update(ProxyRequest)
        .where(ProxyRequest.reference.in_(references))
        .values(**erased, purged_at=now)
    )
    # The signed JWS carries the identity digest: a hash of name and birth date is personal.
    session.execute(update(Validation).where(Validation.reference.in_(references)).values(jws=None))

"""What a commune sees and decides: its proxies, its decision, the printable register."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend import journal_store, notices
from backend.caller import Caller
from backend.context import Backend
from backend.errors import ForbiddenError, InvalidStateError, UnknownReferenceError
from backend.storage.engine import transaction
from backend.storage.tables import Officer, ProxyRequest
from procuration import spreadsheet, timeutil
from procuration.models import RequestKind, RequestStatus, Role
from procuration.wire import JournalKind

VISIBLE = (
    RequestStatus.ESTABLISHED,
    RequestStatus.INVALID,
    RequestStatus.ACCEPTED_BY_COMMUNE,
    RequestStatus.REFUSED_BY_COMMUNE,
    # Résiliated (L75): the mairie strikes it from the register and the émargement list.
    RequestStatus.CANCELLED,
)
CSV_COLUMNS = [
    "reference",
    "statut",
    "motif",
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "date_naissance",
    "mandataire_nom",
    "mandataire_prenoms",
    "mandataire_date_naissance",
    "portee",
    "fin",
    "validee_le",
    "unite",
]


def _own_commune(officer: Caller, insee: str) -> None:
    if officer.role == Role.ADMIN:
        return
    if officer.role != Role.COMMUNE or officer.commune_insee != insee:
        raise ForbiddenError("a commune sees only its own proxies")


def _rows(session: Session, insee: str) -> list[ProxyRequest]:
    return list(
        session.scalars(
            select(ProxyRequest)
            .where(
                ProxyRequest.commune_insee == insee,
                ProxyRequest.kind == RequestKind.PROXY.value,  # a résiliation shows as `cancelled`
                ProxyRequest.status.in_(VISIBLE),
                ProxyRequest.purged_at.is_(None),
            )
            .order_by(ProxyRequest.validated_at, ProxyRequest.reference)
        )
    )


def proxy_item(row: ProxyRequest) -> dict[str, object]:
    return {
        "reference": row.reference,
        "status": row.status,
        "reason": row.status_reason,
        "mandant": {
            "birth_name": row.birth_name,
            "usage_name": row.usage_name,
            "first_names": row.first_names,
            "birth_date": row.birth_date,
        },
        "mandataire": {
            "birth_name": row.mandataire_birth_name,
            "first_names": row.mandataire_first_names,
            "birth_date": row.mandataire_birth_date,
        },
        "scope": json.loads(row.scope_json),
        "validated_at": row.validated_at,
        "station": row.validated_station,
        "decided_at": row.decided_at,
    }


def list_proxies(backend: Backend, officer: Caller, insee: str) -> list[dict[str, object]]:
    _own_commune(officer, insee)
    with transaction(backend.sessions) as session:
        return [proxy_item(row) for row in _rows(session, insee)]


def register_csv(backend: Backend, officer: Caller, insee: str) -> str:
    """`;`-separated, for a spreadsheet in a French locale; the BOM is added by the route."""
    _own_commune(officer, insee)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    with transaction(backend.sessions) as session:
        for row in _rows(session, insee):
            scope = json.loads(row.scope_json)
            writer.writerow(
                spreadsheet.row(
                    [
                        row.reference,
                        row.status,
                        row.status_reason or "",
                        row.birth_name,
                        row.usage_name or "",
                        row.first_names,
                        row.birth_date,
                        row.mandataire_birth_name,
                        row.mandataire_first_names,
                        row.mandataire_birth_date,
                        scope.get("kind"),
                        row.last_day,
                        row.validated_at,
                        row.validated_station,
                    ]
                )
            )
    return out.getvalue()


def decide(backend: Backend, officer: Caller, reference: str, accepted: bool, reason: str) -> str:
    now = backend.now()
    with transaction(backend.sessions) as session:
        row = session.get(ProxyRequest, reference, with_for_update=True)
        if row is None or row.purged_at is not None or row.kind != RequestKind.PROXY.value:
            raise UnknownReferenceError("no proxy with this reference")
        if officer.role != Role.COMMUNE:  # an admin manages accounts, not proxies
            raise ForbiddenError("only the commune decides on its proxies")
        _own_commune(officer, row.commune_insee)
        if row.status != RequestStatus.ESTABLISHED:
            raise InvalidStateError(
                f"proxy is {row.status}, not established", request_status=row.status
            )
        row.status = (
            RequestStatus.ACCEPTED_BY_COMMUNE if accepted else RequestStatus.REFUSED_BY_COMMUNE
        )
        row.status_reason = reason or None
        row.decided_at = timeutil.to_wire(now)
        journal_store.append(
            session,
            at=now,
            kind=JournalKind.COMMUNE_ACCEPTED if accepted else JournalKind.COMMUNE_REFUSED,
            station=None,
            actor=officer.matricule,
            reference=reference,
            detail={"commune": row.commune_insee, "reason": reason[:200] or None},
        )
        notice = notices.commune_decision(backend, row, accepted, reason)
        status = str(row.status)
    notices.deliver(backend, [notice])
    return status


def officer_named(backend: Backend, matricule: str) -> Caller:
    """The account a command-line user (or the demo seeding) acts as."""
    with transaction(backend.sessions) as session:
        officer = session.get(Officer, matricule)
        if officer is None:
            raise UnknownReferenceError(f"no account {matricule}")
        return Caller.of(officer)

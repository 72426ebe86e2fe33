"""What a commune sees and decides: its proxies, its decision, the printable register."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum

from sqlalchemy.orm import Session

from backend import notices
from backend.caller import Caller
from backend.context import Backend
from backend.errors import (
    BadRequestError,
    ForbiddenError,
    InvalidStateError,
    UnknownReferenceError,
)
from backend.services import register
from backend.storage import commune as store
from backend.storage import journal_store
from backend.storage.engine import transaction
from backend.storage.prepared import Db
from backend.storage.tables import ProxyRequest
from procuration import civil, spreadsheet, timeutil
from procuration.models import RequestKind, RequestStatus, Role
from procuration.wire import JournalKind

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
        return [proxy_item(row) for row in store.proxies_of(session, insee)]


def register_csv(backend: Backend, officer: Caller, insee: str) -> str:
    """`;`-separated, for a spreadsheet in a French locale; the BOM is added by the route."""
    _own_commune(officer, insee)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    with transaction(backend.sessions) as session:
        for row in store.proxies_of(session, insee):
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


class Correction(StrEnum):
    """Why a commune overrides the register's "not on the roll" verdict: a fixed list, so
    the journal records a code and never a sentence a person typed."""

    ROLL_OUT_OF_DATE = "roll-out-of-date"  # the roll extract lags the commune's own list
    REGISTRATION_JUST_RECORDED = "registration-just-recorded"  # e.g. L30, after a decision
    CIVIL_STATUS_MISMATCH = "civil-status-mismatch"  # the roll spells the name/date otherwise
    HOMONYM_ERROR = "homonym-error"  # two electors confused on the roll


# The verdicts a commune may correct: whether a person is on its list is the commune's own
# knowledge. The L73 cap is not: a corrected proxy is still judged against it.
CORRECTABLE = frozenset({"mandant-not-on-roll", "mandataire-not-on-roll"})


def _locked_row(session: Session, officer: Caller, reference: str) -> ProxyRequest:
    if officer.role != Role.COMMUNE:  # an admin manages accounts, not proxies
        raise ForbiddenError("only the commune decides on its proxies")
    row = store.locked_proxy(session, reference)
    # Another commune's proxy answers as an unknown one: a 403 would tell that it exists.
    if (
        row is None
        or row.purged_at is not None
        or row.kind != RequestKind.PROXY.value  # a résiliation is decided at the counter
        or row.commune_insee != officer.commune_insee
    ):
        raise UnknownReferenceError("no proxy with this reference")
    return row


def decide(backend: Backend, officer: Caller, reference: str, accepted: bool, reason: str) -> str:
    """Accepts or refuses an established proxy. `reason` is free text: it lives in the
    request row (erased by the purge), never in the journal; it must show as itself in the
    mandant's mail and the register (no control or bidirectional character)."""
    try:
        reason = civil.check_sentence(reason)
    except ValueError as exc:
        raise BadRequestError(str(exc), field="reason") from exc
    now = backend.now()
    with transaction(backend.sessions) as session:
        row = _locked_row(session, officer, reference)
        if row.status != RequestStatus.ESTABLISHED:
            raise InvalidStateError(
                f"proxy is {row.status}, not established", request_status=row.status
            )
        row.status = (
            RequestStatus.ACCEPTED_BY_COMMUNE if accepted else RequestStatus.REFUSED_BY_COMMUNE
        )
        row.status_reason = reason[:200] or None
        row.decided_at = timeutil.to_wire(now)
        journal_store.append(
            session,
            at=now,
            kind=JournalKind.COMMUNE_ACCEPTED if accepted else JournalKind.COMMUNE_REFUSED,
            station=None,
            actor=officer.matricule,
            reference=reference,
            detail={"commune": row.commune_insee, "reason_given": bool(reason)},
        )
        notice = notices.commune_decision(backend, row, accepted, reason)
        status = str(row.status)
    notices.deliver(backend, [notice])
    return status


def correct(backend: Backend, officer: Caller, reference: str, correction: Correction) -> str:
    """Overrides an automatic "not on the roll" verdict: the proxy becomes accepted by the
    commune, unless the L73 cap voids it all the same (409)."""
    now = backend.now()
    with transaction(backend.sessions) as session:
        row = _locked_row(session, officer, reference)
        verdict = row.status_reason
        if row.status != RequestStatus.INVALID or verdict not in CORRECTABLE:
            raise InvalidStateError(
                f"only a 'not on the roll' verdict can be corrected (proxy is {row.status})",
                request_status=row.status,
            )
        db = Db.of(session)
        journal_store.lock_name(db, "register-checks")  # the cap counts as the checks do
        capped = register.cap_verdict(db, row)
        if capped is not None:
            raise InvalidStateError(
                "the L73 cap voids this proxy all the same", request_status=row.status,
                verdict=capped,
            )  # fmt: skip
        row.status = RequestStatus.ACCEPTED_BY_COMMUNE
        row.status_reason = correction.value
        row.decided_at = timeutil.to_wire(now)
        journal_store.append(
            session,
            at=now,
            kind=JournalKind.COMMUNE_CORRECTED,
            station=None,
            actor=officer.matricule,
            reference=reference,
            detail={
                "commune": row.commune_insee,
                "verdict": verdict,
                "correction": correction.value,
            },
        )
        notice = notices.commune_decision(backend, row, True, "")
        status = str(row.status)
    notices.deliver(backend, [notice])
    return status


def officer_named(backend: Backend, matricule: str) -> Caller:
    """The account a command-line user (or the demo seeding) acts as."""
    with transaction(backend.sessions) as session:
        officer = store.account(session, matricule)
        if officer is None:
            raise UnknownReferenceError(f"no account {matricule}")
        return Caller.of(officer)

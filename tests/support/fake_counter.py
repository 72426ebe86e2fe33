"""A fake CounterService for the UI tests and the screenshots: in memory, instant, and
scriptable (set `fail_next[method]` to an error to make the next call raise it)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

from desktop.services.errors import ClientError, ServerError
from desktop.services.ports import (
    DayItem,
    DeliveryState,
    DisplayedRequest,
    LookupResult,
    LookupSource,
    SubmitOutcome,
)
from procuration import reference
from procuration.models import (
    CancelledProxy,
    Commune,
    DocumentType,
    IdDocumentCheck,
    Identity,
    LookupResponse,
    Mandataire,
    OfficerInfo,
    RefusalReason,
    RequestKind,
    RequestQrPayload,
    RequestStatus,
    Role,
    Scope,
    ValidationSummary,
)

OFFICER = OfficerInfo(
    matricule="123456",
    name="Claire Martin",
    grade="Brigadier-chef",
    role=Role.OPJ,
    station="CSP Lyon 3e",
    habilitation_until="2027-06-30",
)
PASSWORD = "secret"


PROXY_HOLDER = Mandataire(
    birth_name="MARTIN",
    first_names="Louise",
    birth_date="1988-07-04",
    commune=Commune(insee="69383", name="Lyon 3e Arrondissement"),
)


def response(
    ref: str = "7K3QZ9", status: RequestStatus = RequestStatus.SUBMITTED
) -> DisplayedRequest:
    identity = Identity(
        birth_name="DUPONT",
        usage_name="LEFÈVRE",
        first_names="Marie Joséphine",
        birth_date="1961-03-12",
        birth_place="Villeurbanne (69)",
        sex="F",
    )
    validated = None
    if status is RequestStatus.TRANSMITTED:
        validated = ValidationSummary(
            officer_name="Brigadier Paul Roux", station="CSP Lyon 7e", at="2026-06-11T14:05:00Z"
        )
    wire = LookupResponse(
        reference=ref,
        status=status,
        expires_at="2026-08-12T09:31:07Z",
        identity=identity,
        identity_digest=identity.compared().digest(),
        commune=Commune(insee="69383", name="Lyon 3e Arrondissement"),
        scope=Scope(
            kind="election",
            election="Partielle 2026 (démonstration)",
            rounds="both",
            election_date="2026-06-21",  # the last polling day (docs/decisions.md)
        ),
        mandataire=PROXY_HOLDER,
        validated=validated,
    )
    return DisplayedRequest.from_lookup(wire)


def qr_payload(ref: str = "7K3QZ9") -> RequestQrPayload:
    """What a verified signed QR code of `response(ref)` carries: the compared identity,
    the commune's code, the reference, and nothing else."""
    return RequestQrPayload(
        reference=ref,
        birth_name="DUPONT",
        first_names="Marie Joséphine",
        birth_date="1961-03-12",
        commune="69383",
        iat="2026-06-01T09:31:07Z",
        exp="2026-08-01T09:31:07Z",
    )


RESILIATION = "R3S1QZ"
CANCELLED = "P40XY2"
HOLDER = Mandataire(
    birth_name="N'DIAYE",
    first_names="Jean-Baptiste",
    birth_date="1979-11-30",
    commune=Commune(insee="92050", name="Nanterre"),
)
PERIOD = Scope(kind="period", start="2026-06-12", end="2027-05-31")


def resiliation_response(ref: str = RESILIATION) -> DisplayedRequest:
    """The backend's answer for a résiliation of the proxy CANCELLED, held by HOLDER."""
    proxy = response(ref)
    return proxy.model_copy(
        update={
            "kind": RequestKind.RESILIATION,
            "scope": PERIOD,
            "mandataire": HOLDER,
            "cancels": CancelledProxy(
                reference=CANCELLED, scope=PERIOD, status=RequestStatus.ESTABLISHED
            ),
        }
    )


def resiliation_qr_payload(ref: str = RESILIATION) -> RequestQrPayload:
    """What a verified résiliation QR code carries: no status of the proxy it ends."""
    return qr_payload(ref).model_copy(
        update={
            "kind": RequestKind.RESILIATION,
            "mandataire": HOLDER,
            "cancels": CancelledProxy(reference=CANCELLED, scope=PERIOD),
        }
    )


class FakeCounterService:
    def __init__(self) -> None:
        self.enrolled = True
        self.online = True
        self.deliver = DeliveryState.TRANSMITTED
        self.records: dict[str, DisplayedRequest] = {
            "7K3QZ9": response(),
            "EXP1RD": response("EXP1RD", RequestStatus.EXPIRED),
            "DNE000": response("DNE000", RequestStatus.TRANSMITTED),
            RESILIATION: resiliation_response(),
        }
        self.fail_next: dict[str, ClientError] = {}
        self.calls: list[str] = []
        self.pending = 0
        self.day: list[DayItem] = []
        self.gate: threading.Event | None = None  # set to hold `lookup` until released
        self.officer = OFFICER  # who `login` says logged in
        self.to_flush: list[SubmitOutcome] = []  # what the next `flush_outbox` reports
        self.retry_in: float | None = None
        # What a FAILED outcome carries (a problem's extension members, e.g.
        # procuration.wire.AlreadyValidated); empty: the server said nothing of who, where, when.
        self.failure_context: dict[str, str] = {}
        self.offline = False  # `offline_session()`: the session was opened offline
        self._lock = threading.Lock()

    def offline_session(self) -> bool:
        return self.offline

    def _enter(self, name: str) -> None:
        with self._lock:
            self.calls.append(name)
            error = self.fail_next.pop(name, None)
        if error is not None:
            raise error

    def is_enrolled(self) -> bool:
        self._enter("is_enrolled")
        return self.enrolled

    def enroll(
        self, server_url: str, ca_file: str | None, code: str, label: str,
        *, owner: str | None = None,
    ) -> None:  # fmt: skip
        self._enter("enroll")
        self.enrolled = True
        self.enrolled_owner = owner

    def login(self, matricule: str, password: str) -> OfficerInfo:
        self._enter("login")
        if not self.online and not self.offline:  # `offline`: the local verifier answers
            raise ClientError("down", code="network")
        if password != PASSWORD:
            raise ServerError("unauthenticated", 401)
        return self.officer

    def unlock(self, password: str) -> None:
        self._enter("unlock")
        if password != PASSWORD:
            raise ServerError("unauthenticated", 401)

    def logout(self) -> None:
        self._enter("logout")

    def check_online(self) -> bool:
        self._enter("check_online")
        return self.online

    def lookup(self, text: str) -> LookupResult:
        self._enter("lookup")
        if self.gate is not None:
            self.gate.wait(5)
        if text.startswith("MPR1:"):
            # Any payload stands for the signed QR code of 7K3QZ9 (signatures are the
            # services' tests' business): online the server's answer wins, offline the
            # QR code alone is shown.
            if not self.online:
                return LookupResult(DisplayedRequest.from_qr(qr_payload()), LookupSource.SIGNED_QR)
            return LookupResult(self.records["7K3QZ9"], LookupSource.ONLINE)
        if not self.online:
            raise ClientError("offline", code="offline")
        found = self.records.get(reference.parse(text))
        if found is None:
            raise ServerError("unknown-reference", 404)
        return LookupResult(found, LookupSource.ONLINE)

    def _outcome(self, lookup: LookupResult, decision: str) -> SubmitOutcome:
        state = self.deliver
        if state is DeliveryState.PENDING:
            self.pending += 1
        ref = lookup.response.reference
        self.day.append(DayItem(ref, datetime(2026, 6, 12, 9, 31, tzinfo=UTC), decision, state))
        code = "already-validated" if state is DeliveryState.FAILED else None
        context = dict(self.failure_context) if state is DeliveryState.FAILED else {}
        return SubmitOutcome(str(uuid.uuid4()), ref, state, self.pending, code, context)

    def validate(self, lookup: LookupResult, check: IdDocumentCheck) -> SubmitOutcome:
        self._enter("validate")
        assert check.all_match
        self.last_check = check
        return self._outcome(lookup, "validated")

    def refuse(
        self, lookup: LookupResult, document: DocumentType, reason: RefusalReason, note: str = ""
    ) -> SubmitOutcome:
        self._enter("refuse")
        self.last_refusal = (document, reason)
        self.last_note = note
        return self._outcome(lookup, "refused")

    def flush_outbox(self) -> list[SubmitOutcome]:
        self._enter("flush_outbox")
        flushed, self.to_flush = self.to_flush, []
        return flushed

    def seconds_until_retry(self) -> float | None:
        return self.retry_in

    def pending_count(self) -> int:
        return self.pending

    def today(self) -> list[DayItem]:
        self._enter("today")
        return list(self.day)

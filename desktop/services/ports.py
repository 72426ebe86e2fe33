"""What the UI needs from the services, as typed protocols and plain data.

The UI depends on these shapes only, so that every screen can be tested with a fake, and
`desktop.app` injects the real implementations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from procuration.models import (
    DocumentType,
    IdDocumentCheck,
    LookupResponse,
    OfficerInfo,
    RefusalReason,
)


class LookupSource(StrEnum):
    ONLINE = "online"  # the backend answered GET /v1/requests/{reference}
    SIGNED_QR = "signed-qr"  # identity from a verified MPR1: payload (works offline)


@dataclass(frozen=True)
class LookupResult:
    """What the counter view displays; `response` fields absent offline are None inside."""

    response: LookupResponse
    source: LookupSource


class DeliveryState(StrEnum):
    TRANSMITTED = "transmitted"  # the server acknowledged (201 or stored response)
    PENDING = "pending"  # signed and stored in the outbox, not yet acknowledged
    FAILED = "failed"  # definitively rejected by the server; the officer must act


@dataclass(frozen=True)
class SubmitOutcome:
    validation_id: str
    reference: str
    state: DeliveryState
    pending_count: int
    error_code: str | None = None  # for FAILED: the server's problem code
    # Added: for FAILED, the problem's non-personal extension members (for
    # `already-validated`: the officer, station and time of the prior validation).
    error_context: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DayItem:
    """One line of the officer's own day: reference and time only (shared counter PC)."""

    reference: str
    at: datetime
    decision: str  # "validated" | "refused"
    state: DeliveryState


class CounterService(Protocol):
    """The counter flow. Every method is synchronous and may block: the UI calls them
    through its task runner, never on the GUI thread. Errors are `ClientError`s."""

    def is_enrolled(self) -> bool: ...

    def enroll(self, server_url: str, ca_file: str | None, code: str, label: str) -> None: ...

    def login(self, matricule: str, password: str) -> OfficerInfo: ...

    def unlock(self, password: str) -> None: ...

    def logout(self) -> None: ...

    def check_online(self) -> bool: ...

    def lookup(self, text: str) -> LookupResult:
        """`text` is what was typed or scanned: a reference or a whole `MPR1:` payload."""
        ...

    def validate(self, lookup: LookupResult, check: IdDocumentCheck) -> SubmitOutcome: ...

    def refuse(
        self, lookup: LookupResult, document: DocumentType, reason: RefusalReason
    ) -> SubmitOutcome: ...

    def flush_outbox(self) -> list[SubmitOutcome]:
        """Sends what is due; returns the outcomes that changed state."""
        ...

    def pending_count(self) -> int: ...

    def today(self) -> list[DayItem]: ...

"""What the UI needs from the services, as typed protocols and plain data.

The UI depends on these shapes only, so that every screen can be tested with a fake, and
`desktop.app` injects the real implementations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, Protocol, Self, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, model_validator

from procuration.models import (
    CancelledProxy,
    ComparedIdentity,
    DocumentType,
    IdDocumentCheck,
    Insee,
    LookupResponse,
    Mandataire,
    OfficerInfo,
    Reference,
    RefusalReason,
    RequestKind,
    RequestQrPayload,
    RequestStatus,
    Scope,
    ShortText,
    ValidationSummary,
    WireDate,
    WireTime,
)


class LookupSource(StrEnum):
    ONLINE = "online"  # the backend answered GET /v1/requests/{reference}
    SIGNED_QR = "signed-qr"  # identity from a verified MPR1: payload (works offline)


class _Displayed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DisplayedIdentity(_Displayed):
    """The mandant's identity as shown. The three compared fields are always there; the
    others are None when unknown (a signed QR code does not carry them) or, for
    `usage_name`, when the mandant has none (see `DisplayedRequest.partial`)."""

    birth_name: ShortText
    first_names: ShortText
    birth_date: WireDate
    usage_name: str | None = None
    birth_place: ShortText | None = None
    sex: Literal["F", "M"] | None = None

    def compared(self) -> ComparedIdentity:
        return ComparedIdentity(
            birth_name=self.birth_name, first_names=self.first_names, birth_date=self.birth_date
        )


class DisplayedCommune(_Displayed):
    insee: Insee
    name: ShortText | None = None  # None: unknown (signed QR code read offline)


class DisplayedRequest(_Displayed):
    """What the counter shows of a request, from the backend's full answer or from a
    verified signed QR code alone (`partial`: status, scope, place of birth, sex, usage
    name and the commune's name are then unknown, never guessed)."""

    reference: Reference
    partial: bool
    identity: DisplayedIdentity
    identity_digest: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{43}$")]
    commune: DisplayedCommune
    expires_at: WireTime
    status: RequestStatus | None = None
    scope: Scope | None = None
    # A résiliation (docs/protocol.md v1.1) names the proxy it ends, even read offline.
    kind: RequestKind = RequestKind.PROXY
    mandataire: Mandataire | None = None
    cancels: CancelledProxy | None = None
    validated: ValidationSummary | None = None

    @model_validator(mode="after")
    def _complete_unless_partial(self) -> Self:
        if not self.partial:
            missing = [
                name
                for name, value in (
                    ("status", self.status),
                    ("scope", self.scope),
                    ("identity.birth_place", self.identity.birth_place),
                    ("identity.sex", self.identity.sex),
                    ("commune.name", self.commune.name),
                )
                if value is None
            ]
            if missing:
                raise ValueError(f"a full answer needs {', '.join(missing)}")
        return self

    @classmethod
    def from_lookup(cls, response: LookupResponse) -> DisplayedRequest:
        """The backend's answer to a lookup: every field known."""
        return cls.model_validate({**response.model_dump(), "partial": False})

    @classmethod
    def from_qr(cls, payload: RequestQrPayload) -> DisplayedRequest:
        """A verified signed QR code: only what its issuer signed."""
        return cls.model_validate(
            {
                "reference": payload.reference,
                "partial": True,
                "identity": {
                    "birth_name": payload.birth_name,
                    "first_names": payload.first_names,
                    "birth_date": payload.birth_date,
                },
                "identity_digest": payload.compared_identity().digest(),
                "commune": {"insee": payload.commune},
                "expires_at": payload.exp,
                "kind": payload.kind,
                "mandataire": payload.mandataire,
                "cancels": payload.cancels,
            }
        )

    @property
    def is_resiliation(self) -> bool:
        return self.kind is RequestKind.RESILIATION


@dataclass(frozen=True)
class LookupResult:
    """What the counter view displays, and where it comes from."""

    response: DisplayedRequest
    source: LookupSource

    def __post_init__(self) -> None:
        if self.response.partial != (self.source is LookupSource.SIGNED_QR):
            raise ValueError("only a signed QR code read offline gives a partial request")


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
class RefusedDecision:
    """A decision the server refused for good, not yet acknowledged by an officer."""

    validation_id: str
    reference: str
    refused_at: datetime  # when the refusal reached this PC
    error_code: str
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

    def enroll(
        self, server_url: str, ca_file: str | None, code: str, label: str,
        *, owner: str | None = None,
    ) -> None:  # fmt: skip
        """`owner`: the matricule the code was issued to, when the officer typed it."""
        ...

    def login(self, matricule: str, password: str) -> OfficerInfo: ...

    def unlock(self, password: str) -> None: ...

    def logout(self) -> None: ...

    def check_online(self) -> bool: ...

    def lookup(self, text: str) -> LookupResult:
        """`text` is what was typed or scanned: a reference or a whole `MPR1:` payload."""
        ...

    def validate(self, lookup: LookupResult, check: IdDocumentCheck) -> SubmitOutcome: ...

    def refuse(
        self, lookup: LookupResult, document: DocumentType, reason: RefusalReason, note: str = ""
    ) -> SubmitOutcome:
        """`note`: the officer's words for an "other" reason, kept on this PC, never sent
        (the signed payload has no field for it: docs/decisions.md)."""
        ...

    def flush_outbox(self) -> list[SubmitOutcome]:
        """Sends what is due; returns the outcomes that changed state."""
        ...

    def pending_count(self) -> int: ...

    def today(self) -> list[DayItem]: ...


@runtime_checkable
class OfflineAware(Protocol):
    """Optional for a `CounterService`: whether the session was opened offline, with the
    password verifier kept on this PC (only signed QR codes can be validated then)."""

    def offline_session(self) -> bool: ...


@runtime_checkable
class EnrolledServer(Protocol):
    """Optional for a `CounterService`: the server and CA file this PC is enrolled to, so
    that a colleague enrols on a shared PC with their own code only. None if not enrolled."""

    def enrolled_server(self) -> tuple[str, str | None] | None: ...


@runtime_checkable
class RetryAware(Protocol):
    """Optional for a `CounterService`: how long the server asked the outbox to wait
    (`Retry-After`), so the window can count down. None when nothing is held back."""

    def seconds_until_retry(self) -> float | None: ...


@runtime_checkable
class RefusalLedger(Protocol):
    """Optional for a `CounterService`: the definitive refusals kept on this PC, so that
    the "Envois refusés" list survives a restart and an officer can acknowledge it."""

    def refused_decisions(self) -> list[RefusedDecision]:
        """The refusals no officer acknowledged yet, newest first."""
        ...

    def acknowledge_refused(self, validation_ids: Sequence[str]) -> None: ...

"""The words both sides of the wire share: problem codes, journal kinds and outcomes, and the
bodies of the trust, login and journal endpoints (docs/journal-wire.md, docs/backend.md).

The backend writes these and nothing else; the client reads them with `model_validate` and
keys its French words on them, so a word added on one side without the other fails a test
instead of reaching a supervisor's screen as raw English.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from procuration.models import (
    Decision,
    OfficerInfo,
    RefusalReason,
    RequestKind,
    RequestStatus,
    WireTime,
)

PROBLEM_PREFIX: Final = "urn:mpr:error:"


class ProblemCode(StrEnum):
    """The last part of an RFC 9457 problem `type`: `urn:mpr:error:<code>`."""

    # Generic HTTP failures.
    BAD_REQUEST = "bad-request"
    VALIDATION = "validation"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not-found"
    METHOD_NOT_ALLOWED = "method-not-allowed"
    NOT_ACCEPTABLE = "not-acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type"
    CONFLICT = "conflict"
    PAYLOAD_TOO_LARGE = "payload-too-large"
    RATE_LIMITED = "rate-limited"
    HTTP = "http"  # any other status the framework raised
    STORAGE = "storage"
    INTERNAL = "internal"
    # A request or a proxy in the wrong state.
    UNKNOWN_REFERENCE = "unknown-reference"
    EXPIRED = "expired"
    ALREADY_VALIDATED = "already-validated"
    INVALID_STATE = "invalid-state"
    NOT_HABILITATED = "not-habilitated"
    # Idempotency and batches.
    IDEMPOTENCY_CONFLICT = "idempotency-conflict"
    IN_FLIGHT = "in-flight"
    NOT_PROCESSED = "not-processed"
    # A signed validation the server refuses: the rule it breaks.
    WRONG_CONTEXT = "wrong-context"
    BAD_SIGNATURE = "bad-signature"
    UNKNOWN_KEY = "unknown-key"
    REVOKED_KEY = "revoked-key"
    WRONG_OFFICER_KEY = "wrong-officer-key"
    WRONG_STATION = "wrong-station"
    CLOCK_SKEW = "clock-skew"
    TOO_OLD = "too-old"
    BACKDATED = "backdated"
    REPLAY = "replay"
    IDENTITY_MISMATCH = "identity-mismatch"
    # A request the law does not allow (docs/protocol.md v1.1).
    SCOPE = "scope"

    @property
    def type_uri(self) -> str:
        return PROBLEM_PREFIX + self.value

    @classmethod
    def from_type(cls, uri: object) -> ProblemCode | None:
        """The code of a problem `type`, or None when it is not one of ours."""
        if not isinstance(uri, str) or not uri.startswith(PROBLEM_PREFIX):
            return None
        try:
            return cls(uri.removeprefix(PROBLEM_PREFIX))
        except ValueError:
            return None


class JournalKind(StrEnum):
    """What a journal entry records (the entry's `kind`)."""

    REQUEST_CREATED = "request.created"
    REQUEST_LOOKUP = "request.lookup"
    REQUEST_LOOKUP_UNKNOWN = "request.lookup_unknown"
    REQUEST_EXPIRED = "request.expired"
    VALIDATION_VALIDATED = "validation.validated"
    VALIDATION_REFUSED = "validation.refused"
    VALIDATION_REJECTED = "validation.rejected"
    # Established without a counter: the mandant's identity was certified (décret 2025-1059).
    VALIDATION_ONLINE = "validation.online"
    RESILIATION_CREATED = "resiliation.created"
    RESILIATION_VALIDATED = "resiliation.validated"
    RESILIATION_REFUSED = "resiliation.refused"
    REGISTER_ESTABLISHED = "register.established"
    REGISTER_INVALID = "register.invalid"
    REGISTER_CANCELLED = "register.cancelled"
    COMMUNE_ACCEPTED = "commune.accepted"
    COMMUNE_REFUSED = "commune.refused"
    COMMUNE_CORRECTED = "commune.corrected"
    # A commune agent read personal data in the commune portal (a list, a proxy, the register).
    COMMUNE_CONSULTED = "commune.consulted"
    AUTH_LOGIN = "auth.login"
    AUTH_LOGIN_FAILED = "auth.login_failed"
    AUTH_LOGOUT = "auth.logout"
    AUTH_SESSION_EXPIRED = "auth.session_expired"
    DEVICE_ENROLLED = "device.enrolled"
    DEVICE_REVOKED = "device.revoked"
    OFFICER_ADDED = "officer.added"
    OFFICER_HABILITATED = "officer.habilitated"
    ELECTION_ADDED = "election.added"
    PURGE = "purge"

    @classmethod
    def of_decision(cls, decision: Decision, kind: RequestKind = RequestKind.PROXY) -> JournalKind:
        """The counter's decision on a proxy or on a résiliation (its own kinds, so the
        supervisor never reads a cancellation as an establishment)."""
        validated = decision is Decision.VALIDATED
        if kind is RequestKind.RESILIATION:
            return cls.RESILIATION_VALIDATED if validated else cls.RESILIATION_REFUSED
        return cls.VALIDATION_VALIDATED if validated else cls.VALIDATION_REFUSED

    @classmethod
    def of_register(cls, status: RequestStatus) -> JournalKind:
        """The register check's verdict: established or invalid."""
        return cls.REGISTER_INVALID if status is RequestStatus.INVALID else cls.REGISTER_ESTABLISHED


LOOKUP_KINDS: Final = (JournalKind.REQUEST_LOOKUP, JournalKind.REQUEST_LOOKUP_UNKNOWN)


class JournalOutcome(StrEnum):
    """An entry's outcome when no more precise word exists: a lookup's outcome is the
    request's status (`RequestStatus`), a refusal's its reason (`RefusalReason`), a
    rejection's the problem code (`ProblemCode`); these cover the rest."""

    VALIDATED = "validated"
    REFUSED = "refused"  # a refusal without a reason (older entries)
    UNKNOWN_REFERENCE = "unknown"  # a lookup of a reference no request bears
    REJECTED = "rejected"  # a rejection without a code
    NONE = ""  # the entry has no outcome (a login, an enrolment...)


# Every word an entry's outcome can be, in the order a reader would look them up.
Outcome = JournalOutcome | RequestStatus | RefusalReason | ProblemCode
OUTCOME_ENUMS: Final = (JournalOutcome, RequestStatus, RefusalReason, ProblemCode)


def outcome_of(code: str) -> Outcome | None:
    """The enum member an outcome code stands for, or None for a word no enum holds."""
    for enum in OUTCOME_ENUMS:
        try:
            return enum(code)
        except ValueError:
            continue
    return None


class Body(BaseModel):
    """A JSON body; unknown members are ignored so that either side may add one."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Enrolled(Body):
    kid: str


class Challenge(Body):
    nonce: str
    expires_at: WireTime


class LoggedIn(Body):
    token: str
    expires_at: WireTime
    officer: OfficerInfo


class TrustedKey(Body):
    """A public key the backend signs with, and when it may sign."""

    kid: str
    jwk: dict[str, str]
    valid_from: WireTime
    valid_until: WireTime


class TrustList(Body):
    """`GET /v1/trust`: issuer keys (request QR codes) and journal keys (checkpoints)."""

    issuer_keys: list[TrustedKey]
    journal_keys: list[TrustedKey]
    fetched_at: WireTime


class AlreadyValidated(Body):
    """The extension members of an `already-validated` problem: who, where, when."""

    station: str | None = None
    validated_at: WireTime | None = None
    officer_name: str | None = None


class JournalAnchor(Body):
    first_seq: Annotated[int, Field(ge=1)]
    prev_hash: str


class JournalPage(Body):
    """`GET /v1/journal`: a contiguous range of one chain and the checkpoint covering it.

    Each entry is `{"seq", "at", "kind", "actor", "station", "reference", "detail",
    "prev_hash", "hash"}` (`procuration.journal.HASHED_FIELDS`), `kind` a `JournalKind`.
    Entries stay the plain objects decoded from JSON: the client checks them against their
    hash chain, which covers the exact members the backend wrote (an entry model would
    re-shape them), and validating 200,000 of them member by member costs a third of a
    second the supervisor would wait for."""

    journal: str
    day: str | None
    anchor: JournalAnchor
    entries: list[Any]
    checkpoint: str | None

    @field_validator("entries")
    @classmethod
    def _objects(cls, entries: list[Any]) -> list[Any]:
        if not all(type(entry) is dict for entry in entries):
            raise ValueError("every journal entry must be a JSON object")
        return entries


class CheckpointBody(Body):
    checkpoint: str


class Health(Body):
    """`GET /health`, the one unauthenticated probe (the self-check's)."""

    status: Literal["ok"]

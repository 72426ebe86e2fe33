"""Wire models shared by the backend and the client (docs/protocol.md), as pydantic v2 types.

Times travel as RFC 3339 strings (see `timeutil`); models keep them as strings so that
the exact signed bytes can always be rebuilt.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from procuration import reference as reference_codec
from procuration import timeutil
from procuration.canonical import digest_of

VALIDATION_CTX: Final = "maprocuration/validation/v1"
REQUEST_CTX: Final = "maprocuration/request/v1"
CHECKPOINT_CTX: Final = "maprocuration/checkpoint/v1"
RESILIATION_CTX: Final = "maprocuration/resiliation/v1"
VALIDATION_TYP = "mpr-validation"
RESILIATION_TYP = "mpr-resiliation"
REQUEST_TYP = "mpr-request"
CHECKPOINT_TYP = "mpr-checkpoint"

_UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _check_reference(value: str) -> str:
    if value != reference_codec.normalize(value) or not reference_codec.is_reference(value):
        raise ValueError("not a canonical 6-character reference")
    return value


def _check_time(value: str) -> str:
    timeutil.from_wire(value)
    return value


def _check_uuid4(value: str) -> str:
    if not _UUID4.match(value):
        raise ValueError("not a lower-case UUID v4")
    return value


Reference = Annotated[str, AfterValidator(_check_reference)]
WireTime = Annotated[str, AfterValidator(_check_time)]
Uuid4 = Annotated[str, AfterValidator(_check_uuid4)]
WireDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Insee = Annotated[str, Field(pattern=r"^(\d{5}|2[AB]\d{3})$")]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Role(StrEnum):
    OPJ = "opj"
    APJ = "apj"
    SUPERVISOR = "supervisor"
    COMMUNE = "commune"
    ADMIN = "admin"


VALIDATING_ROLES = frozenset({Role.OPJ, Role.APJ})


class Decision(StrEnum):
    VALIDATED = "validated"
    REFUSED = "refused"


class RefusalReason(StrEnum):
    IDENTITY_MISMATCH = "identity-mismatch"
    DOCUMENT_UNACCEPTABLE = "document-unacceptable"
    NOT_THE_MANDANT = "not-the-mandant"
    OTHER = "other"


class DocumentType(StrEnum):
    CNI = "cni"
    PASSPORT = "passport"
    DRIVING_LICENCE = "driving-licence"
    OTHER_PHOTO_ID = "other-photo-id"


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    EXPIRED = "expired"
    REFUSED_BY_OFFICER = "refused_by_officer"
    TRANSMITTED = "transmitted"
    ESTABLISHED = "established"
    INVALID = "invalid"
    ACCEPTED_BY_COMMUNE = "accepted_by_commune"
    REFUSED_BY_COMMUNE = "refused_by_commune"
    CANCELLED = "cancelled"


class RequestKind(StrEnum):
    """What a reference names (docs/protocol.md v1.1): a proxy to establish, or the
    résiliation (L75) of an established one. Each is signed at the counter under its own
    `typ` and `ctx`, so that no signature of one can be replayed as the other."""

    PROXY = "proxy"
    RESILIATION = "resiliation"

    @property
    def ctx(self) -> str:
        return RESILIATION_CTX if self is RequestKind.RESILIATION else VALIDATION_CTX

    @property
    def typ(self) -> str:
        return RESILIATION_TYP if self is RequestKind.RESILIATION else VALIDATION_TYP

    @classmethod
    def of_ctx(cls, ctx: object) -> RequestKind | None:
        """The kind a payload's `ctx` signs for, or None when it is neither."""
        return next((kind for kind in cls if kind.ctx == ctx), None)


class IdDocumentCheck(Strict):
    type: DocumentType
    name_matches: bool
    birth_date_matches: bool
    photo_matches: bool

    @property
    def all_match(self) -> bool:
        return self.name_matches and self.birth_date_matches and self.photo_matches


class ValidationPayload(Strict):
    """What the officer's device key signs: typ mpr-validation for a proxy, typ
    mpr-resiliation (ctx `maprocuration/resiliation/v1`) for a résiliation, same fields."""

    ctx: Literal["maprocuration/validation/v1", "maprocuration/resiliation/v1"] = VALIDATION_CTX
    validation_id: Uuid4
    reference: Reference
    decision: Decision
    refusal_reason: RefusalReason | None
    id_document: IdDocumentCheck
    officer: ShortText
    station: ShortText
    device_seq: int = Field(ge=1, le=2**53 - 1)
    created_at: WireTime
    identity_digest: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{43}$")]

    @property
    def kind(self) -> RequestKind:
        return RequestKind.RESILIATION if self.ctx == RESILIATION_CTX else RequestKind.PROXY

    def consistent(self) -> bool:
        """A validation needs every check ticked; a refusal needs a reason; never both."""
        if self.decision is Decision.VALIDATED:
            return self.refusal_reason is None and self.id_document.all_match
        return self.refusal_reason is not None


class ComparedIdentity(Strict):
    """The three fields the officer compares with the ID document."""

    birth_name: ShortText
    first_names: ShortText
    birth_date: WireDate

    def digest(self) -> str:
        return digest_of(self.model_dump())


def identity_digest(birth_name: str, first_names: str, birth_date: str) -> str:
    return ComparedIdentity(
        birth_name=birth_name, first_names=first_names, birth_date=birth_date
    ).digest()


class RequestQrPayload(Strict):
    """What the backend's issuer key signs into the request QR code (typ mpr-request).

    A résiliation's QR code says so (`kind`) and names the proxy it ends (`cancels`,
    `mandataire`), so that the counter shows what is cancelled even offline. A proxy's
    carries neither (an older QR code without `kind` is a proxy's)."""

    ctx: Literal["maprocuration/request/v1"] = REQUEST_CTX
    kind: RequestKind = RequestKind.PROXY
    reference: Reference
    birth_name: ShortText
    first_names: ShortText
    birth_date: WireDate
    commune: Insee
    iat: WireTime
    exp: WireTime
    mandataire: Mandataire | None = None
    cancels: CancelledProxy | None = None

    def compared_identity(self) -> ComparedIdentity:
        return ComparedIdentity(
            birth_name=self.birth_name, first_names=self.first_names, birth_date=self.birth_date
        )


class CheckpointPayload(Strict):
    """What the backend's journal key signs (typ mpr-checkpoint)."""

    ctx: Literal["maprocuration/checkpoint/v1"] = CHECKPOINT_CTX
    # Extension of the v1 minimum: one chain per station (and "national" for events tied to
    # no station), so a supervisor verifies their station's day without seeing the others.
    journal: Annotated[str, Field(min_length=1, max_length=40)]
    size: int = Field(ge=0)
    head: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{43}$")]
    at: WireTime


class Identity(Strict):
    birth_name: ShortText
    usage_name: str | None = None
    first_names: ShortText
    birth_date: WireDate
    birth_place: ShortText
    sex: Literal["F", "M"]

    def compared(self) -> ComparedIdentity:
        return ComparedIdentity(
            birth_name=self.birth_name, first_names=self.first_names, birth_date=self.birth_date
        )


class Commune(Strict):
    insee: Insee
    name: ShortText


class Scope(Strict):
    """One election (round 1, 2 or both) or a period of at most a year (3 abroad)."""

    kind: Literal["election", "period"]
    election: str | None = None
    rounds: Literal["first", "second", "both"] | None = None
    election_date: WireDate | None = None
    start: WireDate | None = None
    end: WireDate | None = None

    def last_day(self) -> date:
        """The last day the proxy can be used, from which retention is counted."""
        text = self.end if self.kind == "period" else self.election_date
        if text is None:
            raise ValueError("scope without an end date")
        return date.fromisoformat(text)


class ValidationSummary(Strict):
    """Who already validated a reference, for the officer who tries again."""

    officer_name: str
    station: str
    at: WireTime


class Mandataire(Strict):
    """Who votes in the mandant's place (docs/protocol.md v1.1 lookup `mandataire`)."""

    birth_name: ShortText
    first_names: ShortText
    birth_date: WireDate
    commune: Commune


class CancelledProxy(Strict):
    """The proxy a résiliation ends. `status` is the proxy's at lookup time; a signed QR
    code read offline does not carry it (None)."""

    reference: Reference
    scope: Scope
    status: RequestStatus | None = None


class LookupResponse(Strict):
    reference: Reference
    status: RequestStatus
    expires_at: WireTime
    identity: Identity
    identity_digest: str
    commune: Commune
    scope: Scope
    kind: RequestKind = RequestKind.PROXY
    mandataire: Mandataire | None = None
    cancels: CancelledProxy | None = None
    validated: ValidationSummary | None = None


class OfficerInfo(Strict):
    matricule: str
    name: str
    grade: str
    role: Role
    station: str | None
    habilitation_until: WireDate | None


RequestQrPayload.model_rebuild()

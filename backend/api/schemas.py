"""Bodies of the HTTP API that only the backend needs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.services.commune import Correction
from procuration.models import OfficerInfo, WireTime


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnrollIn(Body):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    public_jwk: dict[str, Annotated[str, Field(max_length=200)]]
    label: Annotated[str, Field(min_length=1, max_length=200)]


class EnrollOut(Body):
    kid: str


class ChallengeIn(Body):
    kid: Annotated[str, Field(min_length=1, max_length=64)]


class ChallengeOut(Body):
    nonce: str
    expires_at: WireTime


class LoginIn(Body):
    matricule: Annotated[str, Field(min_length=1, max_length=40)]
    password: Annotated[str, Field(min_length=1, max_length=200)]
    kid: Annotated[str, Field(min_length=1, max_length=64)]
    nonce: Annotated[str, Field(min_length=1, max_length=64)]
    nonce_signature: Annotated[str, Field(min_length=1, max_length=200)]


class LoginOut(Body):
    token: str
    expires_at: WireTime
    officer: OfficerInfo


class DecisionIn(Body):
    """An established proxy: accepted or refused, `reason` free text (kept in the request
    row, erased by the purge). An `invalid` one ("not on the roll"): accepted with a
    `correction` code from the fixed list (docs/backend.md, "Commune's corrections")."""

    decision: Literal["accepted", "refused"]
    reason: Annotated[str, Field(max_length=200)] = ""
    correction: Correction | None = None


class DecisionOut(Body):
    reference: str
    status: str


class TrustedKey(Body):
    kid: str
    jwk: dict[str, str]
    valid_from: WireTime
    valid_until: WireTime


class TrustOut(Body):
    issuer_keys: list[TrustedKey]
    journal_keys: list[TrustedKey]
    fetched_at: WireTime


class JournalAnchor(Body):
    first_seq: int
    prev_hash: str


class JournalOut(Body):
    journal: str
    day: str | None
    anchor: JournalAnchor
    entries: list[dict[str, Any]]
    checkpoint: str | None


class CheckpointOut(Body):
    checkpoint: str


class BatchItem(Body):
    status: int
    body: dict[str, Any]


class Health(Body):
    status: Literal["ok"]

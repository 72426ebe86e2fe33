"""Bodies of the HTTP API that only the backend needs (the answers a client reads are the
shared `procuration.wire` bodies)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.services.commune import Correction
from procuration.civil import Sentence


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnrollIn(Body):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    public_jwk: dict[str, Annotated[str, Field(max_length=200)]]
    label: Annotated[str, Field(min_length=1, max_length=200)]


class ChallengeIn(Body):
    kid: Annotated[str, Field(min_length=1, max_length=64)]


class LoginIn(Body):
    matricule: Annotated[str, Field(min_length=1, max_length=40)]
    password: Annotated[str, Field(min_length=1, max_length=200)]
    kid: Annotated[str, Field(min_length=1, max_length=64)]
    nonce: Annotated[str, Field(min_length=1, max_length=64)]
    nonce_signature: Annotated[str, Field(min_length=1, max_length=200)]


class DecisionIn(Body):
    """An established proxy: accepted or refused, `reason` free text (kept in the request
    row, erased by the purge). An `invalid` one ("not on the roll"): accepted with a
    `correction` code from the fixed list (docs/backend.md, "Commune's corrections")."""

    decision: Literal["accepted", "refused"]
    reason: Sentence = ""
    correction: Correction | None = None


class DecisionOut(Body):
    reference: str
    status: str


class BatchItem(Body):
    status: int
    body: dict[str, Any]

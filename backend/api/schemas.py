"""Bodies of the HTTP API that only the backend needs (the answers a client reads are the
shared `procuration.wire` bodies)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


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
    decision: Literal["accepted", "refused"]
    reason: Annotated[str, Field(max_length=500)] = ""


class DecisionOut(Body):
    reference: str
    status: str


class BatchItem(Body):
    status: int
    body: dict[str, Any]

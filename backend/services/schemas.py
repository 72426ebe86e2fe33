"""Backend-side request and response bodies that the shared core does not define."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from procuration.models import Insee, Scope, ShortText, WireDate, WireTime


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(Body):
    birth_name: ShortText
    first_names: ShortText
    birth_date: WireDate


class MandataireIn(Person):
    commune_insee: Insee


class RequestCreate(Body):
    birth_name: ShortText
    usage_name: Annotated[str, Field(max_length=200)] | None = None
    first_names: ShortText
    birth_date: WireDate
    birth_place: ShortText
    sex: Literal["F", "M"]
    email: Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
    commune_insee: Insee
    scope: Scope
    mandataire: MandataireIn


class RequestCreated(Body):
    reference: str
    qr: str
    expires_at: WireTime


class ValidationAccepted(Body):
    validation_id: str
    reference: str
    status: Literal["transmitted", "refused_by_officer"]
    received_at: WireTime

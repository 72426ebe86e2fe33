"""Backend-side request and response bodies that the shared core does not define."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from procuration.civil import BirthPlace, CivilName, FirstNames
from procuration.elections import DateText, ScopeIn
from procuration.models import Insee, WireTime


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(Body):
    # Civil-status whitelists (procuration.civil); birth dates are checked against today by
    # the service (backend.services.requests), so a date that does not exist is a 422.
    birth_name: CivilName
    first_names: FirstNames
    birth_date: DateText


# Printable ASCII only: no space, control, CR/LF or bidirectional character in a header.
Email = Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[!-?A-~]+@[!-?A-~]+$")]


class MandataireIn(Person):
    commune_insee: Insee
    # Optional: where the mandataire is told that the proxy was cancelled (L75).
    email: Email | None = None


class RequestCreate(Body):
    birth_name: CivilName
    usage_name: CivilName | None = None
    first_names: FirstNames
    birth_date: DateText
    birth_place: BirthPlace
    sex: Literal["F", "M"]
    email: Email
    commune_insee: Insee
    scope: ScopeIn
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

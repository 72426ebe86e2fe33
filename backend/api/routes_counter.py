"""The counter: request creation and lookup, signed validations (single and batch)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import Field

from backend.api.deps import BackendDep, OfficerDep
from backend.api.problems import PROBLEM_RESPONSES, problem_body
from backend.api.schemas import BatchItem
from backend.errors import AppError, BadRequestError, ForbiddenError
from backend.services import batch, requests, validations
from backend.services.schemas import RequestCreate, RequestCreated, ValidationAccepted
from backend.storage.tables import Officer
from procuration.models import VALIDATING_ROLES, LookupResponse, Role

router = APIRouter(prefix="/v1", tags=["counter"], responses=PROBLEM_RESPONSES)
MAX_BATCH = 100
_JOSE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/jose": {"schema": {"type": "string", "maxLength": 16384}}},
    }
}


@router.post("/requests", status_code=201)
async def create_request(body: RequestCreate, backend: BackendDep) -> RequestCreated:
    return await run_in_threadpool(requests.create, backend, body)


@router.get("/requests/{reference}")
async def lookup(reference: str, backend: BackendDep, officer: OfficerDep) -> LookupResponse:
    return await run_in_threadpool(requests.lookup, backend, officer, reference)


def _validating(officer: Officer) -> None:
    if Role(officer.role) not in VALIDATING_ROLES:
        raise ForbiddenError("only OPJ and APJ submit validations")


@router.post(
    "/validations", status_code=201, response_model=ValidationAccepted, openapi_extra=_JOSE_BODY
)
async def validate(
    request: Request,
    backend: BackendDep,
    officer: OfficerDep,
    idempotency_key: Annotated[str, Header(min_length=1, max_length=64)],
) -> JSONResponse:
    _validating(officer)
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/jose":
        raise BadRequestError("the body must be a JWS with Content-Type application/jose")
    try:
        token = (await request.body()).decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise BadRequestError("a JWS compact serialization is ASCII") from exc
    outcome = await run_in_threadpool(validations.submit, backend, officer, token, idempotency_key)
    return JSONResponse(outcome.body, status_code=outcome.status)


@router.post("/validations/batch")
async def validate_batch(
    tokens: Annotated[list[Annotated[str, Field(max_length=16384)]], Body(max_length=MAX_BATCH)],
    backend: BackendDep,
    officer: OfficerDep,
) -> list[BatchItem]:
    """Up to 100 JWS strings; each answered in order, as the single endpoint would, until
    one fails for a reason that may pass: every later item is then answered 425
    `not-processed` (docs/backend.md)."""
    _validating(officer)
    results = await run_in_threadpool(batch.submit_all, backend, officer, tokens)
    return [
        BatchItem(status=result.status, body=problem_body(result))
        if isinstance(result, AppError)
        else BatchItem(status=result.status, body=result.body)
        for result in results
    ]

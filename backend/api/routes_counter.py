"""The counter: request creation and lookup, signed validations (single and batch)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import Field

from backend.api.deps import BackendDep, OfficerDep
from backend.api.problems import PROBLEM_RESPONSES, from_app_error
from backend.api.schemas import BatchItem
from backend.context import Backend
from backend.errors import AppError, BadRequestError, ForbiddenError
from backend.services import requests, validations
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


def _one(backend: Backend, officer: Officer, token: str) -> BatchItem:
    try:
        outcome = validations.submit(backend, officer, token, None)
    except AppError as exc:
        response = from_app_error(exc)
        return BatchItem(status=response.status_code, body=_problem_body(exc))
    return BatchItem(status=outcome.status, body=outcome.body)


def _problem_body(exc: AppError) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:mpr:error:{exc.code}",
        "title": exc.title,
        "status": exc.status,
        "detail": exc.detail,
    }
    return {**exc.extensions, **body}


@router.post("/validations/batch")
async def validate_batch(
    tokens: Annotated[list[Annotated[str, Field(max_length=16384)]], Body(max_length=MAX_BATCH)],
    backend: BackendDep,
    officer: OfficerDep,
) -> list[BatchItem]:
    """Up to 100 JWS strings; each answered in order, as the single endpoint would."""
    _validating(officer)

    def run() -> list[BatchItem]:
        return [_one(backend, officer, token) for token in tokens]

    return await run_in_threadpool(run)

"""The counter: request creation and lookup, signed validations (single and batch)."""

from __future__ import annotations

import hmac
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from backend.api.deps import BackendDep, OfficerDep, TokenDep, backend_of, bearer_of
from backend.api.problems import PROBLEM_RESPONSES, problem_body
from backend.api.schemas import BatchItem
from backend.caller import Caller
from backend.context import Backend
from backend.errors import AppError, BadRequestError, ForbiddenError
from backend.services import batch, plan, requests, resiliation, sessions, throttle, validations
from backend.services.auth import token_hash
from backend.services.schemas import RequestCreate, RequestCreated, ValidationAccepted
from procuration.models import VALIDATING_ROLES, LookupResponse, Role

T = TypeVar("T")
router = APIRouter(prefix="/v1", tags=["counter"], responses=PROBLEM_RESPONSES)
MAX_BATCH = 100
_JOSE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/jose": {"schema": {"type": "string", "maxLength": 16384}}},
    }
}


def _request_author(backend: Backend, token: str, address: str) -> throttle.Author:
    """Who may create a request (PROTOCOL.md v1.1): the admin API token, or the session of
    an admin; a mandant's session comes with the voter portal. Anyone else: 401 or 403."""
    expected = backend.settings.admin_token_sha256
    if expected and hmac.compare_digest(token_hash(token).encode(), expected.encode()):
        return throttle.Author("admin-token", address)
    caller = sessions.authenticate(backend, token)
    if caller.role != Role.ADMIN:
        raise ForbiddenError("only an administrator creates requests for now")
    return throttle.Author(caller.matricule, address)


async def request_author(request: Request, backend: BackendDep, token: TokenDep) -> throttle.Author:
    # The TCP peer, or X-Forwarded-For when the peer is a trusted proxy (uvicorn trusts
    # 127.0.0.1 by default; FORWARDED_ALLOW_IPS names a reverse proxy on another host).
    address = request.client.host if request.client else "unknown"
    return await run_in_threadpool(_request_author, backend, token, address)


@router.post("/requests", status_code=201)
async def create_request(
    body: RequestCreate,
    backend: BackendDep,
    author: Annotated[throttle.Author, Depends(request_author)],
) -> RequestCreated:
    """Creates a request; an admin's credential (bearer), rate-limited per caller and per
    client address (429 + Retry-After)."""
    return await run_in_threadpool(requests.create, backend, body, author)


@router.post("/proxies/{reference}/resiliation", status_code=201)
async def request_resiliation(
    reference: str,
    backend: BackendDep,
    author: Annotated[throttle.Author, Depends(request_author)],
) -> RequestCreated:
    """A résiliation (L75) of an established proxy: its own reference, mail and QR code.
    The same caller rule and limits as `POST /v1/requests`; the mail goes to the proxy's
    mandant, never to an address the caller gives."""

    def counted_then_requested() -> RequestCreated:
        throttle.count_request(backend, author, backend.now())
        return resiliation.request(backend, reference)

    return await run_in_threadpool(counted_then_requested)


# The two hot routes (every lookup and validation of every counter) declare their
# parameters and security for the OpenAPI document only and read them from the request
# themselves: FastAPI's dependency resolution cost more CPU than the lookup's own queries.
# Each is one flow (backend/services/plan.py), authentication included: on SQLite it reads
# on the event loop and awaits only the writer's commit; elsewhere it runs in one trip to
# the thread pool. The checks run in the same order as with OfficerDep.
_BEARER: dict[str, Any] = {"security": [{"HTTPBearer": []}]}
_REFERENCE = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}}
_KEY_LENGTH = 64
_IDEMPOTENCY_KEY = {
    "name": "idempotency-key",
    "in": "header",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": _KEY_LENGTH},
}


async def _run(backend: Backend, flow: plan.Flow[T]) -> T:
    if backend.writer.reads_inline:
        return await plan.run_async(flow, backend.writer)
    return await run_in_threadpool(plan.run, flow, backend.writer)


def _lookup(backend: Backend, token: str, reference: str) -> plan.Flow[LookupResponse]:
    caller = yield from sessions.authenticate_flow(backend, token)
    return (yield from requests.lookup_plan(backend, caller, reference))


@router.get(
    "/requests/{reference}",
    response_model=LookupResponse,
    openapi_extra={**_BEARER, "parameters": [_REFERENCE]},
)
async def lookup(request: Request) -> Response:
    backend = backend_of(request)
    answer = await _run(
        backend, _lookup(backend, bearer_of(request), request.path_params["reference"])
    )
    # Built and validated by the service already: serialized once, not validated again.
    return Response(answer.model_dump_json(), media_type="application/json")


def _validating(officer: Caller) -> None:
    if Role(officer.role) not in VALIDATING_ROLES:
        raise ForbiddenError("only OPJ and APJ submit validations")


def _idempotency_key(request: Request) -> str:
    """The Idempotency-Key header, refused as FastAPI would refuse the declared one."""
    key = request.headers.get("idempotency-key")
    if key is None or not 1 <= len(key) <= _KEY_LENGTH:
        message = "Field required" if key is None else f"1 to {_KEY_LENGTH} characters"
        raise RequestValidationError([{"loc": ("header", "idempotency-key"), "msg": message}])
    return key


@router.post(
    "/validations",
    status_code=201,
    response_model=ValidationAccepted,
    openapi_extra={**_JOSE_BODY, **_BEARER, "parameters": [_IDEMPOTENCY_KEY]},
)
async def validate(request: Request) -> JSONResponse:
    backend, bearer = backend_of(request), bearer_of(request)
    idempotency_key = _idempotency_key(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    body = await request.body()
    outcome = await _run(backend, _validate(backend, bearer, content_type, body, idempotency_key))
    return JSONResponse(outcome.body, status_code=outcome.status)


def _validate(
    backend: Backend, bearer: str, content_type: str, body: bytes, key: str
) -> plan.Flow[validations.Outcome]:
    officer = yield from sessions.authenticate_flow(backend, bearer)
    token = _jws_of(officer, content_type, body)
    return (yield from validations.submit_flow(backend, officer, token, key))


def _jws_of(officer: Caller, content_type: str, body: bytes) -> str:
    """The JWS of a validation from an OPJ or APJ, or the error that refuses the call."""
    _validating(officer)
    if content_type != "application/jose":
        raise BadRequestError("the body must be a JWS with Content-Type application/jose")
    try:
        return body.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise BadRequestError("a JWS compact serialization is ASCII") from exc


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

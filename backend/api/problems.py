"""One place that turns errors into RFC 9457 `application/problem+json` responses."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from backend.errors import AppError
from procuration.wire import ProblemCode

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
# The problem code of an error the framework raises by status (routing, content type).
_HTTP_CODES = {
    400: ProblemCode.BAD_REQUEST,
    401: ProblemCode.UNAUTHENTICATED,
    403: ProblemCode.FORBIDDEN,
    404: ProblemCode.NOT_FOUND,
    405: ProblemCode.METHOD_NOT_ALLOWED,
    406: ProblemCode.NOT_ACCEPTABLE,
    413: ProblemCode.PAYLOAD_TOO_LARGE,
    415: ProblemCode.UNSUPPORTED_MEDIA_TYPE,
    422: ProblemCode.VALIDATION,
    429: ProblemCode.RATE_LIMITED,
}


class Problem(BaseModel):
    """RFC 9457 body; extension members (station, validated_at, errors...) are allowed."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str | None = None


def _problem_schema() -> dict[str, Any]:
    return {"content": {MEDIA_TYPE: {"schema": Problem.model_json_schema()}}}


# Documented on every route so that clients (and schemathesis) know every error shape.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": name, **_problem_schema()}
    for code, name in _HTTP_CODES.items()
    if code not in (405, 406, 415)
}
PROBLEM_RESPONSES[409] = {"description": "conflict", **_problem_schema()}
PROBLEM_RESPONSES[410] = {"description": "gone", **_problem_schema()}
PROBLEM_RESPONSES[503] = {"description": "storage unavailable", **_problem_schema()}


def _body(
    code: ProblemCode, status: int, title: str, detail: str, ext: dict[str, Any]
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": code.type_uri,
        "title": title,
        "status": status,
        "detail": detail,
    }
    body.update({k: v for k, v in ext.items() if k not in body})
    return body


def problem_body(error: AppError) -> dict[str, Any]:
    """The RFC 9457 body of `error`, as a batch item carries it."""
    return _body(error.code, error.status, error.title, error.detail, error.extensions)


def problem(
    code: ProblemCode, status: int, title: str, detail: str, ext: dict[str, Any] | None = None
) -> JSONResponse:
    ext = ext or {}
    body = _body(code, status, title, detail, ext)
    headers = {"Retry-After": str(ext["retry_after"])} if "retry_after" in ext else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def from_app_error(error: AppError) -> JSONResponse:
    return problem(error.code, error.status, error.title, error.detail, error.extensions)


async def _app_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return from_app_error(exc)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": ".".join(str(p) for p in error.get("loc", ())), "message": error.get("msg")}
        for error in exc.errors()
    ]
    return problem(
        ProblemCode.VALIDATION,
        422,
        "Invalid request",
        "some fields are invalid",
        {"errors": errors},
    )


def _allowed_methods(request: Request) -> str:
    """Every method some route accepts on this path (Starlette names only the first route's,
    and GET and POST of one path are two routes here)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, ProblemCode.HTTP)
    response = problem(code, exc.status_code, str(exc.detail), str(exc.detail))
    response.headers.update(exc.headers or {})
    if exc.status_code == 405:
        response.headers["Allow"] = _allowed_methods(request)  # required by RFC 9110
    return response


async def _storage_error(_request: Request, exc: Exception) -> JSONResponse:
    # A lock wait that timed out or a lost connection: the client may simply retry.
    log.warning("storage unavailable: %s", type(exc).__name__)
    return problem(
        ProblemCode.STORAGE,
        503,
        "Storage unavailable",
        "the database is busy; retry",
        {"retry_after": 1},
    )


async def _unstorable(_request: Request, _exc: Exception) -> JSONResponse:
    # A value PostgreSQL refuses (a NUL character, longer than its column, out of range):
    # the caller's data, not a fault of the server (SQLite stores such values as they are).
    return problem(
        ProblemCode.VALIDATION, 422, "Invalid request", "a value cannot be stored as sent"
    )


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return problem(ProblemCode.INTERNAL, 500, "Internal error", "an unexpected error occurred")


def install(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OperationalError, _storage_error)
    app.add_exception_handler(DataError, _unstorable)
    app.add_exception_handler(Exception, _unexpected)

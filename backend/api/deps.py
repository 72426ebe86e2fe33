"""Annotated dependencies: the backend context and the authenticated officer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from backend.caller import Caller
from backend.context import Backend
from backend.errors import UnauthenticatedError
from backend.services import sessions

_bearer = HTTPBearer(auto_error=False, description="session token from POST /v1/auth/login")


def backend_of(request: Request) -> Backend:
    backend: Backend = request.app.state.backend
    return backend


BackendDep = Annotated[Backend, Depends(backend_of)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def bearer_token(credentials: Credentials) -> str:
    if credentials is None or not credentials.credentials:
        raise UnauthenticatedError("missing bearer token")
    return credentials.credentials


TokenDep = Annotated[str, Depends(bearer_token)]


def bearer_of(request: Request) -> str:
    """The bearer token, read without the dependency machinery (the hot routes): the same
    401 as `bearer_token` when it is missing or not a bearer token."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise UnauthenticatedError("missing bearer token")
    return token


async def current_officer(backend: BackendDep, token: TokenDep) -> Caller:
    return await run_in_threadpool(sessions.authenticate, backend, token)


OfficerDep = Annotated[Caller, Depends(current_officer)]

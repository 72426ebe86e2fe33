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


def get_backend(request: Request) -> Backend:
    backend: Backend = request.app.state.backend
    return backend


BackendDep = Annotated[Backend, Depends(get_backend)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def bearer_token(credentials: Credentials) -> str:
    if credentials is None or not credentials.credentials:
        raise UnauthenticatedError("missing bearer token")
    return credentials.credentials


TokenDep = Annotated[str, Depends(bearer_token)]


async def current_officer(backend: BackendDep, token: TokenDep) -> Caller:
    return await run_in_threadpool(sessions.authenticate, backend, token)


OfficerDep = Annotated[Caller, Depends(current_officer)]

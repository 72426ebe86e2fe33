"""Device enrolment and challenge-response login."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from backend.api.deps import BackendDep, TokenDep
from backend.api.problems import PROBLEM_RESPONSES
from backend.api.schemas import ChallengeIn, EnrollIn, LoginIn
from backend.services import auth, sessions
from procuration import timeutil
from procuration.wire import Challenge, Enrolled, LoggedIn

router = APIRouter(prefix="/v1", tags=["auth"], responses=PROBLEM_RESPONSES)


@router.post("/devices/enroll", status_code=201)
async def enroll(body: EnrollIn, backend: BackendDep) -> Enrolled:
    kid = await run_in_threadpool(auth.enroll, backend, body.code, body.public_jwk, body.label)
    return Enrolled(kid=kid)


@router.post("/auth/challenge")
async def challenge(body: ChallengeIn, backend: BackendDep) -> Challenge:
    nonce, expires = await run_in_threadpool(auth.challenge, backend, body.kid)
    return Challenge(nonce=nonce, expires_at=timeutil.to_wire(expires))


@router.post("/auth/login")
async def login(body: LoginIn, backend: BackendDep, request: Request) -> LoggedIn:
    # The peer, or the client a trusted reverse proxy names (uvicorn's --forwarded-allow-ips).
    address = request.client.host if request.client else "unknown"
    result = await run_in_threadpool(
        lambda: auth.login(
            backend,
            matricule=body.matricule,
            password=body.password,
            kid=body.kid,
            nonce=body.nonce,
            signature=body.nonce_signature,
            address=address,
        )
    )
    return LoggedIn(
        token=result.token, expires_at=timeutil.to_wire(result.expires_at), officer=result.officer
    )


@router.post("/auth/logout", status_code=204)
async def logout(backend: BackendDep, token: TokenDep) -> Response:
    await run_in_threadpool(sessions.logout, backend, token)
    return Response(status_code=204)

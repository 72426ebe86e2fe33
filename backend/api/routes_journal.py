"""Journal for supervisors, trust list for offline checks, health."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from backend.api.deps import BackendDep, OfficerDep
from backend.api.problems import PROBLEM_RESPONSES
from backend.errors import BadRequestError
from backend.keys import SigningKey
from backend.services import journal
from procuration import keys as core_keys
from procuration import timeutil
from procuration.wire import CheckpointBody, Health, JournalPage, TrustedKey, TrustList

router = APIRouter(tags=["journal"], responses=PROBLEM_RESPONSES)
Station = Annotated[str | None, Query(max_length=40)]


@router.get("/health")
async def health() -> Health:
    return Health(status="ok")


def _trusted(key: SigningKey) -> TrustedKey:
    return TrustedKey(
        kid=key.kid,
        jwk=core_keys.public_jwk(key.private),
        valid_from=timeutil.to_wire(key.valid_from),
        valid_until=timeutil.to_wire(key.valid_until),
    )


@router.get("/v1/trust")
async def trust(backend: BackendDep, _officer: OfficerDep) -> TrustList:
    now: datetime = backend.now()
    return TrustList(
        issuer_keys=[_trusted(backend.keys.issuer)],
        journal_keys=[_trusted(backend.keys.journal)],
        fetched_at=timeutil.to_wire(now),
    )


@router.get("/v1/journal")
async def read_journal(
    *,
    backend: BackendDep,
    officer: OfficerDep,
    day: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    from_seq: Annotated[int | None, Query(ge=1, le=2**53)] = None,
    to_seq: Annotated[int | None, Query(ge=0, le=2**53)] = None,
    station: Station = None,
) -> JournalPage:
    if day is not None:
        answer = await run_in_threadpool(journal.read_day, backend, officer, day, station)
    elif from_seq is not None:
        answer = await run_in_threadpool(
            journal.read_range, backend, officer, from_seq, to_seq, station
        )
    else:
        raise BadRequestError("give day=YYYY-MM-DD or from_seq=N")
    return JournalPage.model_validate(answer)


@router.get("/v1/journal/checkpoint")
async def latest_checkpoint(
    backend: BackendDep, officer: OfficerDep, station: Station = None
) -> CheckpointBody:
    token = await run_in_threadpool(journal.latest, backend, officer, station)
    return CheckpointBody(checkpoint=token)


@router.post("/v1/journal/checkpoint")
async def sign_checkpoint(
    backend: BackendDep, officer: OfficerDep, station: Station = None
) -> CheckpointBody:
    token = await run_in_threadpool(journal.sign_now, backend, officer, station)
    return CheckpointBody(checkpoint=token)

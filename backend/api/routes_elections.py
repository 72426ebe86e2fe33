"""The election calendar, public (PROTOCOL.md v1.1): the voter portal and any client list
the elections a proxy may name."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from backend.api.deps import BackendDep
from backend.api.problems import PROBLEM_RESPONSES
from backend.services import elections
from procuration.elections import Election

router = APIRouter(prefix="/v1", tags=["elections"], responses=PROBLEM_RESPONSES)


@router.get("/elections")
async def list_elections(backend: BackendDep) -> list[Election]:
    """Every election of the calendar with its rounds and polling days, earliest first."""
    return await run_in_threadpool(elections.list_elections, backend)

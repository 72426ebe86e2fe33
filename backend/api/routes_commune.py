"""The commune's side: its proxies, its decisions and the printable register."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from backend.api.deps import BackendDep, OfficerDep
from backend.api.problems import PROBLEM_RESPONSES
from backend.api.schemas import DecisionIn, DecisionOut
from backend.caller import Caller
from backend.context import Backend
from backend.errors import BadRequestError
from backend.services import agents, commune

router = APIRouter(prefix="/v1", tags=["commune"], responses=PROBLEM_RESPONSES)
InseePath = Annotated[str, Path(pattern=r"^(\d{5}|2[AB]\d{3})$")]
ReferencePath = Annotated[str, Path(min_length=6, max_length=6)]


@router.get("/communes/{insee}/proxies")
async def proxies(
    insee: InseePath, backend: BackendDep, officer: OfficerDep
) -> list[dict[str, Any]]:
    return await run_in_threadpool(_listed, backend, officer, insee)


def _listed(backend: Backend, reader: Caller, insee: str) -> list[dict[str, Any]]:
    # Every read of personal data is traced, whoever reads (the commune, an administrator).
    items = commune.list_proxies(backend, reader, insee)
    agents.journal_read(backend, reader, "api.list", len(items), insee=insee)
    return items


def _register(backend: Backend, reader: Caller, insee: str) -> str:
    text = commune.register_csv(backend, reader, insee)
    agents.journal_read(backend, reader, "api.register.csv", text.count("\r\n") - 1, insee=insee)
    return text


@router.get(
    "/communes/{insee}/register.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def register_csv(insee: InseePath, backend: BackendDep, officer: OfficerDep) -> Response:
    text = await run_in_threadpool(_register, backend, officer, insee)
    # The BOM makes spreadsheet software read the accents as UTF-8.
    return Response(
        ("\ufeff" + text).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="registre-{insee}.csv"'},
    )


@router.post("/proxies/{reference}/decision")
async def decide(
    reference: ReferencePath, body: DecisionIn, backend: BackendDep, officer: OfficerDep
) -> DecisionOut:
    """With `correction`, overrides the register's "not on the roll" verdict (the proxy is
    `invalid`); without, decides on an established proxy."""
    if body.correction is None:
        accepted = body.decision == "accepted"
        status = await run_in_threadpool(
            commune.decide, backend, officer, reference, accepted, body.reason
        )
    elif body.decision != "accepted" or body.reason:
        raise BadRequestError("a correction accepts the proxy; its reason is the code alone")
    else:
        status = await run_in_threadpool(
            commune.correct, backend, officer, reference, body.correction
        )
    return DecisionOut(reference=reference, status=status)

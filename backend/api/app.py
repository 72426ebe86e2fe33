"""The FastAPI application: routes, error handling, body limit and background duties."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from fastapi import FastAPI

from backend.api import problems, routes_auth, routes_commune, routes_counter, routes_journal
from backend.api.body_limit import BodyLimitMiddleware
from backend.context import Backend
from backend.services import journal, lifecycle, register

log = logging.getLogger(__name__)
REGISTER_POLL_SECONDS = 1.0
LIFECYCLE_SECONDS = 3600.0


async def _every(seconds: float, duty: Callable[[], object], name: str) -> None:
    """Runs a blocking duty on a worker thread forever; a failure is logged, not fatal."""
    while True:
        try:
            await asyncio.to_thread(duty)
        except Exception:
            log.exception("background duty %s failed", name)
        await asyncio.sleep(seconds)


def _duties(backend: Backend) -> list[tuple[float, Callable[[], object], str]]:
    return [
        (REGISTER_POLL_SECONDS, lambda: register.run_checks(backend), "register"),
        (
            float(backend.settings.checkpoint_interval_seconds),
            lambda: journal.sign_grown(backend),
            "checkpoints",
        ),
        (LIFECYCLE_SECONDS, lambda: lifecycle.run_all(backend), "lifecycle"),
    ]


def create_app(backend: Backend, *, background: bool = True) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tasks = [
            asyncio.create_task(_every(seconds, duty, name))
            for seconds, duty, name in (_duties(backend) if background else [])
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if background:
                # End of service: checkpoint what grew, so the last entries are signed.
                await asyncio.to_thread(journal.sign_grown, backend)

    app = FastAPI(
        title="Guichet Maprocuration backend",
        version="1",
        lifespan=lifespan,
        description="Wire contract v1 (PROTOCOL.md) with one journal chain per station.",
    )
    app.state.backend = backend
    problems.install(app)
    for module in (routes_auth, routes_counter, routes_commune, routes_journal):
        app.include_router(module.router)
    app.add_middleware(BodyLimitMiddleware, max_bytes=backend.settings.max_body_bytes)
    return app

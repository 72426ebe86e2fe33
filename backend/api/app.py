"""The FastAPI application: routes, error handling, body limit and background duties."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable

from fastapi import FastAPI

from backend import logs
from backend.api import (
    problems,
    routes_auth,
    routes_commune,
    routes_counter,
    routes_elections,
    routes_journal,
)
from backend.api.body_limit import BodyLimitMiddleware
from backend.api.hot_routes import HotRoutesMiddleware
from backend.api.last_resort import LastResortMiddleware
from backend.config import Settings
from backend.context import Backend, open_backend
from backend.filelock import FileLock
from backend.services import journal, lifecycle, register
from backend.web import app as web

log = logging.getLogger(__name__)
REGISTER_POLL_SECONDS = 1.0
LEASE_RETRY_SECONDS = 30.0
LIFECYCLE_SECONDS = 3600.0


def worker_app() -> FastAPI:
    """The app of one `guichet-backend serve` worker process: its settings come from the
    environment the parent set (backend.cli.serve)."""
    logs.configure(logging.INFO)
    app = create_app(open_backend(Settings()), owned=True)
    # What making the app made (modules, the app, tables, compiled statements) lives as long
    # as the process: kept out of the collector's full passes, which then walk only what
    # the requests made (a third less collector time under load, shorter pauses). Its
    # garbage is collected first, or it would stay frozen for good.
    gc.collect()
    gc.freeze()
    return app


async def _every(seconds: float, duty: Callable[[], object], name: str) -> None:
    """Runs a blocking duty on a worker thread forever; a failure is logged, not fatal."""
    while True:
        try:
            await asyncio.to_thread(duty)
        except Exception:
            log.exception("background duty %s failed", name)
        await asyncio.sleep(seconds)


def _register_duty(backend: Backend) -> tuple[float, Callable[[], object], str]:
    return (REGISTER_POLL_SECONDS, lambda: register.run_checks(backend), "register")


def _leased_duties(backend: Backend) -> list[tuple[float, Callable[[], object], str]]:
    return [
        (
            float(backend.settings.checkpoint_interval_seconds),
            lambda: journal.sign_grown(backend),
            "checkpoints",
        ),
        (LIFECYCLE_SECONDS, lambda: lifecycle.run_all(backend), "lifecycle"),
    ]


async def _run_leased_duties(backend: Backend) -> None:
    """Checkpoints, expiry and purge run in the one process of this data directory that
    holds the duty lease; the others keep trying, so a restarted worker can take over."""
    lease = FileLock(backend.settings.data_dir / "duties.lock")
    try:
        while not lease.acquire(wait=False):
            await asyncio.sleep(LEASE_RETRY_SECONDS)
        log.info("this process runs the checkpoints, expiry and purge")
        tasks = [asyncio.create_task(_every(*duty)) for duty in _leased_duties(backend)]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            # End of service: checkpoint what grew, so the last entries are signed.
            await asyncio.to_thread(journal.sign_grown, backend)
    finally:
        lease.close()


def create_app(backend: Backend, *, background: bool = True, owned: bool = False) -> FastAPI:
    """The app over `backend`; `owned`: the app closes it when the server stops."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The register checks run in every worker: each unit takes the oldest undecided
        # proxies under the write lock (SQLite) or skips rows another one holds (PostgreSQL),
        # so the checks and their mails are shared instead of loading one process.
        duties = (
            [
                asyncio.create_task(_every(*_register_duty(backend))),
                asyncio.create_task(_run_leased_duties(backend)),
            ]
            if background
            else []
        )
        try:
            yield
        finally:
            for task in duties:
                task.cancel()
            await asyncio.gather(*duties, return_exceptions=True)
            if owned:
                backend.close()

    app = FastAPI(
        title="Guichet Maprocuration backend",
        version="1",
        lifespan=lifespan,
        description="Wire contract v1 (docs/protocol.md) with one journal chain per station.",
    )
    app.state.backend = backend
    problems.install(app)
    for module in (routes_auth, routes_counter, routes_commune, routes_journal, routes_elections):
        app.include_router(module.router)
    web.mount(app, backend)
    app.add_middleware(HotRoutesMiddleware)  # innermost of ours: inside the two below
    app.add_middleware(BodyLimitMiddleware, max_bytes=backend.settings.max_body_bytes)
    app.add_middleware(LastResortMiddleware)  # outermost of ours: sees every exception
    return app

"""Browser fixtures, torn down with this package (Playwright's sync API keeps an event
loop in the main thread while it runs, which later tests' `anyio.run` would meet): one
backend (in-process uvicorn on a free port, a small seeded world), the demo identity
provider (oidc-provider-mock, its own process, as `make run` starts it), and Debian's
chromium driven by Playwright (no browser download: `executable_path`)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher
from playwright.sync_api import Browser, Page, sync_playwright

from backend.api.app import create_app
from backend.config import Settings
from backend.context import Backend, open_backend
from backend.demo import voters
from backend.services import admin, auth, elections
from backend.web.webkey import totp_secret
from procuration.elections import Election
from procuration.models import Role

from .support import install_axe

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AGENT, PASSWORD = "M75056", "mot-de-passe-agent"
# A second agent of Paris: each account may try 10 passwords or codes in 5 minutes, which
# the suite's logins as AGENT alone would soon reach.
AGENT2 = "M75057"
ELECTION = "europeennes-test"
OFFICER, STATION = "OPJ100", "PN-TEST-01"
auth.set_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in 30 s")


@dataclass
class Portals:
    url: str
    backend: Backend
    totp: str  # the commune agent's TOTP secret

    def screenshot(self, page: Page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _seed(backend: Backend) -> None:
    for insee, name in (("75056", "Paris"), ("69123", "Lyon"), ("13055", "Marseille")):
        admin.add_commune(backend, insee, name)
    admin.add_officer(
        backend,
        admin.NewOfficer(AGENT, "Mairie de Paris", "Agent", Role.COMMUNE, PASSWORD, None, "75056"),
    )
    admin.add_officer(
        backend,
        admin.NewOfficer(AGENT2, "Mairie", "Agente", Role.COMMUNE, PASSWORD, None, "75056"),
    )
    admin.add_station(backend, STATION, "Commissariat de test")
    admin.add_officer(
        backend,
        admin.NewOfficer(OFFICER, "Dupont", "Brigadier-chef", Role.OPJ, PASSWORD, STATION),
    )
    year = (date.today() - timedelta(days=30), date.today() + timedelta(days=365))
    admin.habilitate(backend, OFFICER, year[0].isoformat(), year[1].isoformat(), "TJ test")
    admin.add_electors(backend, voters.roll_lines())
    first = date.today() + timedelta(days=40)
    rounds = [{"round": 1, "polling_day": first.isoformat()}]
    rounds.append({"round": 2, "polling_day": (first + timedelta(days=14)).isoformat()})
    elections.add_election(
        backend,
        Election.model_validate({"id": ELECTION, "label": "Élection de test", "rounds": rounds}),
    )


@pytest.fixture(scope="package")
def identity_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = (tmp_path_factory.mktemp("idp") / "idp.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.demo_idp", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url + "/.well-known/openid-configuration", process)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@pytest.fixture(scope="package")
def portals(tmp_path_factory: pytest.TempPathFactory, identity_provider: str) -> Iterator[Portals]:
    data_dir = tmp_path_factory.mktemp("portals")
    port = _free_port()
    settings = Settings(
        data_dir=data_dir,
        oidc_issuer=identity_provider,
        oidc_client_secret="secret-du-portail-de-test",
        server_url=f"http://127.0.0.1:{port}",
    )
    backend = open_backend(settings)
    _seed(backend)
    config = uvicorn.Config(
        create_app(backend), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    _wait(url + "/health")
    yield Portals(url, backend, totp_secret(settings, AGENT))
    server.should_exit = True
    thread.join(10)
    backend.close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is missing: run `make test-tools` (scripts/system-deps.sh)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--lang=fr-FR"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (no cookie) at a desktop width, French, strict CSP on."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    install_axe(opened)
    yield opened
    context.close()

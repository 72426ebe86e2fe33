"""End-to-end fixtures: one real backend process for the session (temporary database, free
port, seeded through its CLI), and real client `Counter`s, each with its own data dir."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.services.counter import Counter

from .harness import (
    OTHER_STATION,
    PASSWORD,
    STATION,
    VALID,
    BackendServer,
    free_port,
    make_counter,
    officer_commands,
    places_commands,
    request_body,
    request_command,
    run_cli_batch,
)

TODAY = date.today()
ENDED = (TODAY - timedelta(days=60), TODAY - timedelta(days=2))
# matricule -> (role, station, commune, habilitation, enrolment codes to issue)
OFFICERS: dict[str, tuple[str, str | None, str | None, tuple[date, date] | None, int]] = {
    "OPJ001": ("opj", STATION, None, VALID, 10),
    "APJ002": ("apj", OTHER_STATION, None, VALID, 2),
    "OPJ003": ("opj", STATION, None, ENDED, 1),  # habilitation ended two days ago
    "OPJ004": ("opj", STATION, None, VALID, 1),  # its device gets revoked
    "COM005": ("commune", None, "75056", None, 5),  # one for the résiliation test
    "SUP006": ("supervisor", STATION, None, None, 7),
}
REQUESTS = 24  # each e2e test takes fresh references; keep a margin


@dataclass
class World:
    server: BackendServer
    work: Path
    codes: dict[str, list[str]]
    references: list[str]
    used: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.server.data_dir

    def code(self, matricule: str) -> str:
        return self.codes[matricule].pop()

    def reference(self) -> str:
        """A request nobody has looked up yet."""
        reference = self.references.pop()
        self.used.append(reference)
        return reference


def seed(data_dir: Path, work: Path) -> tuple[dict[str, list[str]], list[str]]:
    bodies = [request_body() for _ in range(REQUESTS)]
    commands = places_commands(data_dir, work, bodies)
    skip = len(commands)
    for matricule, (role, station, commune, habilitation, count) in OFFICERS.items():
        commands += officer_commands(
            data_dir,
            matricule,
            role,
            station=station,
            commune=commune,
            habilitation=habilitation,
            codes=count,
        )
    commands += [request_command(data_dir, work, body) for body in bodies]
    outputs = iter(run_cli_batch(commands)[skip:])
    codes: dict[str, list[str]] = {}
    for matricule, (_, _, _, habilitation, count) in OFFICERS.items():
        next(outputs)  # officer add
        if habilitation:
            next(outputs)
        codes[matricule] = [next(outputs) for _ in range(count)]
    return codes, list(outputs)


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    work = tmp_path_factory.mktemp("e2e")
    data_dir = work / "backend"
    codes, references = seed(data_dir, work)
    server = BackendServer(data_dir, free_port(), work / "backend.log")
    server.start()
    try:
        yield World(server, work, codes, references)
    finally:
        server.stop()


@pytest.fixture
def backend(world: World) -> Iterator[BackendServer]:
    """The session's backend, running; a test may stop it, and gets it back running."""
    if not world.server.running:
        world.server.start()
    yield world.server
    if not world.server.running:
        world.server.start()


CounterFactory = Callable[..., Counter]


@pytest.fixture
def new_counter(tmp_path: Path) -> Iterator[CounterFactory]:
    """Real client services, each in its own data dir (one per counter PC)."""
    made: list[Counter] = []

    def make(name: str = "pc") -> Counter:
        counter = make_counter(tmp_path / f"{name}-{len(made)}")
        made.append(counter)
        return counter

    yield make
    for counter in made:
        counter.close()


@pytest.fixture
def officer_at_counter(
    world: World, backend: BackendServer, new_counter: CounterFactory
) -> Callable[[str], Counter]:
    """An enrolled PC with `matricule` logged in."""

    def login(matricule: str) -> Counter:
        counter = new_counter(matricule)
        counter.enroll(backend.url, None, world.code(matricule), f"Guichet {matricule}")
        counter.login(matricule, PASSWORD)
        return counter

    return login

"""Group commit (backend/storage/writer.py): units share a transaction, a failing unit rolls
back alone, and every caller is answered only after the commit."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from backend_helpers import Client, World, create_request, login, payload, post_validation, sign
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.context import Backend
from backend.filelock import FileLock
from backend.storage.engine import make_engine, migrate, session_factory, transaction
from backend.storage.tables import Flag, Validation
from backend.storage.writer import GroupWriter
from procuration.journal import verify_chain


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[tuple[GroupWriter, sessionmaker[Session]]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'writer.sqlite3'}")
    migrate(engine)
    factory = session_factory(engine)
    writer = GroupWriter(factory, FileLock(tmp_path / "writers.lock"))
    try:
        yield writer, factory
    finally:
        writer.close()
        engine.dispose()


def test_failing_unit_rolls_back_alone(sessions: tuple[GroupWriter, sessionmaker[Session]]) -> None:
    writer, factory = sessions
    gate = threading.Event()
    started = threading.Event()

    def blocker(session: Session) -> str:
        started.set()
        gate.wait(5)  # the other units queue up meanwhile and form the next group
        return "first"

    def good(name: str):  # type: ignore[no-untyped-def]
        def unit(session: Session) -> str:
            session.add(Flag(name=name, value="1"))
            session.flush()
            return name

        return unit

    def bad(session: Session) -> str:
        session.add(Flag(name="bad", value="1"))
        session.flush()
        raise ValueError("refused")

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(writer.run, blocker)
        assert started.wait(5)
        units = [pool.submit(writer.run, unit) for unit in (good("a"), bad, good("b"))]
        gate.set()
        assert first.result() == "first"
        assert units[0].result() == "a" and units[2].result() == "b"
        with pytest.raises(ValueError, match="refused"):
            units[1].result()
    with transaction(factory) as session:
        names = set(session.scalars(select(Flag.name)))
    assert names == {"a", "b"}


def test_a_cancelled_caller_is_not_written_for_and_the_writer_goes_on(
    sessions: tuple[GroupWriter, sessionmaker[Session]],
) -> None:
    """A coroutine awaiting the writer may be cancelled (shutdown, a dropped connection):
    its unit is skipped if it has not started, and the writer serves the next ones."""
    writer, factory = sessions
    gate, started = threading.Event(), threading.Event()

    def blocker(session: Session) -> None:
        started.set()
        gate.wait(5)

    def flag(name: str):  # type: ignore[no-untyped-def]
        def unit(session: Session) -> str:
            session.add(Flag(name=name, value="1"))
            return name

        return unit

    async def cancel_one_then_write() -> str:
        waiting = asyncio.create_task(writer.run_async(flag("cancelled")))
        await asyncio.sleep(0.05)
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
        gate.set()
        return await asyncio.wait_for(writer.run_async(flag("after")), 10)

    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(writer.run, blocker)
        assert started.wait(5)
        assert asyncio.run(cancel_one_then_write()) == "after"
        first.result(5)
    with transaction(factory) as session:
        assert set(session.scalars(select(Flag.name))) == {"after"}


def test_unit_cannot_wait_for_its_own_writer(
    sessions: tuple[GroupWriter, sessionmaker[Session]],
) -> None:
    writer, _ = sessions
    with pytest.raises(RuntimeError, match="cannot wait"):
        writer.run(lambda session: writer.run(lambda inner: None))


def test_concurrent_validations_of_many_references_all_commit(
    client: Client, world: World, backend: Backend
) -> None:
    """Four counters at once, each its own references in device_seq order: every one is
    accepted, and the station's chain holds every entry, in order."""
    officers = ["OPJ001", "OPJ005"]
    headers = {m: login(client, world, m) for m in officers}
    plans = {m: [create_request(backend) for _ in range(8)] for m in officers}
    tokens = {
        m: [sign(world, payload(world, ref, m), m) for ref in refs] for m, refs in plans.items()
    }

    def counter(matricule: str) -> list[int]:
        return [
            post_validation(client, headers[matricule], token).status_code
            for token in tokens[matricule]
        ]

    with ThreadPoolExecutor(len(officers)) as pool:
        statuses = [s for result in pool.map(counter, officers) for s in result]
    assert statuses == [201] * 16
    with transaction(backend.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Validation)) == 16
    answer = client.get(
        "/v1/journal", params={"from_seq": 1}, headers=login(client, world, "SUP003")
    )
    assert answer.status_code == 200, answer.text
    entries = answer.json()["entries"]
    verify_chain(entries)
    assert sum(e["kind"] == "validation.validated" for e in entries) == 16

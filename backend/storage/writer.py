"""Group commit: many short writes, one transaction and one fsync.

On SQLite every commit with `synchronous=FULL` costs an fsync (~4 ms on the reference
machine) and the write lock serializes them, so one transaction per validation caps the
service near 270 validations/s whatever the CPU. `GroupWriter` gives the process one writer
thread: it takes every queued unit of work, runs each in its own SAVEPOINT inside one
`BEGIN IMMEDIATE` transaction (a unit that raises rolls back only its savepoint and gets its
own exception back), commits once, and only then wakes each waiting caller. A caller is
therefore answered only after its data is on disk, as before, but the fsync is shared.

On PostgreSQL, `DirectWriter` keeps one transaction per unit in the caller's thread: the
server already shares WAL flushes between concurrent commits, and a single writer holding the
locks of a whole group (rows, per-chain advisory locks) for several instances at once would
invite cross-instance deadlocks.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import URL
from sqlalchemy.orm import Session, sessionmaker

from backend.filelock import FileLock
from backend.storage.engine import transaction
from backend.storage.prepared import Db

log = logging.getLogger(__name__)
T = TypeVar("T")
Work = Callable[[Session], T]
# A group stays small enough that the write lock is never held long (the register duty
# submits its own small units and so yields between them).
MAX_GROUP = 128


class Writer(Protocol):
    # True when reads take microseconds and never wait for a lock (SQLite in WAL mode): the
    # hot routes then read on the event loop and only wait for the writer (run_async).
    reads_inline: bool

    def run(self, work: Work[T]) -> T:
        """Runs `work` in a writing transaction; returns once that transaction committed."""
        ...

    async def run_async(self, work: Work[T]) -> T:
        """`run` for a coroutine: the event loop goes on while the transaction commits."""
        ...

    def close(self) -> None: ...


class DirectWriter:
    """One transaction per unit of work, in the calling thread (PostgreSQL)."""

    reads_inline = False

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def run(self, work: Work[T]) -> T:
        with transaction(self._sessions) as session:
            return work(session)

    async def run_async(self, work: Work[T]) -> T:
        return await asyncio.to_thread(self.run, work)

    def close(self) -> None:
        pass


_Item = tuple[Callable[[Session], Any], "Future[Any]"]
_STOP = None


class GroupWriter:
    """One writer thread per process that commits queued units of work together (SQLite)."""

    reads_inline = True

    def __init__(
        self, sessions: sessionmaker[Session], lock: FileLock, max_group: int = MAX_GROUP
    ) -> None:
        self._sessions = sessions
        self._process_lock = lock
        self._max_group = max_group
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="group-writer", daemon=True)
        self._thread.start()

    def run(self, work: Work[T]) -> T:
        if threading.current_thread() is self._thread:
            raise RuntimeError("a unit of work cannot wait for the writer it runs on")
        return self._submit(work).result()

    async def run_async(self, work: Work[T]) -> T:
        return await asyncio.wrap_future(self._submit(work))

    def _submit(self, work: Work[T]) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the writer is closed")
            self._queue.put((work, future))
        return future

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
        self._thread.join()
        self._process_lock.close()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            group = [first]
            stopping = False
            while len(group) < self._max_group:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                group.append(item)
            # A caller that gave up (its coroutine was cancelled) is not written for.
            group = [item for item in group if item[1].set_running_or_notify_cancel()]
            if group:
                self._commit(group)
            if stopping:
                return

    def _commit(self, group: list[_Item]) -> None:
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self._process_lock, transaction(self._sessions) as session:
                for work, _future in group:
                    outcomes.append(_run_savepoint(session, work))
        except BaseException as exc:  # the BEGIN or the COMMIT failed: nothing was written
            log.warning("group of %d writes failed: %s", len(group), type(exc).__name__)
            for _work, future in group:
                future.set_exception(exc)
            return
        for (_work, future), (ok, value) in zip(group, outcomes, strict=True):
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)


def raw_unit(work: Work[T]) -> Work[T]:
    """Marks a unit that writes only through prepared statements (no ORM objects): it runs
    in a SAVEPOINT issued on the DB-API connection, cheaper than the ORM's `begin_nested`
    on the hot paths. Any other unit keeps `begin_nested`, under which a failed ORM flush
    rolls back that unit alone (without it, the whole group's transaction)."""
    work.mpr_raw_unit = True  # type: ignore[attr-defined]
    return work


def _run_savepoint(session: Session, work: Callable[[Session], Any]) -> tuple[bool, Any]:
    if not getattr(work, "mpr_raw_unit", False):
        try:
            with session.begin_nested():
                return True, work(session)
        except Exception as exc:  # this unit's own failure: only its savepoint is rolled back
            return False, exc
    db = Db.of(session)
    db.execute("SAVEPOINT unit").close()
    try:
        value = work(session)
    except Exception as exc:  # this unit's own failure: only its savepoint is rolled back
        db.execute("ROLLBACK TO unit").close()
        db.execute("RELEASE unit").close()
        return False, exc
    db.execute("RELEASE unit").close()
    return True, value


def make_writer(sessions: sessionmaker[Session], url: URL) -> Writer:
    if url.get_backend_name() == "sqlite" and url.database:
        # Shared by the processes serving this file: SQLite makes a second writer poll with
        # growing sleeps (up to 100 ms), which left the write lock unused between two
        # processes' commits; the kernel hands this lock over at once. SQLite's own lock
        # stays the guarantee (administration commands do not take this one).
        return GroupWriter(sessions, FileLock(Path(f"{url.database}-writers.lock")))
    return DirectWriter(sessions)

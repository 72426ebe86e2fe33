"""Engines for SQLite (default) and PostgreSQL, schema migration, and the per-chain lock.

SQLite runs in WAL mode with `synchronous=FULL` so that an acknowledged validation survives
a power cut; every transaction starts with BEGIN IMMEDIATE, which takes the database's write
lock up front: writers queue instead of failing half-way with SQLITE_BUSY.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from backend.errors import AppError
from procuration.wire import ProblemCode


class StorageError(AppError):
    code, status, title = ProblemCode.STORAGE, 503, "Storage unavailable"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling would defer BEGIN; we issue it ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StorageError(f"SQLite refused WAL mode (journal_mode={mode})")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # A purge erases personal columns: without this, the old values stay readable in the
        # freed space of the page (or the freelist) until SQLite happens to reuse it.
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


# Execution option of the reader sessions: their transactions start with a plain (deferred)
# BEGIN, so that a read never waits for the write lock (WAL readers see a snapshot).
READ_ONLY = "mpr_read_only"


def _begin(connection: Any) -> None:
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for `url`; refuses SQLite files whose directory is missing or not WAL-able."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path in ("", ":memory:"):
            raise StorageError("an in-memory SQLite database cannot hold WAL; give a file path")
        if not Path(path).parent.is_dir():
            raise StorageError(f"database directory does not exist: {Path(path).parent}")
        _create_private(Path(path))
        # The hot routes read on the event loop (backend/services/plan.py): a checkout there
        # must never wait for a connection held elsewhere. Room for the thread pool's 40
        # threads, the default executor's and the writer; a SQLite connection is cheap.
        engine = create_engine(url, pool_size=8, max_overflow=48)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
    elif url.startswith("postgresql+psycopg"):
        engine = create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)
    else:
        raise StorageError("database URL must be sqlite:///PATH or postgresql+psycopg://...")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except AppError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise StorageError(f"cannot open database: {type(exc).__name__}") from exc
    return engine


def _create_private(path: Path) -> None:
    """Creates the database file owner-only (0600) before SQLite opens it: SQLite gives the
    `-wal` and `-shm` files the database file's permissions. An existing file is tightened."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(descriptor)
    if os.name == "posix":
        for existing in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if existing.exists():
                os.chmod(existing, 0o600)


def checkpoint_wal(engine: Engine) -> bool:
    """Copies the SQLite WAL into the database and truncates it to zero bytes, so that the
    values a purge just erased survive in no `-wal` frame; True when it completed (a reader
    still holding an old snapshot makes it partial). Nothing to do on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return True
    # On the DB-API connection: SQLAlchemy would open a transaction (BEGIN IMMEDIATE, _begin)
    # first, and a checkpoint cannot run inside one.
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            cursor.close()
    finally:
        connection.close()
    return not busy


def migrate(engine: Engine) -> None:
    """Brings the schema to the latest revision; safe to run at every start."""
    config = Config(str(resources.files("backend.migrations") / "alembic.ini"))
    config.set_main_option("script_location", str(resources.files("backend.migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def reader_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for transactions that only read (they must not write: on SQLite a deferred
    transaction that tries to write may fail at once instead of waiting for the lock)."""
    return sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back on any exception."""
    with factory() as session, session.begin():
        yield session


def chain_lock_key(chain: str) -> int:
    """A stable signed 64-bit key for PostgreSQL's advisory locks."""
    return int.from_bytes(hashlib.sha256(chain.encode()).digest()[:8], "big", signed=True)

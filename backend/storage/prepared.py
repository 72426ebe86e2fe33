"""The hot statements: written with SQLAlchemy Core, compiled once per dialect, run on the
DB-API connection.

The counter's hot paths (session check, lookup, validation, register check) run about
fifteen statements per validation. Through the ORM or even Core execution each one cost
0.1–0.5 ms of Python (sessions, cache keys, events, result objects): most of the server's
CPU. A `Prepared` statement keeps the SQL portable (the same Core expression gives the
SQLite and the PostgreSQL text) but is compiled once; running it is one cursor call on the
connection of the current transaction (`Db`). Rows come back as named tuples.

Only plain bind parameters are allowed (strings and integers, no type processors, no
expanding IN lists), named as Python identifiers: what the driver receives is exactly what
the caller passed.
"""

from __future__ import annotations

import threading
from collections import namedtuple
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positions: Sequence[str] | None  # parameter names in order (qmark), None for named
    fixed: dict[str, Any]  # values the statement carries itself (a LIMIT, say)
    row: Any  # the namedtuple type of a row, None for statements returning nothing

    def parameters(self, given: dict[str, Any]) -> Any:
        values = {**self.fixed, **given} if self.fixed else given
        if self.positions is None:
            return values
        return [values[name] for name in self.positions]


class Prepared:
    """One Core statement, compiled the first time it runs on each dialect."""

    def __init__(self, statement: ClauseElement, *, columns: Sequence[str] | None = None) -> None:
        # `columns`: the columns an INSERT without explicit values lists (all are given).
        self._statement = statement
        self._columns = list(columns) if columns is not None else None
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            with self._lock:
                found = self._compiled.get(dialect.name) or self._compile(dialect)
                self._compiled[dialect.name] = found
        return found

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self._statement.compile(dialect=dialect, column_keys=self._columns)
        assert isinstance(compiled, SQLCompiler)
        positions = tuple(compiled.positiontup or ()) if compiled.positional else None
        fixed = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        selected = getattr(self._statement, "selected_columns", None)
        row = namedtuple("Row", list(selected.keys())) if selected is not None else None
        return _Compiled(compiled.string, positions, fixed, row)


_DB_OF_SESSION = "mpr_db"


@dataclass(frozen=True)
class Db:
    """A DB-API connection inside a transaction, and the dialect its statements use."""

    connection: Any
    dialect: Dialect

    @classmethod
    def of(cls, session: Session) -> Db:
        """The connection of the session's transaction; pending ORM changes are flushed
        first, so the raw statements see them."""
        session.flush()
        # Kept for the rest of the transaction: a unit of the writer asks several times.
        transaction = session.get_transaction()
        cached = session.info.get(_DB_OF_SESSION)
        if cached is not None and cached[0] is transaction:
            return cached[1]  # type: ignore[no-any-return]
        connection = session.connection()
        db = cls(connection.connection.driver_connection, connection.dialect)
        session.info[_DB_OF_SESSION] = (transaction, db)
        return db

    @property
    def is_postgresql(self) -> bool:
        return self.dialect.name == "postgresql"

    def _cursor(self, statement: Prepared, params: dict[str, Any]) -> tuple[Any, _Compiled]:
        compiled = statement.compiled(self.dialect)
        return self.execute(compiled.sql, compiled.parameters(params)), compiled

    def execute(self, sql: str, parameters: Any = ()) -> Any:
        """A cursor that ran `sql`. The driver's errors are raised as SQLAlchemy's own
        (IntegrityError, OperationalError, ...), as every other statement of the backend
        raises them: the retry of a lost race, the 503 `storage` answer and the batch's
        per-item report rely on those types. Parameters are left out of the message: they
        hold names."""
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, parameters)
        except self.dialect.loaded_dbapi.Error as exc:
            cursor.close()
            raise DBAPIError.instance(
                sql,
                None,
                exc,
                self.dialect.loaded_dbapi.Error,
                hide_parameters=True,
                dialect=self.dialect,
            ) from exc
        return cursor

    def first(self, statement: Prepared, **params: Any) -> Any:
        """The first row as a named tuple, or None."""
        cursor, compiled = self._cursor(statement, params)
        try:
            found = cursor.fetchone()
        finally:
            cursor.close()
        return None if found is None else compiled.row._make(found)

    def all(self, statement: Prepared, **params: Any) -> list[Any]:
        cursor, compiled = self._cursor(statement, params)
        try:
            return [compiled.row._make(found) for found in cursor.fetchall()]
        finally:
            cursor.close()

    def run(self, statement: Prepared, **params: Any) -> int:
        """Runs an INSERT, UPDATE or DELETE; returns the number of rows it touched."""
        cursor, _compiled = self._cursor(statement, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()


@contextmanager
def reading(engine: Engine) -> Iterator[Db]:
    """A read-only transaction on a pooled connection, without an ORM session.

    On SQLite a deferred BEGIN: a WAL snapshot that never waits for the write lock."""
    connection = engine.raw_connection()
    try:
        db = Db(connection.driver_connection, engine.dialect)
        if engine.dialect.name == "sqlite":
            db.execute("BEGIN").close()
        yield db
    finally:
        connection.rollback()  # nothing was written: ending the snapshot is all it does
        connection.close()

"""The outbox: signed validations on local disk until the server acknowledged them.

Why it looks like this:

- one SQLite transaction per validation, WAL and `synchronous=FULL`: once `add` returns,
  the validation survives a kill, a crash or a power cut;
- `device_seq` is allocated in the same transaction as the insert, so two validations can
  never carry the same number and a crash never leaves a number half-used;
- the server rejects a `device_seq` not above the last one it accepted for the key, so the
  queue is delivered in order: the oldest pending validation blocks the ones behind it;
- resends use exponential backoff with jitter, never earlier than a `Retry-After`, and stop
  for good on a definitive 4xx (the officer must be told, not the server pestered);
- the server is idempotent on `validation_id`: a resend after a lost answer returns the
  stored response, which is what we keep;
- a validation the server answered for good (acknowledged or failed) is deleted once older
  than `keep_days` (setting `outbox_keep_days`, 7 by default): its signed body carries the
  identity digest, and the backend keeps the record (docs/decisions.md). The SQLite
  `secure_delete` pragma and a WAL checkpoint make the deletion reach the disk.
"""

from __future__ import annotations

import json
import logging
import os
import random
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from desktop.services.clock import Clock
from desktop.services.errors import ClientError, ServerError, SessionExpiredError, StorageError
from desktop.services.paths import make_private_dir
from procuration import timeutil

log = logging.getLogger(__name__)
BATCH_LIMIT = 100
DEFAULT_KEEP_DAYS = 7
FORGET_EVERY_S = 3600.0  # after a delivery, forgetting runs at most this often
# 409s that say "not now" rather than "never": the same validation is being processed by
# another request (the backend's in-flight guard).
_RETRY = frozenset({"in-flight"})
_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    validation_id TEXT NOT NULL UNIQUE,
    kid TEXT NOT NULL,
    device_seq INTEGER NOT NULL,
    officer TEXT NOT NULL,
    reference TEXT NOT NULL,
    decision TEXT NOT NULL,
    created_at TEXT NOT NULL,
    token TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'acknowledged', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    not_before REAL NOT NULL DEFAULT 0,
    error_code TEXT,
    error_context TEXT,
    response TEXT,
    UNIQUE (kid, device_seq)
);
CREATE INDEX IF NOT EXISTS outbox_state ON outbox (state, position);
CREATE INDEX IF NOT EXISTS outbox_day ON outbox (officer, created_at);
CREATE TABLE IF NOT EXISTS device_seq (kid TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
-- What stays on this PC beside a signed validation and is never sent: the officer's own
-- words for an "other" refusal, when a definitive refusal by the server reached this PC
-- and when an officer acknowledged it. A table of its own, so that an outbox created
-- before it simply gains it (CREATE … IF NOT EXISTS), with no rewrite of `outbox`.
CREATE TABLE IF NOT EXISTS outbox_local (
    validation_id TEXT PRIMARY KEY,
    note TEXT,
    refused_at TEXT,
    refusal_seen_at TEXT
);
"""
_COLUMNS = (
    "validation_id, kid, device_seq, officer, reference, decision, created_at, token, state, "
    "attempts, error_code, error_context, response"
)


class OutboxState(StrEnum):
    PENDING = "pending"
    ACKNOWLEDGED = "acknowledged"
    FAILED = "failed"


@dataclass(frozen=True)
class Signed:
    """What the signing callback returns for the `device_seq` it was given."""

    validation_id: str
    reference: str
    decision: str
    officer: str
    created_at: str
    token: str
    note: str | None = None  # kept on this PC only (outbox_local), never signed nor sent


@dataclass(frozen=True)
class OutboxItem:
    validation_id: str
    kid: str
    device_seq: int
    officer: str
    reference: str
    decision: str
    created_at: str
    token: str
    state: OutboxState
    attempts: int
    error_code: str | None
    error_context: dict[str, str]
    response: dict[str, Any] | None


@dataclass(frozen=True)
class UnseenRefusal:
    """A decision the server refused for good that no officer has acknowledged yet."""

    item: OutboxItem
    refused_at: str  # wire time; the decision's own time for refusals older than the column


class Sender(Protocol):
    """What the outbox needs from the API (ApiClient fits)."""

    def submit(
        self, validation_id: str, token: str, *, timeout: float | None
    ) -> dict[str, Any]: ...

    def submit_batch(
        self, tokens: Sequence[str], *, timeout: float | None
    ) -> list[dict[str, Any] | ServerError]: ...


@dataclass(frozen=True)
class RetryPolicy:
    first_delay_s: float = 2.0
    max_delay_s: float = 300.0

    def delay(self, attempts: int, draw: float) -> float:
        """Exponential, with jitter in [50 %, 100 %] so that a station's PCs coming back
        online together do not knock on the server in step."""
        ceiling = min(self.max_delay_s, self.first_delay_s * 2 ** max(0, attempts - 1))
        return float(ceiling * (0.5 + 0.5 * draw))


class Outbox:
    def __init__(
        self,
        path: Path,
        clock: Clock,
        *,
        policy: RetryPolicy | None = None,
        draw: Callable[[], float] = random.random,
        keep_days: int = DEFAULT_KEEP_DAYS,
    ) -> None:
        self._clock = clock
        self._keep = timedelta(days=keep_days)
        self._policy = policy or RetryPolicy()
        self._draw = draw
        self._db_lock = threading.Lock()
        # One deliverer at a time; a synchronous send after Valider waits for it only briefly.
        self._send_lock = threading.Lock()
        make_private_dir(path.parent)
        _create_private(path)
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA secure_delete=ON")  # deleted bodies zeroed on disk
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the outbox: {exc}") from exc
        self._forgot_at = self._clock.monotonic()
        self._forget_quietly()

    def close(self) -> None:
        with self._db_lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._db_lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StorageError(f"outbox write failed: {exc}") from exc

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._db_lock:
            try:
                return self._db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise StorageError(f"outbox read failed: {exc}") from exc

    # -- adding ---------------------------------------------------------------------------

    def add(self, kid: str, sign: Callable[[int], Signed]) -> OutboxItem:
        """Allocates the next `device_seq` for `kid`, signs with it and stores, atomically."""
        with self._transaction() as db:
            row = db.execute("SELECT last_seq FROM device_seq WHERE kid = ?", (kid,)).fetchone()
            seq = (row[0] if row else 0) + 1
            signed = sign(seq)
            db.execute(
                "INSERT INTO device_seq (kid, last_seq) VALUES (?, ?) "
                "ON CONFLICT (kid) DO UPDATE SET last_seq = excluded.last_seq",
                (kid, seq),
            )
            db.execute(
                "INSERT INTO outbox (validation_id, kid, device_seq, officer, reference, "
                "decision, created_at, token, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
                (signed.validation_id, kid, seq, signed.officer, signed.reference,
                 signed.decision, signed.created_at, signed.token),
            )  # fmt: skip
            if signed.note:
                db.execute(
                    "INSERT INTO outbox_local (validation_id, note) VALUES (?, ?)",
                    (signed.validation_id, signed.note),
                )
        return self.get(signed.validation_id)

    # -- reading --------------------------------------------------------------------------

    def get(self, validation_id: str) -> OutboxItem:
        rows = self._query(
            f"SELECT {_COLUMNS} FROM outbox WHERE validation_id = ?",  # noqa: S608 (constant)
            (validation_id,),
        )
        if not rows:
            raise KeyError(validation_id)
        return _item(rows[0])

    def pending_count(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")[0][0])

    def pending(self, limit: int = BATCH_LIMIT) -> list[OutboxItem]:
        rows = self._query(
            f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' "  # noqa: S608 (constant)
            "ORDER BY position LIMIT ?",
            (limit,),
        )
        return [_item(row) for row in rows]

    def held_until(self) -> float | None:
        """When the server lets the queue go again (its `Retry-After` on the oldest pending
        validation, which gates the others), as a POSIX timestamp; None if not held."""
        rows = self._query(
            "SELECT not_before FROM outbox WHERE state = 'pending' ORDER BY position LIMIT 1"
        )
        return float(rows[0][0]) if rows and rows[0][0] > 0 else None

    def all_items(self) -> list[OutboxItem]:
        rows = self._query(f"SELECT {_COLUMNS} FROM outbox ORDER BY position")  # noqa: S608
        return [_item(row) for row in rows]

    def note(self, validation_id: str) -> str | None:
        rows = self._query(
            "SELECT note FROM outbox_local WHERE validation_id = ?", (validation_id,)
        )
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def unseen_refusals(self) -> list[UnseenRefusal]:
        """Definitive refusals nobody acknowledged, newest first (they survive a restart)."""
        columns = ", ".join(f"o.{name.strip()}" for name in _COLUMNS.split(","))
        rows = self._query(
            f"SELECT {columns}, COALESCE(l.refused_at, o.created_at) FROM outbox o "  # noqa: S608
            "LEFT JOIN outbox_local l ON l.validation_id = o.validation_id "
            "WHERE o.state = 'failed' AND l.refusal_seen_at IS NULL ORDER BY o.position DESC"
        )
        return [UnseenRefusal(_item(row[:-1]), str(row[-1])) for row in rows]

    def mark_refusals_seen(self, validation_ids: Sequence[str]) -> None:
        """An officer read these refusals: they leave the list, in one transaction."""
        seen = timeutil.to_wire(self._clock.now())
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO outbox_local (validation_id, refusal_seen_at) VALUES (?, ?) "
                "ON CONFLICT (validation_id) DO UPDATE SET "
                "refusal_seen_at = excluded.refusal_seen_at",
                [(validation_id, seen) for validation_id in validation_ids],
            )

    def items_since(self, moment: datetime, officer: str) -> list[OutboxItem]:
        """The officer's validations created at or after `moment`, oldest first."""
        rows = self._query(
            f"SELECT {_COLUMNS} FROM outbox WHERE officer = ? AND created_at >= ? "  # noqa: S608
            "ORDER BY position",
            (officer, timeutil.to_wire(moment)),
        )
        return [_item(row) for row in rows]

    # -- forgetting -----------------------------------------------------------------------

    def forget_delivered(self) -> int:
        """Deletes the validations answered for good (acknowledged or failed) and created
        more than `keep_days` ago; returns how many. Pending ones are never touched."""
        self._forgot_at = self._clock.monotonic()
        cutoff = timeutil.to_wire(self._clock.now() - self._keep)
        with self._transaction() as db:
            deleted = db.execute(
                "DELETE FROM outbox WHERE state IN ('acknowledged', 'failed') AND created_at < ?",
                (cutoff,),
            ).rowcount
            # The officer's "autre motif" words are free text: they go with their decision.
            db.execute(
                "DELETE FROM outbox_local WHERE validation_id NOT IN "
                "(SELECT validation_id FROM outbox)"
            )
        if deleted:
            # The WAL still holds the deleted pages until a checkpoint: copy and truncate it.
            with self._db_lock:
                try:
                    self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                except sqlite3.Error as exc:
                    raise StorageError(f"outbox checkpoint failed: {exc}") from exc
        return int(deleted)

    def _forget_quietly(self) -> None:
        """Forgetting is housekeeping: a failure must not fail a delivery or the start."""
        try:
            self.forget_delivered()
        except StorageError as exc:
            log.warning("outbox housekeeping failed: %s", type(exc.__cause__).__name__)

    # -- delivering -----------------------------------------------------------------------

    def deliver(
        self, sender: Sender, *, force: bool = False, timeout: float | None = None,
        wait_s: float | None = None,
    ) -> list[OutboxItem]:  # fmt: skip
        """Sends what is due, oldest first; returns the items whose state changed.

        `force` ignores the backoff (the officer just acted, a good moment to try) but never
        a server's `Retry-After`. `wait_s` bounds the wait for another delivery in progress.
        A missing session (SessionExpiredError) propagates: only a login can fix it.
        """
        if not self._send_lock.acquire(timeout=-1 if wait_s is None else wait_s):
            return []
        try:
            changed = self._deliver_locked(sender, force=force, timeout=timeout)
        finally:
            self._send_lock.release()
        if changed and self._clock.monotonic() - self._forgot_at >= FORGET_EVERY_S:
            self._forget_quietly()  # a PC that is never restarted forgets too
        return changed

    def _deliver_locked(
        self, sender: Sender, *, force: bool, timeout: float | None
    ) -> list[OutboxItem]:
        changed: list[OutboxItem] = []
        while True:
            queue = self.pending()
            if not queue or not self._due(queue[0].validation_id, force=force):
                return changed
            results = self._send(sender, queue, timeout)
            stop = False
            for item, result in zip(queue, results, strict=False):
                state = self._record(item, result)
                if state is not OutboxState.PENDING:
                    changed.append(self.get(item.validation_id))
                else:
                    stop = True
            if stop or len(results) < len(queue):
                return changed

    def _due(self, validation_id: str, *, force: bool) -> bool:
        row = self._query(
            "SELECT next_attempt_at, not_before FROM outbox WHERE validation_id = ?",
            (validation_id,),
        )[0]
        now = self._clock.now().timestamp()
        return now >= row[1] and (force or now >= row[0])

    def _send(
        self, sender: Sender, queue: list[OutboxItem], timeout: float | None
    ) -> list[dict[str, Any] | ClientError]:
        """Results in queue order; a failure of the whole request counts for the head."""
        try:
            if len(queue) == 1:
                head = queue[0]
                return [sender.submit(head.validation_id, head.token, timeout=timeout)]
            return list(sender.submit_batch([i.token for i in queue], timeout=timeout))
        except SessionExpiredError:
            raise
        except ServerError as exc:
            if len(queue) > 1 and exc.code in {"not-found", "method-not-allowed"}:
                # A backend without the batch endpoint: one at a time still works.
                head = queue[0]
                return self._send(sender, [head], timeout)
            return [exc]
        except ClientError as exc:
            return [exc]

    def _record(self, item: OutboxItem, result: dict[str, Any] | ClientError) -> OutboxState:
        if isinstance(result, dict):
            self._finish(item, OutboxState.ACKNOWLEDGED, response=result)
            return OutboxState.ACKNOWLEDGED
        if isinstance(result, ServerError) and result.definitive and result.code not in _RETRY:
            self._finish(item, OutboxState.FAILED, error=result)
            return OutboxState.FAILED
        self._postpone(item, result)
        return OutboxState.PENDING

    def _finish(
        self, item: OutboxItem, state: OutboxState, *, response: dict[str, Any] | None = None,
        error: ServerError | None = None,
    ) -> None:  # fmt: skip
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE outbox SET state = ?, attempts = attempts + 1, response = ?, "
                "error_code = ?, error_context = ? WHERE validation_id = ? AND state = 'pending'",
                (state.value, json.dumps(response) if response is not None else None,
                 error.code if error else None,
                 json.dumps(error.context) if error else None, item.validation_id),
            ).rowcount  # fmt: skip
            if changed and state is OutboxState.FAILED:
                # In the same transaction: a refusal is never recorded without its time.
                db.execute(
                    "INSERT INTO outbox_local (validation_id, refused_at) VALUES (?, ?) "
                    "ON CONFLICT (validation_id) DO UPDATE SET refused_at = excluded.refused_at",
                    (item.validation_id, timeutil.to_wire(self._clock.now())),
                )

    def _postpone(self, item: OutboxItem, error: ClientError) -> None:
        now = self._clock.now().timestamp()
        delay = self._policy.delay(item.attempts + 1, self._draw())
        retry_after = error.retry_after if isinstance(error, ServerError) else None
        not_before = now + retry_after if retry_after is not None else 0.0
        with self._transaction() as db:
            db.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, "
                "not_before = ?, error_code = ? WHERE validation_id = ? AND state = 'pending'",
                (max(now + delay, not_before), not_before, error.code, item.validation_id),
            )


def _create_private(path: Path) -> None:
    """The outbox file owner-only (0600) before SQLite opens it: SQLite creates `-wal` and
    `-shm` with the database file's mode. Files left by an older version are tightened."""
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        if os.name == "posix":
            for existing in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                if existing.exists():
                    existing.chmod(0o600)
    except OSError as exc:
        raise StorageError(f"cannot create the outbox: {exc.strerror}") from exc


def _item(row: tuple[Any, ...]) -> OutboxItem:
    return OutboxItem(
        validation_id=row[0], kid=row[1], device_seq=row[2], officer=row[3], reference=row[4],
        decision=row[5], created_at=row[6], token=row[7], state=OutboxState(row[8]),
        attempts=row[9], error_code=row[10],
        error_context=json.loads(row[11]) if row[11] else {},
        response=json.loads(row[12]) if row[12] else None,
    )  # fmt: skip

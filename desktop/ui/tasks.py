"""Runs blocking service calls off the GUI thread and hands the result back on it.

The services are plain synchronous functions (HTTP, keyring, SQLite). A widget calls
`TaskRunner.run(key, call, on_success, on_error)`; `call` runs on a `QThreadPool` worker,
and the callbacks run later on the GUI thread, delivered through a queued signal.

Never touch widgets from the worker: `call` must only talk to services and return plain
data. Everything that changes the screen belongs in `on_success` / `on_error`.

Each task has a `key` naming what it is for ("lookup", "login", ...). Starting a task with
a key that is already running makes the older one stale: its result is dropped when it
arrives, so a slow answer never overwrites a newer one. `cancel(key)` drops a running
task's result the same way (used when the screen locks or the officer logs out).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from desktop.services.errors import ClientError

logger = logging.getLogger(__name__)

T = TypeVar("T")
SuccessCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


@dataclass(frozen=True)
class _Pending:
    key: str
    on_success: SuccessCallback
    on_error: ErrorCallback


class _Relay(QObject):
    """Lives on the GUI thread; a worker emitting its signal makes the delivery queued."""

    finished = Signal(int, object, object)


class _Job(QRunnable):
    def __init__(self, task_id: int, call: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self._task_id = task_id
        self._call = call
        self._relay = relay

    def run(self) -> None:
        result: object = None
        error: BaseException | None = None
        try:
            result = self._call()
        except Exception as exc:  # every failure goes back to the GUI thread
            error = exc
        self._relay.finished.emit(self._task_id, result, error)


class TaskRunner(QObject):
    """The one way the UI runs service calls. See the module docstring."""

    task_started = Signal(str)
    task_finished = Signal(str)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool if pool is not None else QThreadPool.globalInstance()
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_relay_finished)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._current: dict[str, int] = {}

    def run(
        self,
        key: str,
        call: Callable[[], T],
        on_success: Callable[[T], None],
        on_error: ErrorCallback,
    ) -> int:
        """Starts `call` on a worker; returns the task id. Supersedes a running `key`."""
        task_id = next(self._ids)
        self._pending[task_id] = _Pending(key, on_success, on_error)
        self._current[key] = task_id
        self.task_started.emit(key)
        self._pool.start(_Job(task_id, call, self._relay))
        return task_id

    def cancel(self, key: str) -> None:
        """Drops the result of the running task for `key`, if any, when it arrives."""
        if self._current.pop(key, None) is not None:
            self.task_finished.emit(key)

    def is_running(self, key: str) -> bool:
        return key in self._current

    def wait_for_done(self, msecs: int = 5000) -> bool:
        """For tests and shutdown: waits for the workers (results still need the loop)."""
        return self._pool.waitForDone(msecs)

    @Slot(int, object, object)
    def _on_relay_finished(self, task_id: int, result: object, error: object) -> None:
        pending = self._pending.pop(task_id, None)
        if pending is None or self._current.get(pending.key) != task_id:
            logger.debug("dropped a stale result (task %d)", task_id)
            return
        del self._current[pending.key]
        self.task_finished.emit(pending.key)
        if isinstance(error, BaseException):
            if not isinstance(error, ClientError):
                logger.error("task %r failed", pending.key, exc_info=error)
            pending.on_error(error)
        else:
            pending.on_success(result)

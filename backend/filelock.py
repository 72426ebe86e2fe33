"""An exclusive lock between the processes of one machine, on a file (`flock`).

The kernel's lock goes with the process: a holder that dies, even by kill -9, frees it at
once, and a waiter is woken as soon as it is released. Where `fcntl` does not exist
(Windows, which serves in one process) every acquire succeeds.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class FileLock:
    def __init__(self, path: Path) -> None:
        self._descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600) if fcntl else -1

    def acquire(self, *, wait: bool) -> bool:
        """True once this process holds the lock; False at once if `wait` is off and another
        process holds it."""
        if fcntl is None:  # pragma: no cover - Windows
            return True
        try:
            fcntl.flock(self._descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        if fcntl is not None:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)

    def close(self) -> None:
        """Releases the lock if held and closes the file."""
        if self._descriptor >= 0:
            os.close(self._descriptor)
            self._descriptor = -1

    def __enter__(self) -> FileLock:
        self.acquire(wait=True)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()

"""Which process of a data directory runs the background duties (register checks,
checkpoints, expiry and purge): the one holding an exclusive lock on a file there.

The lock is the kernel's (`flock`): it goes with the process, so a worker that dies, even
by kill -9, frees it for the others at once. Where `fcntl` does not exist (Windows, which
serves only in one process), the lease is always granted.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class DutyLease:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._descriptor: int | None = None

    def acquire(self) -> bool:
        """True when this process holds the lease (now or already)."""
        if self._descriptor is not None:
            return True
        if fcntl is None:  # pragma: no cover - Windows
            self._descriptor = -1
            return True
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return False
        self._descriptor = descriptor
        return True

    def release(self) -> None:
        if self._descriptor is not None and self._descriptor >= 0:
            os.close(self._descriptor)  # closing the descriptor drops the lock
        self._descriptor = None

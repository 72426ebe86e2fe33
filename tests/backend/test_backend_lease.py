"""The file lock behind the duty lease and the SQLite writers' hand-over: one holder at a
time, and it passes on when its holder goes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from backend.filelock import FileLock

HOLD = """
import sys, time
from pathlib import Path
from backend.filelock import FileLock
lock = FileLock(Path(sys.argv[1]))
print("held" if lock.acquire(wait=False) else "refused", flush=True)
time.sleep(60)
"""


def test_one_holder_at_a_time(tmp_path: Path) -> None:
    first, second = FileLock(tmp_path / "duties.lock"), FileLock(tmp_path / "duties.lock")
    assert first.acquire(wait=False)
    assert not second.acquire(wait=False)
    first.release()
    assert second.acquire(wait=False)
    second.close()
    first.close()


def test_a_killed_holder_frees_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "duties.lock"
    waiting = FileLock(path)
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "held"
            assert not waiting.acquire(wait=False)
        finally:
            holder.kill()
    assert waiting.acquire(wait=True)
    waiting.close()

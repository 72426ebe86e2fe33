"""The background duties run in one process per data directory; the lease passes on when
its holder goes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from backend.api.lease import DutyLease

HOLD = """
import sys, time
from pathlib import Path
from backend.api.lease import DutyLease
lease = DutyLease(Path(sys.argv[1]))
print("held" if lease.acquire() else "refused", flush=True)
time.sleep(60)
"""


def test_one_holder_at_a_time(tmp_path: Path) -> None:
    first, second = DutyLease(tmp_path / "duties.lock"), DutyLease(tmp_path / "duties.lock")
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_a_killed_holder_frees_the_lease(tmp_path: Path) -> None:
    path = tmp_path / "duties.lock"
    with subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "held"
            waiting = DutyLease(path)
            assert not waiting.acquire()
        finally:
            holder.kill()
    assert waiting.acquire()
    waiting.release()

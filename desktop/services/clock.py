"""Time, injected: every service that reads the time takes a `Clock`, so that tests can
move it (lock timers, trust-list age, backoff) without sleeping (`tests.support.clock`)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, time-zone aware (UTC)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps back (for timeouts and backoff)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

"""A clock that moves only when told to: for the services (`desktop.services.clock.Clock`),
and, called, for the UI timers and the scan loop that take a monotonic `() -> float`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime = START) -> None:
        if start.tzinfo is None:
            raise ValueError("naive datetime")
        self._now = start
        self._mono = 1000.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def __call__(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._mono += seconds

"""Deadlines measured on an injected clock: the result panel's clearing and the idle lock.

A `QTimer` only wakes the check up; whether the time has come is decided by `clock()`, so
tests advance a fake clock and call `check()` instead of waiting minutes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot

Clock = Callable[[], float]

_USER_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class Countdown(QObject):
    """Emits `expired` once, `seconds` after `start()` on `clock`, unless stopped first."""

    expired = Signal()

    def __init__(
        self, clock: Clock = time.monotonic, tick_ms: int = 500, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._deadline: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self, seconds: float) -> None:
        self._deadline = self._clock() + seconds
        self._timer.start()

    def stop(self) -> None:
        self._deadline = None
        self._timer.stop()

    def is_active(self) -> bool:
        return self._deadline is not None

    def remaining(self) -> float | None:
        return None if self._deadline is None else max(0.0, self._deadline - self._clock())

    def check(self) -> None:
        if self._deadline is not None and self._clock() >= self._deadline:
            self.stop()
            self.expired.emit()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.check()


class IdleWatcher(QObject):
    """Emits `idle_timed_out` after `seconds` without keyboard, mouse or touch input.

    Install it on the QApplication (`app.installEventFilter(watcher)`) so that input in
    any window counts; `suspend()` while the screen is locked.
    """

    idle_timed_out = Signal()

    def __init__(
        self, seconds: float, clock: Clock = time.monotonic, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._seconds = seconds
        self._countdown = Countdown(clock, tick_ms=1000, parent=self)
        self._countdown.expired.connect(self.idle_timed_out)

    def resume(self) -> None:
        self._countdown.start(self._seconds)

    def suspend(self) -> None:
        self._countdown.stop()

    def is_watching(self) -> bool:
        return self._countdown.is_active()

    def check(self) -> None:
        self._countdown.check()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _USER_INPUT and self._countdown.is_active():
            self._countdown.start(self._seconds)
        return False

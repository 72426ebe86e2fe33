"""UI tests: offscreen Qt, a fake service, a fake clock, and a stubbed refusal dialog."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.counter_view import CounterOptions
from desktop.ui.main_window import MainWindow, WindowOptions
from desktop.ui.refusal_dialog import Refusal
from desktop.ui.tasks import TaskRunner
from procuration.models import RefusalReason
from tests.support.clock import FakeClock
from tests.support.fake_counter import FakeCounterService


class CloseConfirmations:
    """Stands for the "close anyway?" question: records each one and answers `answer`."""

    def __init__(self) -> None:
        self.answer = True
        self.asked: list[int] = []

    def __call__(self, _parent: object, pending: int) -> bool:
        self.asked.append(pending)
        return self.answer


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def close_confirmations() -> CloseConfirmations:
    return CloseConfirmations()


@pytest.fixture
def service() -> FakeCounterService:
    return FakeCounterService()


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.wait_for_done()


@pytest.fixture
def counter_options(clock: FakeClock) -> CounterOptions:
    return CounterOptions(
        clear_after=30,
        clock=clock,
        today=lambda: date(2026, 6, 12),
        pick_reason=lambda _parent: Refusal(RefusalReason.IDENTITY_MISMATCH),
    )


@pytest.fixture
def window(
    qtbot: QtBot,
    service: FakeCounterService,
    runner: TaskRunner,
    clock: FakeClock,
    counter_options: CounterOptions,
    close_confirmations: CloseConfirmations,
) -> Iterator[MainWindow]:
    options = WindowOptions(
        idle_lock=120,
        clock=clock,
        counter=counter_options,
        prefill_matricule="123456",
        confirm_close=close_confirmations,
    )
    main = MainWindow(service, runner, options)
    qtbot.addWidget(main)
    main.show()
    yield main
    close_confirmations.answer = True
    main.close()

"""Scanner and counter together: a code read holds the scanner until the officer decides or
clears; a second code in view never replaces the identity shown (issue 13, item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.services.scanner import CameraInfo, FileSource
from desktop.ui.counter_view import CounterOptions, CounterView
from desktop.ui.scanner_setup import ScannerBridge
from desktop.ui.scanner_widget import ScannerWidget
from desktop.ui.tasks import TaskRunner
from tests.support.fake_counter import FakeCounterService

from .helpers import look_up, tick_all
from .test_scanner_widget import NOTICE, write_code


@pytest.fixture
def counter(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner, counter_options: CounterOptions
) -> CounterView:
    view = CounterView(service, runner, counter_options)
    qtbot.addWidget(view)
    view.show()
    return view


@pytest.fixture
def scanner(qtbot: QtBot, counter: CounterView, tmp_path: Path) -> ScannerWidget:
    """The counter's scanner, its camera seeing 7K3QZ9's code then EXP1RD's, in a loop."""
    folder = tmp_path / "codes"
    folder.mkdir()
    write_code(folder / "1.png", b"7K3QZ9")
    write_code(folder / "2.png", b"EXP1RD")
    widget = ScannerWidget(
        lambda spec: FileSource(folder, fps=30, loop=True),
        lambda: [CameraInfo("demo", "Démonstration")],
        clock=lambda: 0.0,  # every repeat falls inside the dedupe window
        beep=lambda: None,
    )
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ScannerBridge(counter, widget, settings)
    counter.set_scanner_widget(widget)
    return widget


def test_a_second_code_in_view_does_not_replace_the_identity(
    qtbot: QtBot, counter: CounterView, scanner: ScannerWidget, service: FakeCounterService
) -> None:
    others: list[bytes] = []
    scanner.other_code_read.connect(others.append)
    scanner.start()
    qtbot.waitUntil(lambda: others == [b"EXP1RD"] and counter.identity.is_showing(), timeout=5000)
    qtbot.wait(50)  # a lookup the second code would have started has had time to show
    assert scanner.status_label.text() == NOTICE
    scanner.stop()

    assert service.calls.count("lookup") == 1
    assert counter.is_deciding() and counter.identity.is_showing()
    assert counter.identity.values["birth_name"].text() == "DUPONT"


def test_the_scanner_is_held_only_while_an_identity_awaits_a_decision(
    qtbot: QtBot, counter: CounterView, scanner: ScannerWidget
) -> None:
    look_up(qtbot, counter, "7K3QZ9")  # typed: a scanned code would not replace it either
    assert scanner.is_held()
    with qtbot.waitSignal(counter.cleared):
        QTest.keyClick(counter.checks.document, Qt.Key.Key_Escape)
    assert not scanner.is_held()
    look_up(qtbot, counter, "EXP1RD")  # expired: nothing to decide
    assert not scanner.is_held()
    look_up(qtbot, counter, "7K3QZ9")
    tick_all(counter)
    with qtbot.waitSignal(counter.submit_finished, timeout=3000):
        counter.checks.validate_button.click()
    assert not scanner.is_held()  # the next voter's code is read at once

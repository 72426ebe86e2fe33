"""Steps shared by the UI tests, each waiting on the signal that ends it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.ui.counter_view import CounterView
from desktop.ui.main_window import MainWindow
from tests.support.fake_counter import PASSWORD


def log_in(qtbot: QtBot, window: MainWindow, password: str = PASSWORD) -> None:
    with qtbot.waitSignal(window.login_view.logged_in, timeout=3000):
        window.login_view.password.setText(password)
        QTest.keyClick(window.login_view.password, Qt.Key.Key_Return)


def look_up(qtbot: QtBot, counter: CounterView, text: str) -> None:
    with qtbot.waitSignal(counter.lookup_finished, timeout=3000):
        counter.field.setFocus()
        QTest.keyClicks(counter.field, text)
        QTest.keyClick(counter.field, Qt.Key.Key_Return)


def tick_all(counter: CounterView) -> None:
    for box in counter.checks.checkboxes():
        box.setChecked(True)

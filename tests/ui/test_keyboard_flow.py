"""The whole counter flow with the keyboard alone, as an officer at a busy desk does it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from tests.support.fake_counter import FakeCounterService


def focused() -> object:
    return QApplication.focusWidget()


def test_keyboard_only_login_lookup_check_validate(
    qtbot: QtBot, window: MainWindow, service: FakeCounterService
) -> None:
    login = window.login_view
    login.matricule.clear()
    login.matricule.setFocus()
    QTest.keyClicks(focused(), "123456")
    QTest.keyClick(focused(), Qt.Key.Key_Return)  # Enter moves to the password
    assert focused() is login.password
    with qtbot.waitSignal(login.logged_in):
        QTest.keyClicks(focused(), "secret")
        QTest.keyClick(focused(), Qt.Key.Key_Return)

    counter = window.counter
    assert focused() is counter.field
    with qtbot.waitSignal(counter.lookup_finished):
        QTest.keyClicks(focused(), "7k3qz9")
        QTest.keyClick(focused(), Qt.Key.Key_Return)
    assert focused() is counter.checks.document

    QTest.keyClick(focused(), Qt.Key.Key_Down)  # passport
    for box in counter.checks.checkboxes():
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        assert focused() is box
        QTest.keyClick(focused(), Qt.Key.Key_Space)
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is counter.checks.validate_button
    with qtbot.waitSignal(counter.submit_finished):
        QTest.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert counter.banner.title == "Transmise"
    assert service.last_check.type.value == "passport"
    assert focused() is counter.field  # ready for the next person


def test_mnemonics_tick_the_checks(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.login_view.logged_in):
        window.login_view.password.setText("secret")
        QTest.keyClick(window.login_view.password, Qt.Key.Key_Return)
    counter = window.counter
    with qtbot.waitSignal(counter.lookup_finished):
        QTest.keyClicks(counter.field, "7K3QZ9")
        QTest.keyClick(counter.field, Qt.Key.Key_Return)
    for key in (Qt.Key.Key_N, Qt.Key.Key_D, Qt.Key.Key_H):
        QTest.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
    # A mnemonic "animates" the click: the box toggles a moment later.
    qtbot.waitUntil(counter.checks.validate_button.isEnabled)


def test_shortcuts_are_shown_on_buttons(window: MainWindow) -> None:
    assert "Ctrl+Entrée" in window.counter.checks.validate_button.text()
    assert "Ctrl+R" in window.counter.checks.refuse_button.text()
    assert "Entrée" in window.counter.search_button.text()
    assert "Échap" in window.counter.clear_button.text()
    assert "Ctrl+L" in window.status_area.lock_button.text()

"""Issue 13 item 7: F1 help from every counter screen; searching the officer's own day."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.services.ports import DayItem, DeliveryState
from desktop.ui.day_view import DayDialog
from desktop.ui.help_dialog import HelpDialog
from desktop.ui.main_window import MainWindow
from tests.support.fake_counter import FakeCounterService
from tests.ui.helpers import log_in


def press_f1(qtbot: QtBot, window: MainWindow, target: QWidget) -> HelpDialog:
    # Offscreen, closing a dialog leaves no window active, as a window manager would.
    target.window().activateWindow()
    qtbot.waitUntil(target.window().isActiveWindow)
    QTest.keyClick(target, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(HelpDialog)))
    dialog = next(d for d in window.findChildren(HelpDialog) if d.isVisible())
    return dialog


def test_f1_opens_the_help_on_the_login_counter_and_lock_screens(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = press_f1(qtbot, window, window.login_view.password)
    text = dialog.plain_text()
    for key in ("Entrée", "Ctrl+Entrée", "Ctrl+R", "1 à 4", "F2", "Ctrl+J", "Ctrl+P", "Échap"):
        assert key in text
    assert "hors ligne" in text and "code QR signé" in text
    assert "Qui appeler" in text and "chef de poste" in text
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    log_in(qtbot, window)
    press_f1(qtbot, window, window.counter.field).reject()
    window.lock()
    press_f1(qtbot, window, window.lock_screen.password).reject()
    assert len(window.findChildren(HelpDialog)) == 1  # one help window, reopened


def day_dialog(qtbot: QtBot, window: MainWindow, service: FakeCounterService) -> DayDialog:
    at = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
    service.day = [
        DayItem("7K3QZ9", at, "validated", DeliveryState.TRANSMITTED),
        DayItem("A1B2C3", at, "refused", DeliveryState.TRANSMITTED),
        DayItem("10X2Y3", at, "validated", DeliveryState.PENDING),
        DayItem("ZZ9F00", at, "validated", DeliveryState.FAILED),
    ]
    log_in(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(window.findChildren(DayDialog)))
    return window.findChildren(DayDialog)[0]


def shown_references(dialog: DayDialog) -> list[str]:
    model = dialog.table.model()
    return sorted(model.index(row, 1).data() for row in range(model.rowCount()))


def test_my_day_filters_by_reference_with_look_alikes_corrected(
    qtbot: QtBot, window: MainWindow, service: FakeCounterService
) -> None:
    dialog = day_dialog(qtbot, window, service)
    assert len(shown_references(dialog)) == 4
    QTest.keyClicks(dialog.search, "io x")  # i → 1, o → 0, the space dropped
    assert dialog.search.text() == "10X"
    assert shown_references(dialog) == ["10X2Y3"]
    assert "4 décision(s) aujourd'hui — 1 affichée(s)" in dialog.summary.text()
    dialog.search.clear()
    QTest.keyClicks(dialog.search, "f0o")
    assert shown_references(dialog) == ["ZZ9F00"]
    dialog.close()


def test_my_day_filters_by_status(
    qtbot: QtBot, window: MainWindow, service: FakeCounterService
) -> None:
    dialog = day_dialog(qtbot, window, service)
    for label, expected in (
        ("Refusées", ["A1B2C3"]),
        ("En attente d'envoi", ["10X2Y3"]),
        ("Échec d'envoi", ["ZZ9F00"]),
        ("Validées", ["10X2Y3", "7K3QZ9", "ZZ9F00"]),
    ):
        dialog.status.setCurrentIndex(dialog.status.findText(label))
        assert shown_references(dialog) == expected, label
    QTest.keyClicks(dialog.search, "7k")
    assert shown_references(dialog) == ["7K3QZ9"]
    dialog.close()

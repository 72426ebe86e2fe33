"""The window: login, status area, lock, logout, the officer's day, the demo title."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.services.errors import ClientError, NetworkError, ServerError
from desktop.services.ports import DeliveryState
from desktop.ui.day_view import DayDialog
from desktop.ui.main_window import MainWindow, WindowOptions
from desktop.ui.tasks import TaskRunner
from tests.support.clock import FakeClock
from tests.support.fake_counter import FakeCounterService

from .helpers import log_in, look_up, tick_all


def test_login_shows_the_officer_in_the_status_area(qtbot: QtBot, window: MainWindow) -> None:
    assert not window.status_area.isVisible()
    assert window.login_view.password.hasFocus()  # matricule prefilled
    log_in(qtbot, window)
    assert window.pages.currentWidget() is window.counter
    assert window.status_area.officer.text() == "Brigadier-chef Claire Martin"
    details = window.status_area.details.text()
    assert "CSP Lyon 3e" in details
    assert "30/06/2027" in details
    assert window.counter.field.hasFocus()


@pytest.mark.parametrize(
    ("error", "phrase"),
    [
        (ServerError("unauthenticated", 401), "Matricule ou mot de passe incorrect"),
        (ServerError("not-habilitated", 403), "Votre habilitation a expiré"),
        (ClientError(code="device-revoked"), "Ce PC a été révoqué"),
        (NetworkError("down"), "Le serveur ne répond pas"),
    ],
)
def test_login_failures_each_read_as_one_sentence(
    qtbot: QtBot,
    window: MainWindow,
    service: FakeCounterService,
    error: ClientError,
    phrase: str,
) -> None:
    service.fail_next["login"] = error
    view = window.login_view
    view.password.setText("secret")
    # The login's own end: the window's first connection check ends about then too.
    with qtbot.waitSignal(window._runner.task_finished, check_params_cb=lambda key: key == "login"):
        QTest.keyClick(view.password, Qt.Key.Key_Return)
    assert view.banner.title == "Connexion refusée"
    assert phrase in view.banner.text
    assert view.password.text() == ""
    assert window.pages.currentWidget() is view


def test_login_button_needs_both_fields(window: MainWindow) -> None:
    view = window.login_view
    assert not view.submit_button.isEnabled()
    view.password.setText("x")
    assert view.submit_button.isEnabled()
    view.matricule.clear()
    assert not view.submit_button.isEnabled()


def test_poll_shows_online_state_and_outbox_as_words(
    qtbot: QtBot, window: MainWindow, service: FakeCounterService
) -> None:
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: not window._runner.is_running("poll"))  # the poll at login
    service.online = False
    service.pending = 3
    with qtbot.waitSignal(window._runner.task_finished):
        window.poll()
    assert window.status_area.connectivity.text() == "Hors ligne"
    assert window.status_area.outbox.text() == "En attente d'envoi : 3"
    service.online = True
    with qtbot.waitSignal(window._runner.task_finished):
        window.poll()
    assert window.status_area.connectivity.text() == "En ligne"
    assert "flush_outbox" in service.calls


def test_idle_locks_and_hides_personal_data(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    log_in(qtbot, window)
    look_up(qtbot, window.counter, "7K3QZ9")
    clock.advance(119)
    window.idle.check()
    assert not window.is_locked()
    QTest.mouseMove(window.counter.field)  # input restarts the count
    QTest.keyClick(window.counter.field, Qt.Key.Key_Shift)
    clock.advance(119)
    window.idle.check()
    assert not window.is_locked()
    with qtbot.waitSignal(window.locked):
        clock.advance(1)
        window.idle.check()
    assert window.is_locked()
    assert not window.counter.has_personal_data()
    assert window.lock_screen.password.hasFocus()
    assert "Claire Martin" in window.lock_screen.who.text()
    assert not window.status_area.day_button.isEnabled()


def test_unlock_needs_the_password(qtbot: QtBot, window: MainWindow, runner: TaskRunner) -> None:
    log_in(qtbot, window)
    window.lock()
    screen = window.lock_screen
    QTest.keyClicks(screen.password, "wrong")
    QTest.keyClick(screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(screen.problem.text()))
    assert window.is_locked()
    assert screen.problem.text() == "Mot de passe incorrect. Recommencez."
    with qtbot.waitSignal(screen.unlocked):
        QTest.keyClicks(screen.password, "secret")
        QTest.keyClick(screen.password, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.counter
    assert window.idle.is_watching()


def test_logout_returns_to_login(
    qtbot: QtBot, window: MainWindow, service: FakeCounterService
) -> None:
    log_in(qtbot, window)
    look_up(qtbot, window.counter, "7K3QZ9")
    with qtbot.waitSignal(window.logged_out):
        window.status_area.logout_button.click()
    assert window.pages.currentWidget() is window.login_view
    assert not window.counter.has_personal_data()
    assert "logout" in service.calls
    assert not window.idle.is_watching()


def test_day_lists_reference_and_time_only(
    qtbot: QtBot, window: MainWindow, service: FakeCounterService
) -> None:
    service.deliver = DeliveryState.PENDING
    log_in(qtbot, window)
    look_up(qtbot, window.counter, "7K3QZ9")
    tick_all(window.counter)
    with qtbot.waitSignal(window.counter.submit_finished):
        window.counter.checks.validate_button.click()
    assert window.status_area.outbox.text() == "En attente d'envoi : 1"
    QTest.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(window.findChildren(DayDialog)))
    dialogs = window.findChildren(DayDialog)
    model = window.day_model
    row = [model.index(0, column).data() for column in range(model.columnCount())]
    assert row[1:] == ["7K3QZ9", "Validée", "En attente d'envoi"]
    assert "DUPONT" not in str(row)
    dialogs[0].close()


def test_day_model_passes_the_model_tester(qtmodeltester: object, window: MainWindow) -> None:
    from tests.support.fake_counter import FakeCounterService

    fake = FakeCounterService()
    window.day_model.set_items(fake.day)
    qtmodeltester.check(window.day_model)  # type: ignore[attr-defined]


def test_demo_title(qtbot: QtBot, service: FakeCounterService, runner: TaskRunner) -> None:
    demo = MainWindow(service, runner, WindowOptions(demo=True))
    qtbot.addWidget(demo)
    assert "DÉMONSTRATION" in demo.windowTitle()
    plain = MainWindow(service, runner, WindowOptions())
    qtbot.addWidget(plain)
    assert "DÉMONSTRATION" not in plain.windowTitle()
    demo.close()
    plain.close()


def test_every_control_has_an_accessible_name(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

    log_in(qtbot, window)
    controls = [
        widget
        for kind in (QAbstractButton, QLineEdit, QComboBox)
        for widget in window.findChildren(kind)
    ]
    assert controls
    unnamed = [w.objectName() or repr(w) for w in controls if not w.accessibleName()]
    assert unnamed == []


def test_fonts_are_relative_to_the_system_font(window: MainWindow) -> None:
    base = QApplication.font().pointSizeF()
    assert window.counter.field.font().pointSizeF() == pytest.approx(base * 2.0)
    assert window.counter.field.font().pixelSize() == -1

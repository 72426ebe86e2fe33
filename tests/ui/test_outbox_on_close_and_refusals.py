"""Issue 13, item 5: nothing waiting is closed over silently; refused sends are kept and
can be acknowledged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.services.ports import DeliveryState, RefusedDecision
from desktop.ui.main_window import MainWindow, WindowOptions
from desktop.ui.refused_view import RefusedDialog
from desktop.ui.tasks import TaskRunner
from tests.support.fake_counter import FakeCounterService

from .conftest import CloseConfirmations
from .helpers import log_in, look_up, tick_all

KEPT = RefusedDecision(
    validation_id="0b7c1f1e-8a55-4f57-9d33-4a5c0e7f2a11",
    reference="7K3QZ9",
    refused_at=datetime(2026, 6, 12, 9, 40, tzinfo=UTC),
    error_code="already-validated",
    error_context={"officer_name": "Brigadier Paul Roux", "station": "CSP Lyon 7e",
                   "at": "2026-06-11T14:05:00Z"},
)  # fmt: skip


class LedgerService(FakeCounterService):
    """The fake with what the real outbox keeps: refusals survive a new window."""

    def __init__(self) -> None:
        super().__init__()
        self.kept = [KEPT]

    def refused_decisions(self) -> list[RefusedDecision]:
        return list(self.kept)

    def acknowledge_refused(self, validation_ids: Sequence[str]) -> None:
        self._enter("acknowledge_refused")
        self.kept = [k for k in self.kept if k.validation_id not in validation_ids]


def _window(qtbot: QtBot, service: FakeCounterService, runner: TaskRunner) -> MainWindow:
    window = MainWindow(
        service,
        runner,
        WindowOptions(prefill_matricule="123456", confirm_close=lambda _p, _n: True),
    )
    qtbot.addWidget(window)
    window.show()
    return window


def test_closing_with_decisions_waiting_asks_and_says_how_many(
    qtbot: QtBot, window: MainWindow, service: FakeCounterService,
    close_confirmations: CloseConfirmations,
) -> None:  # fmt: skip
    log_in(qtbot, window)
    service.deliver = DeliveryState.PENDING
    look_up(qtbot, window.counter, "7K3QZ9")
    tick_all(window.counter)
    with qtbot.waitSignal(window.counter.submit_finished):
        window.counter.checks.validate_button.click()
    close_confirmations.answer = False
    assert not window.close()
    assert window.isVisible()
    assert close_confirmations.asked == [1]
    close_confirmations.answer = True
    assert window.close()


def test_closing_with_nothing_waiting_does_not_ask(
    qtbot: QtBot, window: MainWindow, close_confirmations: CloseConfirmations
) -> None:
    log_in(qtbot, window)
    assert window.close()
    assert close_confirmations.asked == []


def test_the_question_says_the_decisions_leave_at_the_next_start(
    qtbot: QtBot, window: MainWindow
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.ui.main_window import ask_close_with_pending

    seen: list[str] = []

    def answer() -> None:
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())  # fmt: skip
        seen.append(box.text())
        box.reject()  # Échap: the window stays

    QTimer.singleShot(0, answer)
    assert ask_close_with_pending(window, 3) is False
    assert seen == [
        "3 décision(s) attendent encore d'être envoyées au serveur. Elles restent "
        "enregistrées sur ce PC et partiront au prochain démarrage du guichet, au plus "
        "tard à la prochaine connexion."
    ]


def test_refused_sends_are_listed_again_after_a_restart(qtbot: QtBot, runner: TaskRunner) -> None:
    service = LedgerService()
    window = _window(qtbot, service, runner)  # polls at once, before any login
    qtbot.waitUntil(lambda: window.refused_model.rowCount() == 1)
    log_in(qtbot, window)
    button = window.status_area.refused_button
    assert button.isVisible() and button.text() == "Envois refusés : 1"
    assert window.refused_model.items()[0].reference == "7K3QZ9"


def test_acknowledged_refusals_leave_the_badge_for_good(qtbot: QtBot, runner: TaskRunner) -> None:
    service = LedgerService()
    window = _window(qtbot, service, runner)
    qtbot.waitUntil(lambda: window.refused_model.rowCount() == 1)
    log_in(qtbot, window)
    dialog = window.show_refused()
    assert isinstance(dialog, RefusedDialog)
    with qtbot.waitSignal(dialog.accepted):
        dialog.acknowledge_button.click()
    assert "acknowledge_refused" in service.calls
    assert not window.status_area.refused_button.isVisible()
    window.close()
    restarted = _window(qtbot, service, runner)
    qtbot.waitUntil(lambda: not runner.is_running("poll"))
    assert restarted.refused_model.rowCount() == 0


def test_a_failed_acknowledgement_is_said_and_keeps_the_list(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    from desktop.services.errors import StorageError

    service = LedgerService()
    service.fail_next["acknowledge_refused"] = StorageError("disk full")
    window = _window(qtbot, service, runner)
    qtbot.waitUntil(lambda: window.refused_model.rowCount() == 1)
    dialog = window.show_refused()
    assert isinstance(dialog, RefusedDialog)
    dialog.acknowledge_button.click()
    qtbot.waitUntil(dialog.problem.isVisible)
    assert dialog.problem.text()
    assert window.refused_model.rowCount() == 1
    assert isinstance(dialog.parent(), QWidget)

"""Background delivery (refusals never silent, Retry-After), roles, demo enrolment, scanner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.ports import DeliveryState, SubmitOutcome
from desktop.ui.banner import BannerKind
from desktop.ui.main_window import MainWindow, WindowOptions
from desktop.ui.refused_view import RefusedDialog
from desktop.ui.scanner_setup import ScannerBridge
from desktop.ui.shell import AutoEnrolment, Shell, ShellOptions
from desktop.ui.tasks import TaskRunner
from procuration.models import OfficerInfo, Role
from tests.support.fake_counter import OFFICER, FakeCounterService

from .helpers import log_in, look_up, tick_all

REFUSED = SubmitOutcome(
    validation_id="0b7c1f1e-8a55-4f57-9d33-4a5c0e7f2a11",
    reference="7K3QZ9",
    state=DeliveryState.FAILED,
    pending_count=0,
    error_code="already-validated",
    error_context={
        "officer_name": "Brigadier Paul Roux",
        "station": "CSP Lyon 7e",
        "validated_at": "2026-06-11T14:05:00Z",
    },
)


def _poll(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window._runner.is_running("poll"))
    window.poll()
    qtbot.waitUntil(lambda: not window._runner.is_running("poll"))


def test_a_refusal_found_in_the_background_is_shown_and_listed(
    qtbot: QtBot, window: MainWindow, service: FakeCounterService
) -> None:
    log_in(qtbot, window)
    service.to_flush = [REFUSED]
    _poll(qtbot, window)
    assert window.status_area.refused_button.isVisible()
    assert window.status_area.refused_button.text() == "Envois refusés : 1"
    assert "7K3QZ9" in window.counter.banner.title
    service.to_flush = [REFUSED]  # reported again: listed once
    _poll(qtbot, window)
    assert window.refused_model.rowCount() == 1
    window.show_refused()
    dialog = window.findChild(RefusedDialog)
    assert dialog is not None
    model = dialog.table.model()
    assert model.index(0, 1).data() == "7K3QZ9"
    assert "Paul Roux" in model.index(0, 2).data()
    assert "CSP Lyon 7e" in model.index(0, 2).data()


def test_refused_model_passes_the_model_tester(qtmodeltester: Any, window: MainWindow) -> None:
    from desktop.ui.refused_view import refused_item

    window.refused_model.add(refused_item(REFUSED, window._options.now()))
    qtmodeltester.check(window.refused_model)


def test_retry_after_is_counted_down(
    qtbot: QtBot, window: MainWindow, service: FakeCounterService
) -> None:
    log_in(qtbot, window)
    service.retry_in = 42
    _poll(qtbot, window)
    assert window.status_area.retry.isVisible()
    assert window.status_area.retry.text() == "Serveur saturé : nouvel essai dans 42 s"
    service.retry_in = None
    _poll(qtbot, window)
    assert not window.status_area.retry.isVisible()


def test_waiting_decision_on_screen_turns_transmitted_when_delivered(
    qtbot: QtBot, window: MainWindow, service: FakeCounterService
) -> None:
    log_in(qtbot, window)
    service.deliver = DeliveryState.PENDING
    look_up(qtbot, window.counter, "7K3QZ9")
    tick_all(window.counter)
    with qtbot.waitSignal(window.counter.submit_finished) as submitted:
        window.counter.checks.validate_button.click()
    waiting: SubmitOutcome = submitted.args[0]
    assert window.counter.banner.title == "En attente d'envoi (1)"
    service.pending = 0
    service.to_flush = [replace(waiting, state=DeliveryState.TRANSMITTED, pending_count=0)]
    _poll(qtbot, window)
    assert window.counter.banner.kind is BannerKind.TRANSMITTED
    assert window.counter.banner.title == "Transmise"
    assert window.status_area.outbox.text() == "En attente d'envoi : 0"


def test_delivery_runs_before_anyone_logs_in(
    qtbot: QtBot, window: MainWindow, service: FakeCounterService
) -> None:
    assert window.poll_timer.isActive()
    qtbot.waitUntil(lambda: "flush_outbox" in service.calls)


class _FakeReview:
    station = "CSP Lyon 3e"

    def __init__(self) -> None:
        self.days: list[date] = []

    def today(self) -> date:
        return date(2026, 6, 12)


SUPERVISOR = OfficerInfo(
    matricule="100003",
    name="Anne Roux",
    grade="Commandant",
    role=Role.SUPERVISOR,
    station="CSP Lyon 3e",
    habilitation_until=None,
)


@pytest.fixture
def shell(qtbot: QtBot, service: FakeCounterService, runner: TaskRunner) -> Iterator[Shell]:
    opened: list[OfficerInfo] = []

    def factory(officer: OfficerInfo) -> Any:
        opened.append(officer)
        raise RuntimeError("no journal in this test")

    options = ShellOptions(window=WindowOptions(prefill_matricule="123456"))
    built = Shell(service, runner, options, review_factory=factory)
    built.opened = opened  # type: ignore[attr-defined]
    yield built
    if built.window is not None:
        built.window.close()


def test_a_supervisor_never_sees_the_counter(
    qtbot: QtBot, shell: Shell, service: FakeCounterService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desktop.ui.shell.QMessageBox.critical", lambda *_args: None)
    service.officer = SUPERVISOR
    with qtbot.waitSignal(shell.window_shown):
        shell.start()
    assert shell.window is not None
    with qtbot.waitSignal(shell.supervisor_requested):
        log_in(qtbot, shell.window)
    assert shell.window.pages.currentWidget() is shell.window.login_view
    assert shell.opened == [SUPERVISOR]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "logout" in service.calls)


def test_an_officer_never_gets_the_supervisor_view(
    qtbot: QtBot, shell: Shell, service: FakeCounterService
) -> None:
    with qtbot.waitSignal(shell.window_shown):
        shell.start()
    assert shell.window is not None
    log_in(qtbot, shell.window)
    assert shell.window.pages.currentWidget() is shell.window.counter
    assert shell.opened == []  # type: ignore[attr-defined]
    assert service.officer is OFFICER


def test_the_demo_enrols_itself_without_the_wizard(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner
) -> None:
    service.enrolled = False
    options = ShellOptions(auto_enrolment=AutoEnrolment("http://127.0.0.1:8765", "CODE"))
    shell = Shell(service, runner, options)
    with qtbot.waitSignal(shell.window_shown):
        shell.start()
    assert "enroll" in service.calls
    assert shell.wizard is None
    assert shell.window is not None
    shell.window.close()


class _FakeScanner(QWidget):
    from PySide6.QtCore import Signal

    payload_read = Signal(bytes)

    def __init__(self) -> None:
        super().__init__()
        from PySide6.QtWidgets import QComboBox

        self.camera_picker = QComboBox(self)
        self.camera_picker.addItem("Caméra 0", "0")
        self.camera_picker.addItem("Fichier", "/tmp/qr.png")

    def hold(self, payload: bytes = b"") -> None:
        pass

    def release(self) -> None:
        pass


def test_a_camera_read_goes_the_way_of_typed_text(
    qtbot: QtBot, window: MainWindow, tmp_path: Any
) -> None:
    log_in(qtbot, window)
    scanner = _FakeScanner()
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    ScannerBridge(window.counter, scanner, settings)  # type: ignore[arg-type]
    window.counter.set_scanner_widget(scanner)
    with qtbot.waitSignal(window.counter.lookup_finished):
        scanner.payload_read.emit(b"7K3QZ9")
    assert window.counter.identity.values["birth_name"].text() == "DUPONT"
    scanner.payload_read.emit(b"\xff\xfe")
    assert window.counter.banner.title == "Code QR refusé"
    scanner.camera_picker.setCurrentIndex(1)
    assert settings.value("scanner/camera") == "/tmp/qr.png"
    again = _FakeScanner()
    ScannerBridge(window.counter, again, settings).restore_camera(None)  # type: ignore[arg-type]
    assert again.camera_picker.currentData() == "/tmp/qr.png"
    assert isinstance(window.counter.scanner_slot.findChild(QLabel), QLabel | None)

"""The login form shown at start, before the services are imported, and its hand-over."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from desktop.ui.early_login import EarlyLoginWindow
from desktop.ui.shell import Shell
from desktop.ui.tasks import TaskRunner
from tests.support.fake_counter import PASSWORD, FakeCounterService

ROOT = Path(__file__).resolve().parents[2]


def _early(qtbot: QtBot, matricule: str = "") -> EarlyLoginWindow:
    early = EarlyLoginWindow("Guichet Maprocuration", matricule)
    qtbot.addWidget(early)
    early.show_now()
    return early


def test_the_form_is_painted_before_show_now_returns(qtbot: QtBot) -> None:
    early = _early(qtbot, "OPJ001")
    assert early.painted
    assert early.isVisible()
    assert early.matricule.text() == "OPJ001"
    assert not early.submit_button.isEnabled()  # as in the real form: no password yet
    assert not early.notice.isVisible()


def test_what_was_typed_moves_to_the_real_login_and_a_submit_pressed_early_logs_in(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner
) -> None:
    early = _early(qtbot)
    QTest.keyClicks(early.matricule, "OPJ001")
    QTest.keyClicks(early.password, PASSWORD)
    QTest.keyClick(early.password, Qt.Key.Key_Return)
    assert early.submit_pending
    assert "dès que le poste est prêt" in early.notice.text()
    shell = Shell(service, runner)
    early.follow(shell)
    with qtbot.waitSignal(shell.window_shown):
        shell.start()
    assert shell.window is not None
    window = shell.window
    qtbot.waitUntil(lambda: window.officer is not None)  # the early Enter, pressed again
    assert service.calls.count("login") == 1
    assert not early.isVisible()
    assert early.password.text() == ""
    shell.window.close()


def test_typing_without_submitting_is_kept_and_nothing_is_sent(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner
) -> None:
    early = _early(qtbot)
    QTest.keyClicks(early.matricule, "OPJ001")
    shell = Shell(service, runner)
    early.follow(shell)
    with qtbot.waitSignal(shell.window_shown):
        shell.start()
    assert shell.window is not None
    assert shell.window.login_view.matricule.text() == "OPJ001"
    assert "login" not in service.calls
    assert not early.isVisible()
    shell.window.close()


def test_the_enrolment_wizard_replaces_the_form_on_a_pc_not_enrolled(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner
) -> None:
    service.enrolled = False
    early = _early(qtbot)
    shell = Shell(service, runner)
    early.follow(shell)
    with qtbot.waitSignal(shell.wizard_shown):
        shell.start()
    assert not early.isVisible()
    assert shell.wizard is not None
    shell.wizard.close()


def test_the_start_imports_no_service_before_the_form_is_shown() -> None:
    """What `desktop.startup` imports before the first paint: Qt and our style only."""
    code = (
        "import sys, desktop.startup; "
        "heavy = [m for m in sys.modules if m.startswith(('desktop.services', 'pydantic', "
        "'procuration', 'keyring', 'httpx', 'cryptography', 'desktop.app'))]; "
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.stdout.strip() == "[]"

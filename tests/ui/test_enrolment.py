"""First run: the enrolment wizard, including the fail-closed vault path."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from desktop.services.errors import VaultUnavailableError
from desktop.ui.enrolment import EnrolmentWizard, server_problem
from desktop.ui.shell import Shell
from desktop.ui.tasks import TaskRunner
from tests.support.fake_counter import FakeCounterService


@pytest.mark.parametrize(
    ("url", "ca_file", "ok"),
    [
        ("https://guichet.interieur.example", "/etc/ca.pem", True),
        ("https://guichet.interieur.example", "", False),
        ("http://127.0.0.1:8000", "", True),
        ("http://guichet.example", "", False),
        ("guichet", "", False),
    ],
)
def test_server_address_rules(qapp: object, url: str, ca_file: str, ok: bool) -> None:
    assert (server_problem(url, ca_file) is None) is ok


def wizard_at_last_page(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner
) -> EnrolmentWizard:
    wizard = EnrolmentWizard(service, runner, "http://127.0.0.1:8000")
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.server_page.isComplete()
    wizard.next()
    assert not wizard.code_page.isComplete()
    wizard.code_page.code.setText("ABCD-1234")
    assert wizard.code_page.isComplete()
    with qtbot.waitSignal(runner.task_finished):
        wizard.next()
    return wizard


def test_enrolment_succeeds(qtbot: QtBot, service: FakeCounterService, runner: TaskRunner) -> None:
    service.enrolled = False
    wizard = wizard_at_last_page(qtbot, service, runner)
    assert wizard.enrol_page.isComplete()
    assert wizard.enrol_page.banner.title == "Poste enrôlé"
    assert service.enrolled


def test_no_vault_refuses_and_says_why(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner
) -> None:
    service.fail_next["enroll"] = VaultUnavailableError("no backend")
    wizard = wizard_at_last_page(qtbot, service, runner)
    assert not wizard.enrol_page.isComplete()
    assert wizard.enrol_page.banner.title == "Enrôlement refusé"
    assert "coffre-fort" in wizard.enrol_page.banner.text


def test_shell_shows_the_wizard_when_not_enrolled_then_the_window(
    qtbot: QtBot, service: FakeCounterService, runner: TaskRunner
) -> None:
    service.enrolled = False
    shell = Shell(service, runner)
    with qtbot.waitSignal(shell.wizard_shown):
        shell.start()
    assert shell.wizard is not None
    with qtbot.waitSignal(shell.window_shown):
        shell.wizard.done(QWizard.DialogCode.Accepted.value)
    assert shell.window is not None
    shell.window.close()
    shell.wizard.close()

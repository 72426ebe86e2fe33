"""A real shift, over the real services and a fake backend: the server goes down, the
counter locks, the officer unlocks offline and validates a signed QR code; a colleague
enrols on a PC already enrolled by someone else and logs in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from desktop.services.api_client import ApiClient
from desktop.services.counter import Counter
from desktop.services.credentials import Vault
from desktop.services.device import DeviceStore
from desktop.services.outbox import Outbox
from desktop.services.paths import Paths
from desktop.services.trust import TrustStore
from desktop.ui.banner import BannerKind
from desktop.ui.counter_view import CounterOptions
from desktop.ui.main_window import MainWindow, WindowOptions
from desktop.ui.shell import Shell, ShellOptions
from desktop.ui.tasks import TaskRunner
from tests.support.clock import FakeClock
from tests.support.fake_backend import REFERENCE, FakeBackend, MemoryKeyring
from tests.ui.helpers import log_in, look_up, tick_all

SERVER = "http://127.0.0.1:8765"
PASSWORD = "s3cret"


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def real_counter(tmp_path: Path, backend: FakeBackend, clock: FakeClock) -> Iterator[Counter]:
    paths = Paths.for_user(tmp_path).ensure()
    counter = Counter(
        vault=Vault(MemoryKeyring()), outbox=Outbox(paths.outbox_file, clock, draw=lambda: 0.0),
        trust=TrustStore(paths.trust_file, clock), devices=DeviceStore(paths.device_file),
        api_factory=lambda server: ApiClient(server, transport=backend.transport()),
        clock=clock, redact=lambda *values: None,
    )  # fmt: skip
    counter.enroll(SERVER, None, "ABCD-EF01", "Guichet 1", owner="123456")
    yield counter
    counter.close()


def window_options(clock: FakeClock, counter_options: CounterOptions) -> WindowOptions:
    return WindowOptions(
        idle_lock=120, clock=clock, counter=counter_options, prefill_matricule="123456",
        confirm_close=lambda _parent, _pending: True, poll_interval_ms=60_000,
    )  # fmt: skip


@pytest.fixture
def real_window(
    qtbot: QtBot, real_counter: Counter, runner: TaskRunner, clock: FakeClock,
    counter_options: CounterOptions,
) -> Iterator[MainWindow]:  # fmt: skip
    main = MainWindow(real_counter, runner, window_options(clock, counter_options))
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def test_backend_down_lock_unlock_offline_then_a_signed_qr_code_waits(
    qtbot: QtBot, real_window: MainWindow, real_counter: Counter, backend: FakeBackend
) -> None:
    log_in(qtbot, real_window, PASSWORD)
    assert not real_window.status_area.offline_session.isVisible()
    backend.online = False
    real_window.lock()
    with qtbot.waitSignal(real_window.lock_screen.unlocked, timeout=5000):
        real_window.lock_screen.password.setText(PASSWORD)
        QTest.keyClick(real_window.lock_screen.password, Qt.Key.Key_Return)
    shown = real_window.status_area.offline_session
    assert shown.isVisible() and shown.text().startswith("Session hors ligne")

    counter = real_window.counter
    look_up(qtbot, counter, REFERENCE)
    assert counter.banner.title == "Session hors ligne"
    assert counter.banner.text.startswith("Une référence tapée ne peut pas être recherchée hors")

    with qtbot.waitSignal(counter.lookup_finished, timeout=3000):
        counter.submit_text(backend.qr_text())
    tick_all(counter)
    with qtbot.waitSignal(counter.submit_finished, timeout=5000):
        counter.checks.validate_button.click()
    assert counter.banner.kind is BannerKind.PENDING
    assert real_counter.pending_count() == 1
    assert not backend.validated_refs


def test_unlock_offline_with_a_wrong_password_is_refused(
    qtbot: QtBot, real_window: MainWindow, backend: FakeBackend
) -> None:
    log_in(qtbot, real_window, PASSWORD)
    backend.online = False
    real_window.lock()
    lock = real_window.lock_screen
    lock.password.setText("wrong")
    QTest.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(lock.problem.text()), timeout=5000)
    assert real_window.is_locked()
    assert lock.problem.text() == "Mot de passe incorrect. Recommencez."


def test_a_colleague_enrols_on_an_enrolled_pc_and_logs_in(
    qtbot: QtBot, real_counter: Counter, backend: FakeBackend, runner: TaskRunner,
    clock: FakeClock, counter_options: CounterOptions,
) -> None:  # fmt: skip
    backend.add_officer("654321", "Paul Durand", "WXYZ-0002")
    shell = Shell(real_counter, runner, ShellOptions(window_options(clock, counter_options)))
    shell.show_window()
    assert shell.window is not None
    qtbot.addWidget(shell.window)
    login = shell.window.login_view
    login.matricule.setText("654321")
    login.password.setText(PASSWORD)
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: login.banner.title == "Connexion refusée", timeout=5000)
    assert login.banner.text.startswith("Ce poste n'est pas encore enrôlé pour vous :")

    with qtbot.waitSignal(shell.wizard_shown):
        login.enrol_button.click()
    wizard = shell.wizard
    assert wizard is not None
    assert wizard.currentPage() is wizard.code_page  # the PC's server is already known
    assert wizard.code_page.owner.text() == "654321"
    wizard.code_page.code.setText("WXYZ-0002")
    wizard.next()
    qtbot.waitUntil(wizard.enrol_page.isComplete, timeout=5000)
    wizard.done(QWizard.DialogCode.Accepted.value)
    assert login.banner.title == "Poste enrôlé pour vous"
    assert login.matricule.text() == "654321"

    with qtbot.waitSignal(login.logged_in, timeout=5000) as logged:
        login.password.setText(PASSWORD)
        QTest.keyClick(login.password, Qt.Key.Key_Return)
    assert logged.args is not None and logged.args[0].name == "Paul Durand"
    shell.window.close()

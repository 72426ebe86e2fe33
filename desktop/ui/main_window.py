"""The counter window: status area on top; login, counter or lock screen below.

Logged out it shows the login page; logged in, the counter, locked after `idle_lock`
seconds without input (personal data cleared and hidden, password to resume).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from desktop.services.ports import CounterService, DayItem, SubmitOutcome
from desktop.ui import messages
from desktop.ui.banner import BannerKind
from desktop.ui.counter_view import CounterOptions, CounterView
from desktop.ui.day_view import DayDialog, DayModel
from desktop.ui.lock_screen import LockScreen
from desktop.ui.login_view import LoginView
from desktop.ui.status_area import StatusArea
from desktop.ui.tasks import TaskRunner
from desktop.ui.timers import Clock, IdleWatcher
from procuration.models import OfficerInfo

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WindowOptions:
    demo: bool = False
    idle_lock: float = 300.0
    clock: Clock | None = None
    counter: CounterOptions = field(default_factory=CounterOptions)
    poll_interval_ms: int = 15_000  # connectivity check and outbox flush
    prefill_matricule: str = ""


class MainWindow(QMainWindow):
    logged_out = Signal()
    locked = Signal()

    def __init__(
        self,
        service: CounterService,
        runner: TaskRunner,
        options: WindowOptions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._options = options or WindowOptions()
        self.officer: OfficerInfo | None = None
        self.setWindowTitle(self._title())
        self.status_area = StatusArea(self)
        self.login_view = LoginView(service, runner, self)
        self.counter = CounterView(service, runner, self._options.counter, self)
        self.lock_screen = LockScreen(service, runner, self)
        self.pages = QStackedWidget(self)
        for page in (self.login_view, self.counter, self.lock_screen):
            self.pages.addWidget(page)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status_area)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        clock = self._options.clock or time.monotonic
        self.idle = IdleWatcher(self._options.idle_lock, clock, parent=self)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(self._options.poll_interval_ms)
        self.day_model = DayModel(self)
        self._connect()
        self.login_view.prefill(self._options.prefill_matricule)
        self._show_login()

    def _title(self) -> str:
        title = self.tr("Guichet Maprocuration")
        if self._options.demo:
            title = self.tr("%1 — DÉMONSTRATION").replace("%1", title)
        return title

    def _connect(self) -> None:
        self.login_view.logged_in.connect(self._on_login_view_logged_in)
        self.lock_screen.unlocked.connect(self._on_lock_screen_unlocked)
        self.lock_screen.logout_requested.connect(self.logout)
        self.counter.pending_count_changed.connect(self.status_area.set_pending)
        self.counter.submit_finished.connect(self._on_counter_submit_finished)
        self.status_area.lock_button.clicked.connect(self.lock)
        self.status_area.logout_button.clicked.connect(self.logout)
        self.status_area.day_button.clicked.connect(self.show_day)
        self.idle.idle_timed_out.connect(self.lock)
        self.poll_timer.timeout.connect(self.poll)
        shortcuts = {"Ctrl+L": self.lock, "Ctrl+Shift+Q": self.logout, "Ctrl+J": self.show_day}
        for sequence, slot in shortcuts.items():
            QShortcut(QKeySequence(sequence), self).activated.connect(slot)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)

    # --- Session ----------------------------------------------------------------------

    def _show_login(self) -> None:
        self.officer = None
        self.idle.suspend()
        self.poll_timer.stop()
        self.status_area.set_officer(None)
        self.status_area.setVisible(False)
        self.pages.setCurrentWidget(self.login_view)
        self.login_view.reset()

    @Slot(object)
    def _on_login_view_logged_in(self, officer: OfficerInfo) -> None:
        logger.info("officer logged in")
        self.officer = officer
        self.status_area.set_officer(officer)
        self.status_area.setVisible(True)
        self.pages.setCurrentWidget(self.counter)
        self.counter.clear()
        self.idle.resume()
        self.poll_timer.start()
        self.poll()

    @Slot()
    def lock(self) -> None:
        if self.officer is None or self.is_locked():
            return
        logger.info("counter locked")
        self.counter.clear()
        self.idle.suspend()
        self.status_area.set_controls_enabled(False)
        self.pages.setCurrentWidget(self.lock_screen)
        self.lock_screen.lock(f"{self.officer.grade} {self.officer.name}")
        self.locked.emit()

    def is_locked(self) -> bool:
        return self.pages.currentWidget() is self.lock_screen

    @Slot()
    def _on_lock_screen_unlocked(self) -> None:
        self.status_area.set_controls_enabled(True)
        self.pages.setCurrentWidget(self.counter)
        self.counter.clear()
        self.idle.resume()

    @Slot()
    def logout(self) -> None:
        if self.officer is None:
            return
        logger.info("officer logging out")
        self.counter.clear()
        self._runner.run("logout", self._service.logout, self._on_logged_out, self._on_logged_out)
        self.status_area.set_controls_enabled(True)
        self._show_login()

    def _on_logged_out(self, _result: object) -> None:
        self.logged_out.emit()

    # --- Background: connectivity, outbox, day ----------------------------------------

    @Slot()
    def poll(self) -> None:
        """Checks the connection, then sends what waits in the outbox."""
        if self._runner.is_running("poll"):
            return
        self._runner.run("poll", self._poll_call, self._on_poll_succeeded, self._on_poll_failed)

    def _poll_call(self) -> tuple[bool, int]:
        # Runs on a worker: services only, no widget.
        online = self._service.check_online()
        if online:
            self._service.flush_outbox()
        return online, self._service.pending_count()

    def _on_poll_succeeded(self, result: tuple[bool, int]) -> None:
        online, pending = result
        self.status_area.set_online(online)
        self.status_area.set_pending(pending)

    def _on_poll_failed(self, error: BaseException) -> None:
        logger.info("poll failed: %s", messages.code_of(error))
        self.status_area.set_online(False)

    @Slot(object)
    def _on_counter_submit_finished(self, outcome: SubmitOutcome | None) -> None:
        if outcome is not None:
            self.status_area.set_pending(outcome.pending_count)

    @Slot()
    def show_day(self) -> None:
        if self.officer is None or self.is_locked():
            return
        self._runner.run("day", self._service.today, self._on_day_loaded, self._on_day_failed)

    def _on_day_loaded(self, items: list[DayItem]) -> None:
        self.day_model.set_items(items)
        dialog = DayDialog(self.day_model, self)
        dialog.open()

    def _on_day_failed(self, error: BaseException) -> None:
        self.counter.banner.show_message(
            BannerKind.FAILED, messages.title_for(error), messages.message_for(error)
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self.counter.clear()
        super().closeEvent(event)

"""The counter window: status area on top; login, counter or lock screen below.

Logged out it shows the login page; logged in, the counter, locked after `idle_lock`
seconds without input (personal data cleared and hidden, password to resume). Closing it
while decisions wait in the outbox asks first, and says they leave at the next start.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from desktop.services.ports import (
    CounterService,
    DayItem,
    OfflineAware,
    RefusedDecision,
    RetryAware,
    SubmitOutcome,
)
from desktop.ui import messages
from desktop.ui.banner import BannerKind
from desktop.ui.counter_view import CounterOptions, CounterView
from desktop.ui.day_view import DayDialog, DayModel
from desktop.ui.help_dialog import DEFAULT_CONTACT, HelpDialog
from desktop.ui.lock_screen import LockScreen
from desktop.ui.login_view import LoginView
from desktop.ui.receipt import AskPrint, ask_print, print_receipt, receipt_for
from desktop.ui.refused_view import RefusedDialog, RefusedTracker, read_refused
from desktop.ui.status_area import StatusArea
from desktop.ui.tasks import TaskRunner
from desktop.ui.timers import Clock, IdleWatcher
from procuration.models import VALIDATING_ROLES, OfficerInfo, Role

logger = logging.getLogger(__name__)


def ask_close_with_pending(parent: QWidget, pending: int) -> bool:
    """True if the officer confirms closing while `pending` decisions wait to be sent."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("MainWindow", "Fermer le guichet ?"))
    box.setText(
        QCoreApplication.translate(
            "MainWindow",
            "%1 décision(s) attendent encore d'être envoyées au serveur. Elles restent "
            "enregistrées sur ce PC et partiront au prochain démarrage du guichet, au plus "
            "tard à la prochaine connexion.",
        ).replace("%1", str(pending))
    )
    close = box.addButton(
        QCoreApplication.translate("MainWindow", "Fermer quand même"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    stay = box.addButton(
        QCoreApplication.translate("MainWindow", "Ne pas fermer"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(stay)  # Entrée keeps the window: closing is the deliberate choice
    box.setEscapeButton(stay)
    box.exec()
    return box.clickedButton() is close


@dataclass(frozen=True)
class WindowOptions:
    demo: bool = False
    idle_lock: float = 120.0  # settings.lock_after_s
    clock: Clock | None = None
    counter: CounterOptions = field(default_factory=CounterOptions)
    poll_interval_ms: int = 5_000  # connectivity check and outbox flush
    prefill_matricule: str = ""
    now: Callable[[], datetime] = datetime.now  # when a refusal reached this PC
    confirm_close: Callable[[QWidget, int], bool] = ask_close_with_pending
    ask_print: AskPrint = ask_print  # the print dialog for the voter's receipt
    help_contact: str = DEFAULT_CONTACT  # whom to call, as the F1 help says


PollResult = tuple[bool, int, list[SubmitOutcome], float | None, list[RefusedDecision] | None]


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
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(1000)
        self._retry_deadline: float | None = None
        self.day_model = DayModel(self)
        self.refusals = RefusedTracker(service, runner, self._options.now, self)
        self.refused_model = self.refusals.model
        self._decided: tuple[str, datetime] | None = None  # last decision: id, when
        self._help: HelpDialog | None = None
        self._connect()
        self.login_view.prefill(self._options.prefill_matricule)
        self._show_login()
        # Before anyone logs in too: decisions left in the outbox by the last session go
        # out with its token (`resume_delivery`), and their refusals must still be shown.
        self.poll_timer.start()
        self.poll()

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
        self.counter.receipt_requested.connect(self.print_receipt)
        self.status_area.lock_button.clicked.connect(self.lock)
        self.status_area.logout_button.clicked.connect(self.logout)
        self.status_area.day_button.clicked.connect(self.show_day)
        self.idle.idle_timed_out.connect(self.lock)
        self.poll_timer.timeout.connect(self.poll)
        self.retry_timer.timeout.connect(self._on_retry_timer_timeout)
        self.status_area.refused_button.clicked.connect(self.show_refused)
        self.refusals.count_changed.connect(self.status_area.set_refused)
        shortcuts = {"Ctrl+L": self.lock, "Ctrl+Shift+Q": self.logout, "Ctrl+J": self.show_day}
        for sequence, slot in shortcuts.items():
            QShortcut(QKeySequence(sequence), self).activated.connect(slot)
        # F1 on every page of the window: login, counter, lock.
        QShortcut(QKeySequence(Qt.Key.Key_F1), self).activated.connect(self.show_help)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)

    # --- Session ----------------------------------------------------------------------

    def _show_login(self) -> None:
        self.officer = None
        self.idle.suspend()
        self.status_area.set_officer(None)
        self.status_area.set_offline_session(False)
        self.status_area.setVisible(False)
        self.pages.setCurrentWidget(self.login_view)
        self.login_view.reset()

    @Slot(object)
    def _on_login_view_logged_in(self, officer: OfficerInfo) -> None:
        if officer.role not in VALIDATING_ROLES:
            self._refuse_counter(officer)
            return
        logger.info("officer logged in")
        self.officer = officer
        self.status_area.set_officer(officer)
        self.status_area.set_offline_session(self.offline_session())
        self.status_area.setVisible(True)
        self.pages.setCurrentWidget(self.counter)
        self.counter.clear()
        self.idle.resume()
        self.poll()

    def _refuse_counter(self, officer: OfficerInfo) -> None:
        """The counter is for OPJ and APJ only. A supervisor gets the journal window
        (the shell opens it); any other role is told and logged out."""
        self.login_view.reset()
        if officer.role is Role.SUPERVISOR:
            return
        logger.info("role %s may not use the counter", officer.role.value)
        self.end_session()
        self.login_view.banner.show_message(
            BannerKind.FAILED,
            self.tr("Connexion refusée"),
            self.tr("Ce compte ne permet pas de valider des procurations au guichet."),
        )

    def end_session(self) -> None:
        """Logs out on the server and forgets the session token, whoever is logged in."""
        self._runner.run("logout", self._service.logout, self._on_logged_out, self._on_logged_out)

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

    def offline_session(self) -> bool:
        """The session was opened offline (`ports.OfflineAware`): signed QR codes only."""
        service = self._service
        return isinstance(service, OfflineAware) and service.offline_session()

    def is_locked(self) -> bool:
        return self.pages.currentWidget() is self.lock_screen

    @Slot()
    def _on_lock_screen_unlocked(self) -> None:
        self.status_area.set_controls_enabled(True)
        self.status_area.set_offline_session(self.offline_session())
        self.pages.setCurrentWidget(self.counter)
        self.counter.clear()
        self.idle.resume()

    @Slot()
    def logout(self) -> None:
        if self.officer is None:
            return
        logger.info("officer logging out")
        self.counter.clear()
        self.end_session()
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

    def _poll_call(self) -> PollResult:
        # Runs on a worker: services only, no widget.
        online = self._service.check_online()
        outcomes = self._service.flush_outbox() if online else []
        service = self._service
        wait = service.seconds_until_retry() if isinstance(service, RetryAware) else None
        return online, self._service.pending_count(), outcomes, wait, read_refused(service)

    def _on_poll_succeeded(self, result: PollResult) -> None:
        online, pending, outcomes, wait, kept = result
        self.status_area.set_online(online)
        if self.officer is not None:
            self.status_area.set_offline_session(self.offline_session(), network_back=online)
        self.status_area.set_pending(pending)
        self.counter.show_deliveries(outcomes)
        self._show_refusals(outcomes)
        self.refusals.add_kept(kept)
        self._start_retry_countdown(wait)

    def _on_poll_failed(self, error: BaseException) -> None:
        logger.info("poll failed: %s", messages.code_of(error))
        self.status_area.set_online(False)

    # --- Refused decisions and Retry-After ------------------------------------------

    def _show_refusals(self, outcomes: list[SubmitOutcome]) -> None:
        """Adds definitive refusals to the list; tells the officer about new ones."""
        new = self.refusals.add_outcomes(outcomes)
        if new and self.pages.currentWidget() is self.counter:
            references = ", ".join(item.reference for item in new)
            if len(new) == 1:
                text = self.tr(
                    "Le serveur a refusé définitivement cette décision. "
                    "Voir « Envois refusés » pour le motif."
                )
            else:
                text = self.tr(
                    "Le serveur a refusé définitivement ces décisions. "
                    "Voir « Envois refusés » pour les motifs."
                )
            title = self.tr("Envoi refusé : %1").replace("%1", references)
            self.counter.banner.show_message(BannerKind.FAILED, title, text)

    def _start_retry_countdown(self, wait: float | None) -> None:
        if wait is None or wait <= 0:
            self._retry_deadline = None
            self.retry_timer.stop()
            self.status_area.set_retry_in(None)
            return
        self._retry_deadline = time.monotonic() + wait
        self._on_retry_timer_timeout()
        self.retry_timer.start()

    @Slot()
    def _on_retry_timer_timeout(self) -> None:
        left = None if self._retry_deadline is None else self._retry_deadline - time.monotonic()
        if left is None or left <= 0:
            self.retry_timer.stop()
            self.status_area.set_retry_in(None)
            self.poll()
            return
        self.status_area.set_retry_in(math.ceil(left))

    @Slot()
    def show_refused(self) -> RefusedDialog | None:
        if self.is_locked():
            return None
        return self.refusals.open_dialog(self)

    @Slot(object)
    def _on_counter_submit_finished(self, outcome: SubmitOutcome | None) -> None:
        if outcome is not None:
            at = self._options.now()
            self._decided = (outcome.validation_id, at if at.tzinfo else at.astimezone())
            self.status_area.set_pending(outcome.pending_count)
            # A refusal is already said in the counter's banner; listed to be seen again.
            self.refusals.add_outcomes([outcome])

    @Slot(object)
    def print_receipt(self, outcome: SubmitOutcome) -> bool:
        """The voter's receipt for the validation on screen: PDF, then the print dialog."""
        officer = self.officer
        if officer is None or self.is_locked():
            return False
        decided = self._decided
        at = decided[1] if decided and decided[0] == outcome.validation_id else None
        receipt = receipt_for(outcome, officer, at or self._options.now().astimezone())
        logger.info("receipt offered for %s", outcome.reference)
        return print_receipt(self, receipt, self._options.ask_print)

    @Slot()
    def show_help(self) -> HelpDialog:
        """One help window, kept: F1 again brings it forward."""
        if self._help is None:
            self._help = HelpDialog(self._options.help_contact, self)
        if self._help.isVisible():
            self._help.activateWindow()
        else:
            self._help.open()
        return self._help

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
        pending = self.status_area.pending
        if pending > 0 and not self._options.confirm_close(self, pending):
            logger.info("close cancelled: %d decision(s) waiting", pending)
            event.ignore()
            return
        # A closed window polls no more, and a poll still running must not land on it.
        self.poll_timer.stop()
        self.retry_timer.stop()
        self._runner.cancel("poll")
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self.counter.clear()
        super().closeEvent(event)

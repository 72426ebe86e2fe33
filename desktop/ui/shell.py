"""The client's top-level flow: enrol this PC if needed, then the counter window.

`desktop.app` builds the services and hands them here; this module only decides which
window is shown. An OPJ or APJ gets the counter; a supervisor gets the station's journal
in its own window (`SupervisorWindow`, built with the injected `review_factory`) and never
the counter. The demo enrols itself silently with the code of its demo.json.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWizard

from desktop.services.ports import CounterService, EnrolledServer
from desktop.ui import messages
from desktop.ui.enrolment import EnrolmentWizard
from desktop.ui.main_window import MainWindow, WindowOptions
from desktop.ui.tasks import TaskRunner
from procuration.models import OfficerInfo, Role

if TYPE_CHECKING:
    # The supervisor's window pulls in numpy and the report code: loaded at the first
    # supervisor login, not before every officer's login window (bench/client_latency.py).
    from desktop.ui.supervisor.view import ReviewService
    from desktop.ui.supervisor_window import SupervisorWindow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AutoEnrolment:
    """The demo's silent first run: enrol with this code, no wizard."""

    server: str
    code: str
    label: str = "Poste de démonstration"


@dataclass(frozen=True)
class ShellOptions:
    window: WindowOptions = field(default_factory=WindowOptions)
    server: str = ""
    ca_file: str = ""
    auto_enrolment: AutoEnrolment | None = None


# Builds the journal review for a supervisor who just logged in (desktop.app injects it).
ReviewFactory = Callable[[OfficerInfo], "ReviewService"]


class Shell(QObject):
    window_shown = Signal()
    wizard_shown = Signal()
    supervisor_requested = Signal(object)  # OfficerInfo of a supervisor who logged in
    quit_requested = Signal()

    def __init__(
        self,
        service: CounterService,
        runner: TaskRunner | None = None,
        options: ShellOptions | None = None,
        parent: QObject | None = None,
        *,
        review_factory: ReviewFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.runner = runner or TaskRunner(parent=self)
        self.options = options or ShellOptions()
        self.window: MainWindow | None = None
        self.wizard: EnrolmentWizard | None = None
        self.supervisor_window: SupervisorWindow | None = None
        self._review_factory = review_factory

    def start(self) -> None:
        self.runner.run(
            "enrolled?", self.service.is_enrolled, self._on_enrolment_known, self._on_start_failed
        )

    def _on_enrolment_known(self, enrolled: bool) -> None:
        auto = self.options.auto_enrolment
        if enrolled:
            self.show_window()
        elif auto is not None:
            self.runner.run(
                "auto-enrol",
                lambda: self.service.enroll(auto.server, None, auto.code, auto.label),
                self._on_auto_enrolled,
                self._on_auto_enrolment_failed,
            )
        else:
            self.show_wizard()

    def _on_auto_enrolled(self, _result: object) -> None:
        logger.info("demo PC enrolled")
        self.show_window()

    def _on_auto_enrolment_failed(self, error: BaseException) -> None:
        # The code may be spent (the demo was reset): the wizard lets a person go on.
        logger.warning("demo enrolment failed: %s", messages.code_of(error))
        self.show_wizard()

    def _on_start_failed(self, error: BaseException) -> None:
        QMessageBox.critical(None, self.tr("Guichet Maprocuration"), messages.message_for(error))
        self.quit_requested.emit()

    def show_wizard(self) -> None:
        self.wizard = EnrolmentWizard(
            self.service, self.runner, self.options.server, self.options.ca_file
        )
        self.wizard.finished.connect(self._on_wizard_finished)
        self.wizard.show()
        self.wizard_shown.emit()

    @Slot(int)
    def _on_wizard_finished(self, result: int) -> None:
        if result == QWizard.DialogCode.Accepted.value:
            self.show_window()
        else:
            self.quit_requested.emit()

    def show_window(self) -> None:
        self.window = MainWindow(self.service, self.runner, self.options.window)
        self.window.login_view.logged_in.connect(self._on_window_logged_in)
        self.window.login_view.enrolment_requested.connect(self.show_colleague_wizard)
        # A counter screen from the start, not the login form's size: otherwise the
        # window grows under the officer's eyes as the counter fills in.
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            free = screen.availableGeometry()
            self.window.resize(min(1280, free.width()), min(800, free.height()))
        self.window.show()
        self.window_shown.emit()

    @Slot(str)
    def show_colleague_wizard(self, matricule: str) -> None:
        """A shared PC: an officer enrols their own key here, from the login view. The
        server is the one this PC is enrolled to; cancelling returns to the login."""
        service = self.service
        known = service.enrolled_server() if isinstance(service, EnrolledServer) else None
        server, ca_file = known or (self.options.server, self.options.ca_file or None)
        self.wizard = EnrolmentWizard(
            service, self.runner, server, ca_file or "", self.window,
            owner=matricule, known_server=known is not None,
        )  # fmt: skip
        self.wizard.setModal(True)
        self.wizard.finished.connect(self._on_colleague_wizard_finished)
        self.wizard.show()
        self.wizard_shown.emit()

    @Slot(int)
    def _on_colleague_wizard_finished(self, result: int) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is None or self.window is None:
            return
        owner = wizard.code_page.owner.text().strip()
        wizard.deleteLater()
        if result == QWizard.DialogCode.Accepted.value:
            self.window.login_view.show_enrolled(owner)

    @Slot(object)
    def _on_window_logged_in(self, officer: OfficerInfo) -> None:
        if officer.role is Role.SUPERVISOR:
            self.supervisor_requested.emit(officer)
            self.show_supervisor(officer)

    def show_supervisor(self, officer: OfficerInfo) -> None:
        """The journal window in place of the counter window, for a supervisor only."""
        if self._review_factory is None or self.window is None:
            return
        try:
            review = self._review_factory(officer)
        except Exception as error:  # each failure becomes one sentence
            logger.error("supervisor view unavailable: %s", messages.code_of(error))
            self.window.end_session()
            QMessageBox.critical(self.window, self.tr("Supervision"), messages.message_for(error))
            return
        from desktop.ui.supervisor_window import SupervisorWindow

        self.window.hide()
        self.supervisor_window = SupervisorWindow(
            review, officer, self.runner, demo=self.options.window.demo
        )
        self.supervisor_window.logout_requested.connect(self._on_supervisor_logout_requested)
        self.supervisor_window.resize(self.window.size())
        self.supervisor_window.show_today()

    @Slot()
    def _on_supervisor_logout_requested(self) -> None:
        if self.supervisor_window is not None:
            self.supervisor_window.deleteLater()
            self.supervisor_window = None
        if self.window is not None:
            self.window.end_session()
            self.window.show()

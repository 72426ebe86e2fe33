"""The client's top-level flow: enrol this PC if needed, then the counter window.

`desktop.app` builds the services and hands them here; this module only decides which
window is shown. The supervisor view (desktop/ui/supervisor/) is another window the lead
opens from here for officers whose role is `supervisor` (see `supervisor_requested`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWizard

from desktop.services.ports import CounterService
from desktop.ui import messages
from desktop.ui.enrolment import EnrolmentWizard
from desktop.ui.main_window import MainWindow, WindowOptions
from desktop.ui.tasks import TaskRunner
from procuration.models import OfficerInfo, Role

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShellOptions:
    window: WindowOptions = field(default_factory=WindowOptions)
    server: str = ""
    ca_file: str = ""


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
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.runner = runner or TaskRunner(parent=self)
        self.options = options or ShellOptions()
        self.window: MainWindow | None = None
        self.wizard: EnrolmentWizard | None = None

    def start(self) -> None:
        self.runner.run(
            "enrolled?", self.service.is_enrolled, self._on_enrolment_known, self._on_start_failed
        )

    def _on_enrolment_known(self, enrolled: bool) -> None:
        if enrolled:
            self.show_window()
        else:
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
        self.window.show()
        self.window_shown.emit()

    @Slot(object)
    def _on_window_logged_in(self, officer: OfficerInfo) -> None:
        if officer.role is Role.SUPERVISOR:
            # Integration point: the lead connects this to the supervisor view.
            self.supervisor_requested.emit(officer)

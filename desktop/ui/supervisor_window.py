"""The supervisor's window: the station's journal (desktop/ui/supervisor/) on its own.

A supervisor never sees the counter: when one logs in, the shell hides the counter window
and opens this one; closing it (or "Se déconnecter") logs out and brings back the login.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from desktop.ui.style import scale_font
from desktop.ui.supervisor.view import ReviewService, SupervisorView
from desktop.ui.tasks import TaskRunner
from procuration.models import OfficerInfo


class SupervisorWindow(QMainWindow):
    logout_requested = Signal()

    def __init__(
        self,
        service: ReviewService,
        officer: OfficerInfo,
        runner: TaskRunner,
        *,
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        title = self.tr("Guichet Maprocuration — supervision")
        if demo:
            title = self.tr("%1 — DÉMONSTRATION").replace("%1", title)
        self.setWindowTitle(title)
        self.who = QLabel(f"{officer.grade} {officer.name}", self)
        scale_font(self.who, 1.1, bold=True)
        self.logout_button = QPushButton(self.tr("Se déconnecter (Ctrl+Maj+Q)"), self)
        self.logout_button.setAccessibleName(self.tr("Se déconnecter"))
        self.view = SupervisorView(service, officer.name, runner, self)
        header = QHBoxLayout()
        header.addWidget(self.who, 1)
        header.addWidget(self.logout_button)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        # Confirmations (an export written, with its path) stay in the status bar too.
        self.view.status_changed.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        self.logout_button.clicked.connect(self._on_logout_button_clicked)
        QShortcut(QKeySequence("Ctrl+Shift+Q"), self).activated.connect(
            self._on_logout_button_clicked
        )

    def show_today(self) -> None:
        self.show()
        self.view.load_day(self._service.today())

    @Slot()
    def _on_logout_button_clicked(self) -> None:
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.view.cancel_tasks()
        super().closeEvent(event)
        # Closing the window is leaving it: the session ends either way.
        self.logout_requested.emit()

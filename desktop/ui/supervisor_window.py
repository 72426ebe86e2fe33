"""The supervisor's window: the station's journal (desktop/ui/supervisor/) on its own.

A supervisor never sees the counter: when one logs in, the shell hides the counter window
and opens this one; closing it (or "Se déconnecter") logs out and brings back the login.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from desktop.ui.style import scale_font
from desktop.ui.supervisor.view import ReviewService, SupervisorView
from desktop.ui.tasks import TaskRunner
from procuration.models import OfficerInfo

REVIEW = "journal-review"


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
        self._runner = runner
        self._task_ids = itertools.count(1)
        self._task_keys: set[str] = set()
        title = self.tr("Guichet Maprocuration — supervision")
        if demo:
            title = self.tr("%1 — DÉMONSTRATION").replace("%1", title)
        self.setWindowTitle(title)
        self.who = QLabel(f"{officer.grade} {officer.name}", self)
        scale_font(self.who, 1.1, bold=True)
        self.logout_button = QPushButton(self.tr("Se déconnecter (Ctrl+Maj+Q)"), self)
        self.logout_button.setAccessibleName(self.tr("Se déconnecter"))
        self.view = SupervisorView(service, officer.name, self, run_task=self._run_review)
        header = QHBoxLayout()
        header.addWidget(self.who, 1)
        header.addWidget(self.logout_button)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.logout_button.clicked.connect(self._on_logout_button_clicked)
        QShortcut(QKeySequence("Ctrl+Shift+Q"), self).activated.connect(
            self._on_logout_button_clicked
        )

    def show_today(self) -> None:
        self.show()
        self.view.load_day(self._service.today())

    def _run_review(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[Exception], None],
    ) -> None:
        """The view's runner: each call its own key, since the view runs a download and
        then a verification, and drops stale answers itself."""
        key = f"{REVIEW}-{next(self._task_ids)}"
        self._task_keys.add(key)

        def on_success(result: Any) -> None:
            self._task_keys.discard(key)
            done(result)

        def on_error(error: BaseException) -> None:
            self._task_keys.discard(key)
            failed(error if isinstance(error, Exception) else RuntimeError(str(error)))

        self._runner.run(key, work, on_success, on_error)

    @Slot()
    def _on_logout_button_clicked(self) -> None:
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        for key in self._task_keys:
            self._runner.cancel(key)
        self._task_keys.clear()
        super().closeEvent(event)
        # Closing the window is leaving it: the session ends either way.
        self.logout_requested.emit()

"""The lock screen of a shared counter PC: no personal data, the officer's password to resume,
or another officer takes the counter (which logs the first one out)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.ports import CounterService
from desktop.ui import messages
from desktop.ui.style import icon, scale_font, set_property
from desktop.ui.tasks import TaskRunner

logger = logging.getLogger(__name__)

UNLOCK = "unlock"


class LockScreen(QFrame):
    unlocked = Signal()
    logout_requested = Signal()

    def __init__(
        self, service: CounterService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAccessibleName(self.tr("Poste verrouillé"))
        self._service = service
        self._runner = runner
        self.title = QLabel(self.tr("Poste verrouillé"), self)
        scale_font(self.title, 2.0, bold=True)
        self.who = QLabel(self)
        scale_font(self.who, 1.2)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mot de passe pour déverrouiller"))
        self.password.setPlaceholderText(self.tr("Mot de passe"))
        scale_font(self.password, 1.2)
        self.unlock_button = QPushButton(self.tr("Déverrouiller (Entrée)"), self)
        self.unlock_button.setAccessibleName(self.tr("Déverrouiller"))
        self.switch_button = QPushButton(self.tr("Changer d'agent (se déconnecter)"), self)
        self.switch_button.setAccessibleName(self.tr("Changer d'agent"))
        self.problem = QLabel(self)
        self.problem.setProperty("role", "hint")
        self.problem.setWordWrap(True)
        scale_font(self.problem, 1.1)
        self._build()
        self.password.returnPressed.connect(self._on_unlock_button_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.switch_button.clicked.connect(self.logout_requested)

    def _build(self) -> None:
        lock = QLabel(self)
        side = self.title.fontMetrics().height() * 2
        lock.setPixmap(icon("lock").pixmap(QSize(side, side)))
        explanation = QLabel(
            self.tr("Les données personnelles sont masquées. Saisissez votre mot de passe."), self
        )
        explanation.setWordWrap(True)
        explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        entry = QHBoxLayout()
        entry.addWidget(self.password, 1)
        entry.addWidget(self.unlock_button)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(lock, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.who, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(explanation)
        column.addLayout(entry)
        column.addWidget(self.problem)
        column.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 2)
        outer.addStretch(1)

    def lock(self, officer_label: str) -> None:
        self.who.setText(self.tr("Session de %1").replace("%1", officer_label))
        self.password.clear()
        self.problem.clear()
        set_property(self.problem, "invalid", False)
        self._set_busy(False)
        self.password.setFocus()

    @Slot()
    def _on_unlock_button_clicked(self) -> None:
        password = self.password.text()
        if not password or self._runner.is_running(UNLOCK):
            return
        self._set_busy(True)
        self._runner.run(
            UNLOCK,
            lambda: self._service.unlock(password),
            self._on_unlock_succeeded,
            self._on_unlock_failed,
        )

    def _on_unlock_succeeded(self, _result: object) -> None:
        self._set_busy(False)
        self.password.clear()
        self.unlocked.emit()

    def _on_unlock_failed(self, error: BaseException) -> None:
        logger.info("unlock refused: %s", messages.code_of(error))
        self._set_busy(False)
        self.password.clear()
        self.problem.setText(messages.message_for(error, during="unlock"))
        set_property(self.problem, "invalid", True)
        self.password.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.password.setReadOnly(busy)
        self.unlock_button.setEnabled(not busy)

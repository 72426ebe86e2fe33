"""Login: matricule + password; the service signs the server's challenge with the device key."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.services.ports import CounterService
from desktop.ui import messages
from desktop.ui.banner import Banner, BannerKind
from desktop.ui.login_card import lay_out_login
from desktop.ui.style import scale_font, set_property
from desktop.ui.tasks import TaskRunner
from procuration.models import OfficerInfo

logger = logging.getLogger(__name__)

LOGIN = "login"


class LoginView(QWidget):
    logged_in = Signal(object)  # OfficerInfo
    # A shared PC: an officer with no key here yet enrols it for themself (matricule typed).
    enrolment_requested = Signal(str)

    def __init__(
        self, service: CounterService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self.matricule = QLineEdit(self)
        self.matricule.setAccessibleName(self.tr("Matricule"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mot de passe"))
        self.submit_button = QPushButton(self.tr("Se connecter (Entrée)"), self)
        self.submit_button.setAccessibleName(self.tr("Se connecter"))
        set_property(self.submit_button, "primary", True)
        self.enrol_button = QPushButton(self.tr("Enrôler ce poste pour moi…"), self)
        self.enrol_button.setAccessibleName(self.tr("Enrôler ce poste pour moi"))
        self.banner = Banner(self)
        self._build()
        self.matricule.returnPressed.connect(self._on_matricule_return_pressed)
        self.password.returnPressed.connect(self._on_submit_button_clicked)
        self.submit_button.clicked.connect(self._on_submit_button_clicked)
        self.enrol_button.clicked.connect(self._on_enrol_button_clicked)
        self.matricule.textChanged.connect(self._on_field_text_changed)
        self.password.textChanged.connect(self._on_field_text_changed)
        self._update_enabled()

    def _build(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.enrol_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        scale_font(self.submit_button, 1.2)
        lay_out_login(self, self.matricule, self.password, self.banner, buttons)

    def prefill(self, matricule: str) -> None:
        self.matricule.setText(matricule)

    def reset(self) -> None:
        """Ready for the next officer: password cleared, focus where typing starts."""
        self._runner.cancel(LOGIN)
        self.password.clear()
        self.banner.clear()
        self._set_busy(False)
        (self.password if self.matricule.text() else self.matricule).setFocus()

    def show_enrolled(self, matricule: str) -> None:
        """After a colleague's enrolment on this PC: their matricule, ready for the password."""
        if matricule:
            self.matricule.setText(matricule)
        self.reset()
        self.banner.show_message(
            BannerKind.TRANSMITTED,
            self.tr("Poste enrôlé pour vous"),
            self.tr("Connectez-vous avec votre mot de passe."),
        )

    @Slot()
    def _on_enrol_button_clicked(self) -> None:
        self.enrolment_requested.emit(self.matricule.text().strip())

    @Slot()
    def _on_matricule_return_pressed(self) -> None:
        self.password.setFocus()

    @Slot(str)
    def _on_field_text_changed(self, _text: str) -> None:
        self._update_enabled()

    def _update_enabled(self) -> None:
        ready = bool(self.matricule.text().strip() and self.password.text())
        self.submit_button.setEnabled(ready and not self._runner.is_running(LOGIN))

    @Slot()
    def _on_submit_button_clicked(self) -> None:
        matricule = self.matricule.text().strip()
        password = self.password.text()
        if not (matricule and password) or self._runner.is_running(LOGIN):
            return
        self._set_busy(True)
        self.banner.show_message(BannerKind.INFO, self.tr("Connexion…"))
        self._runner.run(
            LOGIN,
            lambda: self._service.login(matricule, password),
            self._on_login_succeeded,
            self._on_login_failed,
        )
        self._update_enabled()

    def _on_login_succeeded(self, officer: OfficerInfo) -> None:
        self._set_busy(False)
        self.password.clear()
        self.banner.clear()
        self.logged_in.emit(officer)

    def _on_login_failed(self, error: BaseException) -> None:
        logger.info("login refused: %s", messages.code_of(error))
        self._set_busy(False)
        self.password.clear()
        self.banner.show_message(
            BannerKind.FAILED,
            self.tr("Connexion refusée"),
            messages.message_for(error, during="login"),
        )
        self.password.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.matricule.setReadOnly(busy)
        self.password.setReadOnly(busy)
        self._update_enabled()

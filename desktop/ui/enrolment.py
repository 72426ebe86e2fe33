"""First run: enrol this PC with the server (address, CA file, single-use code).

The service generates the device key and stores it in the OS vault; when no vault is
usable it refuses, and the last page says why (fail closed, never a plaintext fallback).
"""

from __future__ import annotations

import logging
import socket
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.services.ports import CounterService
from desktop.ui import messages
from desktop.ui.banner import Banner, BannerKind
from desktop.ui.tasks import TaskRunner
from procuration.loopback import is_loopback_host

logger = logging.getLogger(__name__)

ENROL = "enrol"


def _tr(text: str) -> str:
    return QCoreApplication.translate("enrolment", text)


def server_problem(url: str, ca_file: str) -> str | None:
    """Why `url` (with `ca_file`) cannot be used, in French, or None when it can."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return _tr("Saisissez une adresse complète, par exemple https://serveur.")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        return _tr("Une adresse en http:// n'est permise que sur ce PC : utilisez https.")
    if parts.scheme == "https" and not ca_file.strip():
        return _tr("Choisissez le fichier de l'autorité de certification du serveur.")
    return None


class ServerPage(QWizardPage):
    def __init__(self, server: str, ca_file: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Serveur"))
        self.setSubTitle(self.tr("L'adresse du serveur vous est donnée par le support."))
        self.server = QLineEdit(server, self)
        self.server.setAccessibleName(self.tr("Adresse du serveur"))
        self.ca_file = QLineEdit(ca_file, self)
        self.ca_file.setAccessibleName(self.tr("Fichier de l'autorité de certification"))
        self.browse = QPushButton(self.tr("Parcourir…"), self)
        self.browse.setAccessibleName(self.tr("Choisir le fichier de l'autorité"))
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setProperty("role", "hint")
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.browse)
        form = QFormLayout(self)
        form.addRow(self._buddy(self.tr("&Adresse"), self.server), self.server)
        form.addRow(self._buddy(self.tr("&Certificat (https)"), self.ca_file), ca_row)
        form.addRow(self.problem)
        self.server.textChanged.connect(self._on_field_text_changed)
        self.ca_file.textChanged.connect(self._on_field_text_changed)
        self.browse.clicked.connect(self._on_browse_clicked)
        self._on_field_text_changed("")

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return server_problem(self.server.text(), self.ca_file.text()) is None

    @Slot(str)
    def _on_field_text_changed(self, _text: str) -> None:
        self.problem.setText(server_problem(self.server.text(), self.ca_file.text()) or "")
        self.completeChanged.emit()

    @Slot()
    def _on_browse_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Autorité de certification"), "", self.tr("Certificats (*.pem *.crt)")
        )
        if path:
            self.ca_file.setText(path)


class CodePage(QWizardPage):
    def __init__(self, owner: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Code d'enrôlement"))
        self.setSubTitle(
            self.tr(
                "Le code est à usage unique et personnel ; il vous est remis par le support. "
                "Sur un poste partagé, chaque agent enrôle le poste une fois pour lui-même."
            )
        )
        self.owner = QLineEdit(owner, self)
        self.owner.setAccessibleName(self.tr("Votre matricule"))
        self.code = QLineEdit(self)
        self.code.setAccessibleName(self.tr("Code d'enrôlement"))
        self.label = QLineEdit(socket.gethostname(), self)
        self.label.setAccessibleName(self.tr("Nom de ce poste"))
        form = QFormLayout(self)
        owner_label = QLabel(self.tr("Votre &matricule"), self)
        owner_label.setBuddy(self.owner)
        form.addRow(owner_label, self.owner)
        code_label = QLabel(self.tr("C&ode"), self)
        code_label.setBuddy(self.code)
        name_label = QLabel(self.tr("&Nom du poste"), self)
        name_label.setBuddy(self.label)
        form.addRow(code_label, self.code)
        form.addRow(name_label, self.label)
        self.code.textChanged.connect(self.completeChanged)
        self.label.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        # The matricule is optional (learnt at the first login otherwise), but once typed
        # the PC knows whose key it is and can tell a colleague to enrol too.
        return bool(self.code.text().strip() and self.label.text().strip())


class EnrolPage(QWizardPage):
    """Runs the enrolment when shown; complete only once the server accepted it."""

    def __init__(self, wizard: EnrolmentWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self._done = False
        self.setTitle(self.tr("Enrôlement"))
        self.banner = Banner(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        self._done = False
        self.banner.show_message(BannerKind.INFO, self.tr("Enrôlement en cours…"))
        self._wizard.start_enrolment()

    def cleanupPage(self) -> None:  # noqa: N802 (Qt API)
        self._wizard.runner.cancel(ENROL)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return self._done

    def succeed(self) -> None:
        self._done = True
        self.banner.show_message(
            BannerKind.TRANSMITTED,
            self.tr("Poste enrôlé"),
            self.tr("La clé de ce poste est dans le coffre-fort du système. Terminez."),
        )
        self.completeChanged.emit()

    def fail(self, error: BaseException) -> None:
        self.banner.show_message(
            BannerKind.FAILED, self.tr("Enrôlement refusé"), messages.message_for(error)
        )
        self.completeChanged.emit()


class EnrolmentWizard(QWizard):
    def __init__(
        self,
        service: CounterService,
        runner: TaskRunner,
        server: str = "",
        ca_file: str = "",
        parent: QWidget | None = None,
        *,
        owner: str = "",
        known_server: bool = False,
    ) -> None:
        """`known_server`: a colleague enrols a PC already enrolled to `server`, so the
        server page is skipped and only their own code is asked."""
        super().__init__(parent)
        self.service = service
        self.runner = runner
        self.setWindowTitle(self.tr("Guichet Maprocuration — enrôlement du poste"))
        # Not a page when the server is known: unparented, so never drawn in the wizard.
        self.server_page = ServerPage(server, ca_file, None if known_server else self)
        self.code_page = CodePage(owner, self)
        self.enrol_page = EnrolPage(self)
        pages = (self.code_page, self.enrol_page)
        for page in pages if known_server else (self.server_page, *pages):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Suivant (Entrée)"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("Précédent"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Terminer"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Annuler"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)

    def start_enrolment(self) -> None:
        server = self.server_page.server.text().strip()
        ca_file = self.server_page.ca_file.text().strip() or None
        code = self.code_page.code.text().strip()
        label = self.code_page.label.text().strip()
        owner = self.code_page.owner.text().strip() or None
        self.runner.run(
            ENROL,
            lambda: self.service.enroll(server, ca_file, code, label, owner=owner),
            self._on_enrol_succeeded,
            self._on_enrol_failed,
        )

    def _on_enrol_succeeded(self, _result: object) -> None:
        logger.info("device enrolled")
        self.enrol_page.succeed()

    def _on_enrol_failed(self, error: BaseException) -> None:
        logger.info("enrolment refused: %s", messages.code_of(error))
        self.enrol_page.fail(error)

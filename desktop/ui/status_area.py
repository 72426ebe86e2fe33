"""The window's status area: who is at the counter, online or not, what waits to be sent."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import formatting
from desktop.ui.style import icon, scale_font
from procuration.models import OfficerInfo


class StatusArea(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusArea")
        self.setAccessibleName(self.tr("Zone d'état"))
        self.officer = self._label(self.tr("Agent connecté"), bold=True, factor=1.15)
        self.details = self._label(self.tr("Unité et habilitation"))
        # An offline session (desktop/services/offline.py): a word, not only a colour.
        self.offline_session = self._label(self.tr("Session hors ligne"), bold=True)
        self.offline_session.setObjectName("offlineSession")
        self.offline_session.setWordWrap(True)
        self.offline_session.setVisible(False)
        self.connectivity_icon = QLabel(self)
        self.connectivity = self._label(self.tr("État de la connexion"), bold=True)
        self.outbox_icon = QLabel(self)
        self.outbox_icon.setPixmap(icon("outbox").pixmap(self._icon_size()))
        self.outbox = self._label(self.tr("Décisions en attente d'envoi"))
        self.retry = self._label(self.tr("Prochain essai d'envoi"))
        self.refused_button = QPushButton(self)
        self.refused_button.setIcon(icon("failed"))
        self.refused_button.setAccessibleName(self.tr("Afficher les envois refusés"))
        self.refused_button.setProperty("danger", True)
        self.day_button = QPushButton(self.tr("Ma journée (Ctrl+J)"), self)
        self.day_button.setAccessibleName(self.tr("Afficher mes décisions du jour"))
        self.lock_button = QPushButton(self.tr("Verrouiller (Ctrl+L)"), self)
        self.lock_button.setAccessibleName(self.tr("Verrouiller le poste"))
        self.logout_button = QPushButton(self.tr("Se déconnecter (Ctrl+Maj+Q)"), self)
        self.logout_button.setAccessibleName(self.tr("Se déconnecter"))
        # The details wrap and the states stack, so that the whole area fits a 1024-pixel
        # counter screen with every button's shortcut still written on it.
        self.details.setWordWrap(True)
        who = QVBoxLayout()
        who.addWidget(self.officer)
        who.addWidget(self.details)
        who.addWidget(self.offline_session)
        states = QGridLayout()
        states.setHorizontalSpacing(self.fontMetrics().averageCharWidth())
        states.setVerticalSpacing(2)
        states.addWidget(self.connectivity_icon, 0, 0)
        states.addWidget(self.connectivity, 0, 1)
        states.addWidget(self.outbox_icon, 1, 0)
        states.addWidget(self.outbox, 1, 1)
        states.addWidget(self.retry, 2, 0, 1, 2)
        states.addWidget(self.refused_button, 3, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout(self)
        row.addLayout(who, 1)
        row.addLayout(states)
        row.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        for button in (self.day_button, self.lock_button, self.logout_button):
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.set_online(None)
        self.set_pending(0)
        self.set_retry_in(None)
        self.set_refused(0)

    def _label(self, accessible: str, *, bold: bool = False, factor: float = 1.0) -> QLabel:
        label = QLabel(self)
        label.setAccessibleName(accessible)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        scale_font(label, factor, bold=bold)
        return label

    def _icon_size(self) -> QSize:
        side = self.fontMetrics().height()
        return QSize(side, side)

    def set_officer(self, officer: OfficerInfo | None) -> None:
        if officer is None:
            self.officer.clear()
            self.details.clear()
            return
        self.officer.setText(f"{officer.grade} {officer.name}")
        parts = [self.tr("Unité %1").replace("%1", officer.station or "—")]
        if officer.habilitation_until:
            parts.append(
                self.tr("habilité(e) jusqu'au %1").replace(
                    "%1", formatting.day(officer.habilitation_until)
                )
            )
        self.details.setText(" · ".join(parts))

    def set_online(self, online: bool | None) -> None:
        """None while not yet known. Always a word beside the icon, never colour alone."""
        if online is None:
            word, name = self.tr("Connexion…"), "offline"
        elif online:
            word, name = self.tr("En ligne"), "online"
        else:
            word, name = self.tr("Hors ligne"), "offline"
        self.connectivity.setText(word)
        self.connectivity_icon.setPixmap(icon(name).pixmap(self._icon_size()))

    def set_offline_session(self, offline: bool, *, network_back: bool = False) -> None:
        """Shown for the whole of a session opened offline; once the server answers again,
        says how to turn it into an online one (the device key stays the proof)."""
        self.offline_session.setVisible(offline)
        if network_back:
            text = self.tr(
                "Session hors ligne : le réseau est revenu, verrouillez (Ctrl+L) puis "
                "déverrouillez pour repasser en ligne."
            )
        else:
            text = self.tr("Session hors ligne : seuls les codes QR signés peuvent être validés.")
        self.offline_session.setText(text)

    def set_pending(self, count: int) -> None:
        self.pending = count  # the last known count: closing the window asks if above 0
        self.outbox.setText(self.tr("En attente d'envoi : %1").replace("%1", str(count)))

    def set_retry_in(self, seconds: int | None) -> None:
        """The server asked to wait (Retry-After): a countdown, hidden otherwise."""
        self.retry.setVisible(seconds is not None and seconds > 0)
        if seconds:
            self.retry.setText(self.tr("Serveur saturé : nouvel essai dans %1 s").replace(
                "%1", str(seconds)))  # fmt: skip

    def set_refused(self, count: int) -> None:
        self.refused_button.setText(self.tr("Envois refusés : %1").replace("%1", str(count)))
        self.refused_button.setVisible(count > 0)

    def set_controls_enabled(self, enabled: bool) -> None:
        """Off while locked: the lock screen offers the only ways out."""
        for button in (self.day_button, self.lock_button, self.logout_button, self.refused_button):
            button.setEnabled(enabled)

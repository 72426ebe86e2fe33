"""The login card, laid out once for the two forms that show it: the early form painted
before the services are imported (desktop/ui/early_login.py) and the real one
(desktop/ui/login_view.py). Qt and our style only, so that the early form stays light."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.style import scale_font


def _tr(text: str) -> str:
    # One translation context for both forms: the real form's (guichet_fr.ts).
    return QCoreApplication.translate("LoginView", text)


def lay_out_login(
    page: QWidget, matricule: QLineEdit, password: QLineEdit, notice: QWidget, buttons: QLayout
) -> None:
    """The card (title, subtitle, the two fields, `notice`, `buttons`) centred on `page`.

    Stretches rather than an alignment flag: an aligned item loses height-for-width, and a
    wrapped sentence in `notice` would be clipped."""
    card = QFrame(page)
    card.setObjectName("panel")
    title = QLabel(_tr("Guichet des procurations"), card)
    title.setProperty("role", "title")
    scale_font(title, 1.6, bold=True)
    subtitle = QLabel(_tr("Connectez-vous avec votre matricule d'officier."), card)
    subtitle.setWordWrap(True)
    form = QFormLayout()
    matricule_label = QLabel(_tr("&Matricule"), card)
    matricule_label.setBuddy(matricule)
    password_label = QLabel(_tr("Mot de &passe"), card)
    password_label.setBuddy(password)
    form.addRow(matricule_label, matricule)
    form.addRow(password_label, password)
    inner = QVBoxLayout(card)
    inner.addWidget(title)
    inner.addWidget(subtitle)
    inner.addLayout(form)
    inner.addWidget(notice)
    inner.addLayout(buttons)
    card.setFixedWidth(page.fontMetrics().averageCharWidth() * 72)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card)
    row.addStretch(1)
    outer = QVBoxLayout(page)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    for field in (matricule, password):
        scale_font(field, 1.2)

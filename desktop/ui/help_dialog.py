"""F1: what a tired officer needs on one screen — the keys, the offline rules, whom to call."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

# Who answers is the unit's own arrangement: the setting overrides this sentence.
DEFAULT_CONTACT = QCoreApplication.translate(
    "help",
    "Votre chef de poste ; pour une panne du poste ou du réseau, l'assistance informatique "
    "de votre unité (numéro affiché au guichet).",
)

KEYS = (
    ("Entrée", "Rechercher la référence tapée ou lue par la douchette"),
    ("Ctrl+Entrée", "Valider, une fois la pièce choisie et les trois cases cochées"),
    ("Ctrl+R", "Refuser (le motif est demandé)"),
    ("1 à 4", "Dans la fenêtre de refus : choisir le motif"),
    ("F2", "Allumer ou éteindre la caméra"),
    ("Ctrl+P", "Imprimer le récépissé de la procuration validée"),
    ("Ctrl+J", "Ma journée : mes décisions du jour, avec recherche"),
    ("Échap", "Effacer l'écran (ou fermer la fenêtre ouverte)"),
    ("Ctrl+L", "Verrouiller le poste"),
    ("F1", "Cette aide"),
)

OFFLINE_RULES = (
    "Sans réseau, seul le code QR signé de la demande peut être lu : une référence tapée "
    "ne peut pas être vérifiée.",
    "Une procuration validée hors ligne est signée et enregistrée sur ce poste ; elle part "
    "d'elle-même au retour du réseau. Ne la validez pas une seconde fois.",
    "La connexion hors ligne n'est possible que si vous vous êtes connecté en ligne sur ce "
    "poste dans les 72 dernières heures.",
    "Ne fermez pas le guichet tant que des décisions sont « en attente d'envoi » si vous "
    "pouvez l'éviter : elles partiront au prochain démarrage.",
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("help", text)


def help_html(contact: str) -> str:
    esc = html.escape
    keys = "".join(
        f"<tr><td><b>{esc(_tr(key))}</b></td><td>{esc(_tr(what))}</td></tr>" for key, what in KEYS
    )
    rules = "".join(f"<li>{esc(_tr(rule))}</li>" for rule in OFFLINE_RULES)
    return (
        f"<h3>{esc(_tr('Raccourcis clavier'))}</h3>"
        f'<table cellpadding="3">{keys}</table>'
        f"<h3>{esc(_tr('Sans réseau (hors ligne)'))}</h3><ul>{rules}</ul>"
        f"<h3>{esc(_tr('Qui appeler'))}</h3><p>{esc(contact)}</p>"
    )


class HelpDialog(QDialog):
    def __init__(self, contact: str = DEFAULT_CONTACT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Aide du guichet (F1)"))
        self.setAccessibleName(self.tr("Aide du guichet"))
        self.text = QTextBrowser(self)
        self.text.setAccessibleName(self.tr("Raccourcis, règles hors ligne et contacts"))
        self.text.setHtml(help_html(contact))
        self.text.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Fermer (Échap)"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        # Everything at once, no scrolling, down to a 1024x768 counter screen.
        metrics = self.fontMetrics()
        height = metrics.height() * 40
        screen = self.screen()
        if screen is not None:
            height = min(height, screen.availableGeometry().height() - 60)
        self.resize(metrics.averageCharWidth() * 96, height)

    def plain_text(self) -> str:
        return self.text.toPlainText()

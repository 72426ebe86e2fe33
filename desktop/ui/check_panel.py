"""The ID-check panel: document type, the three checks, Valider and Refuser.

Valider is enabled only when the three checks are ticked (Ctrl+Entrée before that says
which check is missing); Refuser asks for a reason from the fixed list. The panel emits
requests; the counter view runs them.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import formatting
from desktop.ui.refusal_dialog import ReasonPicker, Refusal, RefusalDialog, ask_refusal_reason
from desktop.ui.style import scale_font, set_property
from procuration.models import DocumentType, IdDocumentCheck

__all__ = ["CheckPanel", "ReasonPicker", "Refusal", "RefusalDialog", "ask_refusal_reason"]


class CheckPanel(QFrame):
    validate_requested = Signal(object)  # IdDocumentCheck
    refuse_requested = Signal(object, object)  # DocumentType, Refusal

    def __init__(
        self, pick_reason: ReasonPicker = ask_refusal_reason, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.setAccessibleName(self.tr("Contrôle de la pièce d'identité"))
        self._pick_reason = pick_reason
        title = QLabel(self.tr("Contrôle de la pièce d'identité"), self)
        title.setProperty("role", "title")
        scale_font(title, 1.2, bold=True)
        self.document = QComboBox(self)
        for document in DocumentType:
            self.document.addItem(formatting.document_word(document), document)
        self.document.setAccessibleName(self.tr("Type de pièce présentée"))
        scale_font(self.document, 1.15)
        document_label = QLabel(self.tr("&Pièce présentée"), self)
        document_label.setBuddy(self.document)
        self.name_matches = self._checkbox(self.tr("&Nom et prénoms concordent"))
        self.birth_date_matches = self._checkbox(self.tr("&Date de naissance concorde"))
        self.photo_matches = self._checkbox(self.tr("La p&hoto correspond"))
        self.missing = QLabel(self)
        self.missing.setProperty("role", "hint")
        self.missing.setWordWrap(True)
        self.missing.setAccessibleName(self.tr("Contrôle manquant"))
        scale_font(self.missing, 1.1)
        self.validate_button = self._button_validate()
        self.refuse_button = self._button_refuse()
        buttons = QHBoxLayout()
        buttons.addWidget(self.refuse_button)
        buttons.addStretch(1)
        buttons.addWidget(self.validate_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(document_label)
        layout.addWidget(self.document)
        for box in self.checkboxes():
            layout.addWidget(box)
        layout.addWidget(self.missing)  # under the boxes it names, where the eyes are
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._shortcuts()
        self.set_active(False)

    def _checkbox(self, text: str) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setAccessibleName(text.replace("&", ""))
        scale_font(box, 1.2)
        box.toggled.connect(self._on_checkbox_toggled)
        return box

    def _button_validate(self) -> QPushButton:
        button = QPushButton(self.tr("Valider (Ctrl+Entrée)"), self)
        button.setAccessibleName(self.tr("Valider la procuration"))
        set_property(button, "primary", True)
        scale_font(button, 1.2, bold=True)
        button.clicked.connect(self._on_validate_button_clicked)
        return button

    def _button_refuse(self) -> QPushButton:
        button = QPushButton(self.tr("Refuser… (Ctrl+R)"), self)
        button.setAccessibleName(self.tr("Refuser la procuration"))
        set_property(button, "danger", True)
        scale_font(button, 1.1)
        button.clicked.connect(self._on_refuse_button_clicked)
        return button

    def _shortcuts(self) -> None:
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.activated.connect(self._on_validate_button_clicked)
        refuse = QShortcut(QKeySequence("Ctrl+R"), self)
        refuse.activated.connect(self._on_refuse_button_clicked)

    def checkboxes(self) -> tuple[QCheckBox, QCheckBox, QCheckBox]:
        return (self.name_matches, self.birth_date_matches, self.photo_matches)

    def check(self) -> IdDocumentCheck:
        return IdDocumentCheck(
            type=DocumentType(self.document.currentData()),
            name_matches=self.name_matches.isChecked(),
            birth_date_matches=self.birth_date_matches.isChecked(),
            photo_matches=self.photo_matches.isChecked(),
        )

    def set_active(self, active: bool) -> None:
        """Active while an identity waiting for validation is shown; resets when inactive."""
        self._active = active
        self._show_missing("")
        if not active:
            for box in self.checkboxes():
                box.setChecked(False)
            self.document.setCurrentIndex(0)
        for widget in (self.document, *self.checkboxes(), self.refuse_button):
            widget.setEnabled(active)
        self._update_validate()

    def _update_validate(self) -> None:
        self.validate_button.setEnabled(self._active and self.check().all_match)

    @Slot(bool)
    def _on_checkbox_toggled(self, _checked: bool) -> None:
        self._update_validate()
        if self.missing.text():
            self._show_missing(self.missing_sentence())

    @Slot()
    def _on_validate_button_clicked(self) -> None:
        if self.validate_button.isEnabled():
            self.validate_requested.emit(self.check())
        elif self._active:
            # Ctrl+Entrée too early: say which box, rather than nothing at all.
            self._show_missing(self.missing_sentence())

    def missing_sentence(self) -> str:
        """One sentence naming the unticked checks; empty when all are ticked."""
        names = [f"« {box.text().replace('&', '')} »" for box in self.checkboxes()
                 if not box.isChecked()]  # fmt: skip
        if not names:
            return ""
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
        return self.tr("Cochez %1 avant de valider, ou refusez (Ctrl+R).").replace("%1", listed)

    def _show_missing(self, text: str) -> None:
        self.missing.setText(text)
        self.missing.setVisible(bool(text))
        set_property(self.missing, "invalid", bool(text))

    @Slot()
    def _on_refuse_button_clicked(self) -> None:
        if not self.refuse_button.isEnabled():
            return
        refusal = self._pick_reason(self)
        if refusal is not None:
            self.refuse_requested.emit(DocumentType(self.document.currentData()), refusal)

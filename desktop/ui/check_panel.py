"""The ID-check panel: document type, the three checks, Valider and Refuser.

Valider is enabled only when the three checks are ticked; Refuser asks for a reason from
the fixed list. The panel emits requests; the counter view runs them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import formatting
from desktop.ui.style import scale_font, set_property
from procuration.models import DocumentType, IdDocumentCheck, RefusalReason

ReasonPicker = Callable[[QWidget], RefusalReason | None]


class RefusalDialog(QDialog):
    """Asks for the reason of a refusal, from the fixed list; nothing is typed freely."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Refuser la procuration"))
        self.setAccessibleName(self.tr("Motif du refus"))
        layout = QVBoxLayout(self)
        question = QLabel(self.tr("Pourquoi refusez-vous cette procuration ?"), self)
        scale_font(question, 1.15, bold=True)
        layout.addWidget(question)
        self.choices: dict[RefusalReason, QRadioButton] = {}
        for index, reason in enumerate(RefusalReason, start=1):
            text = f"&{index}  {formatting.refusal_word(reason)}"
            button = QRadioButton(text, self)
            button.setAccessibleName(formatting.refusal_word(reason))
            scale_font(button, 1.1)
            layout.addWidget(button)
            self.choices[reason] = button
        self.buttons = QDialogButtonBox(self)
        self._confirm = self.buttons.addButton(
            self.tr("Refuser"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self._confirm.setAccessibleName(self.tr("Confirmer le refus"))
        set_property(self._confirm, "danger", True)
        cancel = self.buttons.addButton(
            self.tr("Annuler (Échap)"), QDialogButtonBox.ButtonRole.RejectRole
        )
        cancel.setAccessibleName(self.tr("Annuler le refus"))
        self._confirm.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for button in self.choices.values():
            button.toggled.connect(self._on_choice_toggled)
        layout.addWidget(self.buttons)

    def reason(self) -> RefusalReason | None:
        for reason, button in self.choices.items():
            if button.isChecked():
                return reason
        return None

    @Slot(bool)
    def _on_choice_toggled(self, _checked: bool) -> None:
        self._confirm.setEnabled(self.reason() is not None)


def ask_refusal_reason(parent: QWidget) -> RefusalReason | None:
    dialog = RefusalDialog(parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.reason() if accepted else None


class CheckPanel(QFrame):
    validate_requested = Signal(object)  # IdDocumentCheck
    refuse_requested = Signal(object, object)  # DocumentType, RefusalReason

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

    @Slot()
    def _on_validate_button_clicked(self) -> None:
        if self.validate_button.isEnabled():
            self.validate_requested.emit(self.check())

    @Slot()
    def _on_refuse_button_clicked(self) -> None:
        if not self.refuse_button.isEnabled():
            return
        reason = self._pick_reason(self)
        if reason is not None:
            self.refuse_requested.emit(DocumentType(self.document.currentData()), reason)

"""The ID-check panel: document type, the three checks, Valider and Refuser.

Valider is enabled only when the three checks are ticked (Ctrl+Entrée before that says
which check is missing); Refuser asks for a reason from the fixed list. The panel emits
requests; the counter view runs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import formatting
from desktop.ui.style import scale_font, set_property
from procuration.models import DocumentType, IdDocumentCheck, RefusalReason

NOTE_MAX = 200  # a few words for the officer's own record, not a report


@dataclass(frozen=True)
class Refusal:
    """The officer's choice: a reason from the fixed list, and for "Autre motif" their own
    words, kept on this PC (the signed payload has no field for them: docs/decisions.md)."""

    reason: RefusalReason
    note: str = ""


ReasonPicker = Callable[[QWidget], Refusal | None]

_DIGITS = {
    Qt.Key.Key_1: 0, Qt.Key.Key_2: 1, Qt.Key.Key_3: 2, Qt.Key.Key_4: 3,
}  # fmt: skip


class RefusalDialog(QDialog):
    """Asks for the reason of a refusal, from the fixed list; 1 to 4 pick one. "Autre
    motif" needs a few words. Entrée activates the button with the focus ring, so it never
    refuses from "Annuler"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Refuser la procuration"))
        self.setAccessibleName(self.tr("Motif du refus"))
        layout = QVBoxLayout(self)
        question = QLabel(self.tr("Pourquoi refusez-vous cette procuration ? (touches 1 à 4)"), self)
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
        self.note = self._note_field()
        layout.addWidget(self.note)
        self.note_hint = QLabel(
            self.tr("Précision obligatoire pour « Autre motif » : gardée sur ce PC, non transmise."),
            self,
        )
        self.note_hint.setProperty("role", "hint")
        self.note_hint.setWordWrap(True)
        layout.addWidget(self.note_hint)
        layout.addWidget(self._buttons())
        for button in self.choices.values():
            button.toggled.connect(self._on_choice_toggled)
        self.note.textChanged.connect(self._on_note_text_changed)
        self._update()

    def _note_field(self) -> QLineEdit:
        note = QLineEdit(self)
        note.setMaxLength(NOTE_MAX)
        note.setPlaceholderText(self.tr("Précisez le motif (quelques mots, sans nom)"))
        note.setAccessibleName(self.tr("Précision du motif « Autre motif »"))
        scale_font(note, 1.1)
        return note

    def _buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(self)
        self._confirm = self.buttons.addButton(
            self.tr("Refuser"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self._confirm.setAccessibleName(self.tr("Confirmer le refus"))
        set_property(self._confirm, "danger", True)
        self.cancel_button = self.buttons.addButton(
            self.tr("Annuler (Échap)"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setAccessibleName(self.tr("Annuler le refus"))
        # No button is the dialog's default: Entrée goes to the focused button only (a
        # radio button or the note field passes it to "Refuser" through keyPressEvent).
        for button in (self._confirm, self.cancel_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    def reason(self) -> RefusalReason | None:
        for reason, button in self.choices.items():
            if button.isChecked():
                return reason
        return None

    def refusal(self) -> Refusal | None:
        reason = self.reason()
        if reason is None:
            return None
        return Refusal(reason, self.note.text().strip() if reason is RefusalReason.OTHER else "")

    def is_complete(self) -> bool:
        reason = self.reason()
        return reason is not None and (
            reason is not RefusalReason.OTHER or bool(self.note.text().strip())
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = Qt.Key(event.key())
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier,
        )  # fmt: skip
        if plain and key in _DIGITS:
            self._pick(list(self.choices)[_DIGITS[key]])
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if isinstance(focused, QPushButton):
                focused.click()
            elif self.is_complete():
                self.accept()
            return
        super().keyPressEvent(event)

    def _pick(self, reason: RefusalReason) -> None:
        button = self.choices[reason]
        button.setChecked(True)
        (self.note if reason is RefusalReason.OTHER else button).setFocus()

    def accept(self) -> None:
        if self.is_complete():
            super().accept()

    @Slot(bool)
    def _on_choice_toggled(self, _checked: bool) -> None:
        self._update()
        if self.reason() is RefusalReason.OTHER and self.choices[RefusalReason.OTHER].hasFocus():
            self.note.setFocus()

    @Slot(str)
    def _on_note_text_changed(self, _text: str) -> None:
        self._update()

    def _update(self) -> None:
        other = self.reason() is RefusalReason.OTHER
        self.note.setEnabled(other)
        set_property(self.note_hint, "invalid", other and not self.note.text().strip())
        self._confirm.setEnabled(self.is_complete())


def ask_refusal_reason(parent: QWidget) -> Refusal | None:
    dialog = RefusalDialog(parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.refusal() if accepted else None


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
        layout.addStretch(1)
        layout.addWidget(self.missing)
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

"""The refusal dialog: a reason from the fixed list, 1 to 4 to pick it, and for "Autre
motif" a few words the officer must type, kept on this PC only (docs/decisions.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import formatting
from desktop.ui.style import scale_font, set_property
from procuration.models import RefusalReason

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
        question = QLabel(
            self.tr("Pourquoi refusez-vous cette procuration ? (touches 1 à 4)"), self
        )
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
            self.tr(
                "Précision obligatoire pour « Autre motif » : gardée sur ce PC, non transmise."
            ),
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

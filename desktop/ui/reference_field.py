"""The reference field: normalizes a typed reference as the officer types, and accepts a
whole scanned payload (`MPR1:` + JWS, or a URL) typed by a USB 2D scanner in the same field.

A scanner types fast and ends with Enter, like a person. Once the text holds a `:` it is a
payload: from then on it is kept exactly as typed (a JWS is case-sensitive and uses `-`,
`_` and `.`, which the reference normalization would destroy). The characters before the
`:` ("MPR1", "https") come out of the normalization unchanged, up to case.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.ui.style import scale_font
from procuration import reference

MAX_INPUT = 4096  # the largest QR payload the core accepts; never truncate at 6


def is_payload(text: str) -> bool:
    return ":" in text


class ReferenceField(QLineEdit):
    """Emits `submitted(text)` on Enter with the normalized reference or the raw payload."""

    submitted = Signal(str)
    hint_changed = Signal(str, bool)  # sentence, whether it reports a problem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(MAX_INPUT)
        self.setPlaceholderText(self.tr("Référence ou code QR"))
        self.setAccessibleName(self.tr("Référence de la demande"))
        self.setAccessibleDescription(
            self.tr("Six caractères, ou le code QR lu par la douchette. Entrée pour rechercher.")
        )
        scale_font(self, 2.0, bold=True)
        self.textEdited.connect(self._on_self_text_edited)
        self.returnPressed.connect(self._on_self_return_pressed)

    def value(self) -> str:
        text = self.text()
        return text.strip() if is_payload(text) else reference.normalize(text)

    def hint(self) -> tuple[str, bool]:
        """What the field says under it: progress, a complete reference, or a problem."""
        text = self.text()
        if not text:
            return "", False
        if is_payload(text):
            return self.tr("Code QR lu : Entrée pour le vérifier."), False
        value = reference.normalize(text)
        bad = reference.invalid_characters(value)
        if bad:
            return (
                self.tr("« %1 » ne figure dans aucune référence.").replace("%1", " ".join(bad)),
                True,
            )
        if len(value) > reference.LENGTH:
            return self.tr("Trop long : une référence a 6 caractères."), True
        if len(value) < reference.LENGTH:
            return self.tr("%1 caractère(s) sur 6").replace("%1", str(len(value))), False
        return self.tr("Référence complète : Entrée pour rechercher."), False

    @Slot(str)
    def _on_self_text_edited(self, text: str) -> None:
        if not is_payload(text):
            normalized = reference.normalize(text)
            if normalized != text:
                cursor = self.cursorPosition()
                before = reference.normalize(text[:cursor])
                self.setText(normalized)
                self.setCursorPosition(len(before))
        message, invalid = self.hint()
        self.hint_changed.emit(message, invalid)

    @Slot()
    def _on_self_return_pressed(self) -> None:
        self.submitted.emit(self.value())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        # No copy of what the field holds: a scanned payload carries personal data.
        if event.matches(QKeySequence.StandardKey.Copy) or event.matches(
            QKeySequence.StandardKey.Cut
        ):
            event.ignore()
            return
        super().keyPressEvent(event)

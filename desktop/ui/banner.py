"""A message banner: a word, an icon and a colour, never the colour alone."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.style import icon, scale_font, set_property


class BannerKind(StrEnum):
    TRANSMITTED = "transmitted"
    PENDING = "pending"
    FAILED = "failed"
    WARNING = "warning"
    INFO = "info"


_ICONS = {
    BannerKind.TRANSMITTED: "transmitted",
    BannerKind.PENDING: "pending",
    BannerKind.FAILED: "failed",
    BannerKind.WARNING: "warning",
    BannerKind.INFO: "info",
}


class Banner(QFrame):
    """Hidden until `show_message`; `title` is the word ("Transmise"), `text` the sentence.

    `show_action` adds one button after a message (e.g. "Récépissé (Ctrl+P)"); any new
    message or `clear` removes it, so it never outlives what it is about."""

    action_triggered = Signal()

    def __init__(self, parent: QWidget | None = None, *, large: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.kind: BannerKind | None = None
        self._icon = QLabel(self)
        self._title = QLabel(self)
        self._text = QLabel(self)
        self._text.setWordWrap(True)
        self._title.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        scale_font(self._title, 1.6 if large else 1.15, bold=True)
        scale_font(self._text, 1.15 if large else 1.0)
        size = self._title.fontMetrics().height() * (2 if large else 1)
        self._icon_size = QSize(size, size)
        words = QVBoxLayout()
        words.addWidget(self._title)
        words.addWidget(self._text)
        row = QHBoxLayout(self)
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        self.action_button = QPushButton(self)
        self.action_button.setAccessibleName(self.tr("Action proposée par le message"))
        self.action_button.hide()
        self.action_button.clicked.connect(self.action_triggered)
        row.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setAccessibleName(self.tr("Message"))
        self.hide()

    @property
    def title(self) -> str:
        return self._title.text()

    @property
    def text(self) -> str:
        return self._text.text()

    def show_message(self, kind: BannerKind, title: str, text: str = "") -> None:
        self.kind = kind
        set_property(self, "kind", kind.value)
        self._icon.setPixmap(icon(_ICONS[kind]).pixmap(self._icon_size))
        self._title.setText(title)
        self._text.setText(text)
        self._text.setVisible(bool(text))
        self.setAccessibleName(self.tr("Message"))
        self.setAccessibleDescription(f"{title}. {text}" if text else title)
        self.action_button.hide()
        self.show()

    def show_action(self, text: str, accessible_name: str) -> None:
        self.action_button.setText(text)
        self.action_button.setAccessibleName(accessible_name)
        self.action_button.show()

    def clear(self) -> None:
        self.kind = None
        self._title.clear()
        self._text.clear()
        self.action_button.hide()
        self.hide()

"""A message banner: a word, an icon and a colour, never the colour alone."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

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
    """Hidden until `show_message`; `title` is the word ("Transmise"), `text` the sentence."""

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
        self.show()

    def clear(self) -> None:
        self.kind = None
        self._title.clear()
        self._text.clear()
        self.hide()

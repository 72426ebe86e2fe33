"""Icons, the style sheet and font scaling, in one place.

Font sizes are always relative to the application font (which follows the system's font
size), never fixed pixels: an officer who enlarges the system font gets a larger counter.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QWidget

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@cache
def icon(name: str) -> QIcon:
    """The SVG icon `name` from desktop/resources/icons (e.g. "transmitted")."""
    return QIcon(str(RESOURCES / "icons" / f"{name}.svg"))


def style_sheet() -> str:
    return (RESOURCES / "guichet.qss").read_text(encoding="utf-8")


def apply_style(app: QApplication) -> None:
    app.setStyleSheet(style_sheet())
    app.setWindowIcon(icon("app"))


def scale_font(widget: QWidget, factor: float, *, bold: bool = False) -> None:
    """Makes `widget`'s font `factor` times the application font, in points."""
    font = QFont(QApplication.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    font.setBold(bold)
    widget.setFont(font)


def set_property(widget: QWidget, name: str, value: object) -> None:
    """Sets a dynamic property the style sheet selects on, and re-applies the style."""
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)

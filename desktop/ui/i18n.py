"""Translation helpers shared by the modules that hold tables of visible strings."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6 import QtCore

# PySide6 types QT_TRANSLATE_NOOP as returning `object`; it returns its text unchanged.
# The name is kept so that pyside6-lupdate still finds the strings.
QT_TRANSLATE_NOOP = cast(Callable[[str, str], str], QtCore.QT_TRANSLATE_NOOP)

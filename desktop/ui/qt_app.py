"""The QApplication as every start makes it: named, styled, in French.

Light on purpose (Qt and `desktop.ui.style` only): `desktop.startup` makes it before the
services are imported, so that the login form is painted first.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.ui.style import RESOURCES, apply_style

logger = logging.getLogger("desktop")
APP_NAME = "Guichet Maprocuration"


def start_application(arguments: Sequence[str]) -> QApplication:
    """The QApplication (Qt's own options in `arguments` pass through), named, styled
    and in French."""
    app = QApplication([sys.argv[0], *arguments])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    install_translations(app)
    apply_style(app)
    return app


def install_translations(app: QApplication) -> None:
    """Qt's own dialogs and buttons in French, and the UI's catalogue (French at source:
    the .qm documents the strings and is where another language would plug in).

    The default locale is French too: Qt's calendar, date edits and number formats follow
    the locale, not the translators, and a PC installed in English would show them so."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    qt_translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_translator.load(QLocale(QLocale.Language.French), "qtbase", "_", path):
        app.installTranslator(qt_translator)
    else:
        logger.warning("Qt's French translations not found; its dialogs may show in English")
    ui_translator = QTranslator(app)
    if ui_translator.load("guichet_fr", str(RESOURCES / "translations")):
        app.installTranslator(ui_translator)
    else:
        logger.warning("UI translations not found; the source strings are shown")

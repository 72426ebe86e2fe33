"""Composition root: settings → logging → Qt → the real services → the UI.

Nothing else builds services. Tests and the screenshot driver build the UI with fakes
instead (`desktop.ui.shell.Shell` takes any `CounterService`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.services.counter import Counter
from desktop.services.errors import ClientError
from desktop.services.logging_setup import setup_logging
from desktop.services.settings import Settings, load_settings
from desktop.ui import messages
from desktop.ui.counter_view import CounterOptions
from desktop.ui.main_window import WindowOptions
from desktop.ui.shell import Shell, ShellOptions
from desktop.ui.style import apply_style
from desktop.ui.tasks import TaskRunner

logger = logging.getLogger("desktop")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _on_qt_message(kind: QtMsgType, _context: QMessageLogContext, text: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", text)


def _ui_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The UI's own options; the services' settings parse the rest (parse_known_args)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--matricule", default="", help="pre-filled login (demo)")
    return parser.parse_known_args(list(argv))[0]


def _options(settings: Settings, demo: bool, matricule: str) -> ShellOptions:
    window = WindowOptions(
        demo=demo,
        idle_lock=float(settings.lock_after_s),
        counter=CounterOptions(clear_after=float(settings.clear_after_s)),
        prefill_matricule=matricule,
    )
    return ShellOptions(
        window=window,
        server=settings.server or "",
        ca_file=str(settings.ca_file) if settings.ca_file else "",
    )


def _install_translations(app: QApplication) -> None:
    """French for Qt's own dialogs and buttons (the UI's strings are French at source)."""
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.French), "qtbase", "_", path):
        app.installTranslator(translator)


def _fail_early(app: QApplication, error: ClientError) -> int:
    logger.error("cannot start: %s", error.code)
    QMessageBox.critical(None, "Guichet Maprocuration", messages.message_for(error))
    app.quit()
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        settings = load_settings(arguments)
    except ClientError as error:
        # Before Qt: one line on the terminal, no traceback.
        print(f"guichet : {error}", file=sys.stderr)
        return 2
    setup_logging(settings.paths().ensure(), settings.log_level)
    qInstallMessageHandler(_on_qt_message)
    app = QApplication([sys.argv[0], *arguments])
    app.setApplicationName("Guichet Maprocuration")
    _install_translations(app)
    apply_style(app)
    messages.install_excepthook(app.activeWindow)
    try:
        service = Counter.from_settings(settings)
    except ClientError as error:
        return _fail_early(app, error)
    runner = TaskRunner(parent=app)
    options = _options(
        settings, settings.demo or service.is_demo, _ui_arguments(arguments).matricule
    )
    shell = Shell(service, runner, options, parent=app)
    shell.quit_requested.connect(app.quit)
    # Integration point (supervisor view, desktop/ui/supervisor/): the lead connects
    # `shell.supervisor_requested(officer)` to opening that window.
    # Integration point (scanner, desktop/ui/scanner_widget.py): once the window exists,
    # `shell.window.counter.set_scanner_widget(widget)` and connect the widget's
    # "code read" signal to `shell.window.counter.submit_text`.
    shell.start()
    logger.info("client started")
    code = app.exec()
    runner.wait_for_done()
    service.close()
    return code


if __name__ == "__main__":
    sys.exit(main())

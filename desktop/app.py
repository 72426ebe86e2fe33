"""Composition root: settings → logging → Qt → the real services → the UI.

Nothing else builds services. Tests and the screenshot driver build the UI with fakes
instead (`desktop.ui.shell.Shell` takes any `CounterService`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.services.api_client import ApiClient, ServerConfig, Timeouts
from desktop.services.clock import SystemClock
from desktop.services.counter import Counter
from desktop.services.credentials import Vault
from desktop.services.demo_counter import DemoCounter
from desktop.services.device import DeviceStore
from desktop.services.errors import ClientError, NotEnrolledError, SessionExpiredError
from desktop.services.logging_setup import setup_logging
from desktop.services.officer_names import known_names
from desktop.services.settings import DemoConfig, Settings, load_demo, load_settings
from desktop.services.trust import TrustStore
from desktop.ui import messages
from desktop.ui.counter_view import CounterOptions
from desktop.ui.early_login import EarlyLoginWindow
from desktop.ui.journal_api import JournalApiAdapter
from desktop.ui.main_window import WindowOptions
from desktop.ui.qt_app import start_application
from desktop.ui.shell import AutoEnrolment, Shell, ShellOptions
from desktop.ui.tasks import TaskRunner
from procuration.models import OfficerInfo

if TYPE_CHECKING:  # a supervisor's review is imported at the first supervisor login
    from desktop.services.journal_review import JournalReviewService

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
    parser.add_argument("--self-check", action="store_true", help="check this PC and exit")
    return parser.parse_known_args(list(argv))[0]


def _options(
    settings: Settings, demo: bool, matricule: str, demo_config: DemoConfig | None
) -> ShellOptions:
    auto = None
    if demo_config is not None:
        officer = demo_config.counter_officer()
        matricule = matricule or (officer.matricule if officer else "")
        server = settings.server or demo_config.server_url
        auto = AutoEnrolment(server=server, code=demo_config.enrolment_code)
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
        auto_enrolment=auto,
    )


def _self_check(settings: Settings) -> int:
    try:
        from desktop.selfcheck import run_self_check
    except ImportError:
        print("guichet : l'auto-vérification n'est pas disponible dans cette version.",
              file=sys.stderr)  # fmt: skip
        return 2
    return run_self_check(settings)


def _counter(settings: Settings, vault: Vault, demo_config: DemoConfig | None) -> Counter:
    """The real counter; in demo mode, the demo's (each demo officer's first login enrols
    their key with their code from demo.json: desktop/services/demo_counter.py)."""
    if settings.demo and demo_config is not None:
        codes = demo_config.codes_by_matricule()
        return DemoCounter.from_settings(settings, vault, enrolment_codes=codes)
    return Counter.from_settings(settings, vault)


def _review_factory(
    settings: Settings, vault: Vault
) -> Callable[[OfficerInfo], JournalReviewService]:
    """Builds a supervisor's journal review over the session the login just opened."""
    paths = settings.paths()
    timeouts = Timeouts(connect=settings.connect_timeout_s, read=settings.read_timeout_s)

    def build(officer: OfficerInfo) -> JournalReviewService:
        from desktop.services.journal_review import JournalReviewService

        record = DeviceStore(paths.device_file).load()
        if record is None:
            raise NotEnrolledError("this PC is not enrolled")
        if not officer.station:
            raise SessionExpiredError("the supervisor has no station")
        tokens = [vault.load_session(kid) for kid in record.kids_for(officer.matricule)]
        token = next((t for t in tokens if t), None)
        if token is None:
            raise SessionExpiredError("no session for the supervisor")
        api = ApiClient(ServerConfig(record.server_url, record.ca_file), timeouts=timeouts)
        api.set_token(token)
        trust = TrustStore(paths.trust_file, SystemClock())
        enrolled = [e.matricule for e in record.enrolments]
        return JournalReviewService(
            JournalApiAdapter(api, trust),
            paths.data_dir,
            officer.station,
            names=known_names(vault, enrolled, officer),
        )

    return build


def _fail_early(app: QApplication, error: ClientError) -> int:
    logger.error("cannot start: %s", error.code)
    QMessageBox.critical(None, "Guichet Maprocuration", messages.message_for(error))
    app.quit()
    return 2


def _attach_scanner(shell: Shell, settings: Settings) -> None:
    """Embeds the webcam scanner in the counter (see desktop.ui.scanner_setup)."""
    if shell.window is None:
        return
    from desktop.ui.scanner_setup import attach_scanner

    attach_scanner(shell.window.counter, settings.camera)


def main(
    argv: Sequence[str] | None = None,
    *,
    early: EarlyLoginWindow | None = None,
    qt_app: QApplication | None = None,
) -> int:
    """Builds and runs the client. `desktop.startup` passes the QApplication it made and
    the login form it already shows, which then hands over to the real window."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    ui_arguments = _ui_arguments(arguments)
    try:
        settings = load_settings(arguments)
        demo_config = load_demo(settings.demo_file) if settings.demo_file else None
    except ClientError as error:
        # Before Qt: one line on the terminal, no traceback.
        print(f"guichet : {error}", file=sys.stderr)
        return 2
    if ui_arguments.self_check:
        return _self_check(settings)
    setup_logging(settings.paths().ensure(), settings.log_level)
    qInstallMessageHandler(_on_qt_message)
    app = qt_app or start_application(arguments)
    messages.install_excepthook(app.activeWindow)
    try:
        vault = Vault.open(demo=settings.demo, demo_file=settings.paths().demo_vault_file)
        service = _counter(settings, vault, demo_config)
    except ClientError as error:
        return _fail_early(app, error)
    runner = TaskRunner(parent=app)
    demo = settings.demo or service.is_demo
    options = _options(settings, demo, ui_arguments.matricule, demo_config)
    shell = Shell(
        service, runner, options, parent=app, review_factory=_review_factory(settings, vault)
    )
    shell.quit_requested.connect(app.quit)
    shell.window_shown.connect(lambda: _attach_scanner(shell, settings))
    if early is not None:
        early.follow(shell)
    # Decisions left in the outbox by the last run go out before anyone logs in again.
    if service.resume_delivery():
        logger.info("delivery resumed with the last session")
    shell.start()
    logger.info("client started")
    code = app.exec()
    runner.wait_for_done()
    service.close()
    return code


if __name__ == "__main__":
    sys.exit(main())

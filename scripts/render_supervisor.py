"""Renders the supervisor's view on a generated demo day into docs/screenshots/.

Run under a display server, from the repository root:
`xvfb-run -a .venv/bin/python -m scripts.render_supervisor`.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from desktop.services.anomalies import AnomalyRules
from desktop.services.journal_review import (
    PARIS,
    DayDownload,
    IntegrityReport,
    JournalReviewService,
)
from desktop.ui.qt_app import install_translations
from desktop.ui.supervisor import SupervisorView
from desktop.ui.supervisor.rules_dialog import RulesDialog
from desktop.ui.supervisor_window import SupervisorWindow
from desktop.ui.tasks import TaskRunner
from procuration.models import OfficerInfo, Role
from tests.support.fake_journal import FakeJournalApi

DAY = date(2026, 11, 28)
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
# What the supervisor's PC knows of its officers (desktop/services/officer_names.py).
NAMES = {"OPJ-1000": "Lt Durand", "OPJ-1001": "Adj Petit", "OPJ-1002": "Bc Morel"}
CHIEF = OfficerInfo(
    matricule="OPJ-0001",
    name="Martin",
    grade="Cne",
    role=Role.SUPERVISOR,
    station="PN-75-001",
    habilitation_until=None,
)


class _HeldVerification(JournalReviewService):
    """Verifies only once released: the view as it looks while the chain is checked."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.release = threading.Event()

    def verify_download(self, download: DayDownload) -> IntegrityReport:
        self.release.wait(30)
        return super().verify_download(download)


def _view(
    service: JournalReviewService, runner: TaskRunner, *, verify: bool = True
) -> SupervisorView:
    """The view on the demo day, once verified (or, without `verify`, once the table shows)."""
    service.today = lambda: DAY  # type: ignore[method-assign]
    view = SupervisorView(service, "Cne Martin (chef de poste)", runner)
    view.resize(1440, 900)
    view.show()
    loop = QEventLoop()
    (view.integrity_checked if verify else view.review_loaded).connect(lambda *_: loop.quit())
    view.load_day(DAY)
    loop.exec()
    return view


def _small_window(service: JournalReviewService, runner: TaskRunner) -> SupervisorWindow:
    """The supervisor's whole window on a 1024x768 screen."""
    service.today = lambda: DAY  # type: ignore[method-assign]
    window = SupervisorWindow(service, CHIEF, runner)
    window.resize(1024, 768)
    window.show()
    loop = QEventLoop()
    window.view.integrity_checked.connect(lambda *_: loop.quit())
    window.view.load_day(DAY)
    loop.exec()
    return window


def main() -> int:
    app = QApplication(sys.argv)
    install_translations(app)
    runner = TaskRunner(parent=app)
    api = FakeJournalApi("PN-75-001", Ed25519PrivateKey.generate(), PARIS)
    api.append_day(DAY, size=420, seed=3)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        view = _view(JournalReviewService(api, data_dir, api.station, names=NAMES), runner)
        app.processEvents()
        view.grab().save(str(OUT / "supervisor.png"))
        small = _small_window(JournalReviewService(api, data_dir, api.station, names=NAMES), runner)
        app.processEvents()
        (OUT / "1024x768").mkdir(exist_ok=True)
        small.grab().save(str(OUT / "1024x768" / "supervisor.png"))
        small.hide()
        view.anomalies_only.setChecked(True)
        app.processEvents()
        view.grab().save(str(OUT / "supervisor-anomalies.png"))
        held = _HeldVerification(api, data_dir, api.station)
        pending = _view(held, runner, verify=False)
        app.processEvents()
        pending.grab().save(str(OUT / "supervisor-verifying.png"))
        held.release.set()
        runner.wait_for_done()
        dialog = RulesDialog(AnomalyRules(), view)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(OUT / "supervisor-thresholds.png"))
        api.entries[120] = {**api.entries[120], "reference": "ZZZZZZ"}
        tampered = _view(JournalReviewService(api, data_dir, api.station), runner)
        app.processEvents()
        tampered.grab().save(str(OUT / "supervisor-integrity-failed.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

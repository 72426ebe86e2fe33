"""Renders the supervisor's view on a generated demo day into docs/screenshots/.

Run under a display server, from the repository root:
`xvfb-run -a .venv/bin/python -m scripts.render_supervisor`.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtWidgets import QApplication

from desktop.services.anomalies import AnomalyRules
from desktop.services.journal_review import PARIS, JournalReviewService
from desktop.ui.supervisor import SupervisorView
from desktop.ui.supervisor.rules_dialog import RulesDialog
from tests.support.fake_journal import FakeJournalApi

DAY = date(2026, 11, 28)
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def _view(api: FakeJournalApi, data_dir: Path, *, verify: bool = True) -> SupervisorView:
    """The view on the demo day; without `verify`, as it looks while the chain is checked."""
    service = JournalReviewService(api, data_dir, api.station)
    service.today = lambda: DAY  # type: ignore[method-assign]
    calls = 0

    def first_task_only(work: Any, done: Any, failed: Any) -> None:
        nonlocal calls
        calls += 1
        if verify or calls == 1:
            done(work())

    view = SupervisorView(service, "Cne Martin (chef de poste)", run_task=first_task_only)
    view.resize(1440, 900)
    view.show()
    view.load_day(DAY)
    return view


def main() -> int:
    app = QApplication(sys.argv)
    api = FakeJournalApi("PN-75-001", Ed25519PrivateKey.generate(), PARIS)
    api.append_day(DAY, size=420, seed=3)
    with tempfile.TemporaryDirectory() as data_dir:
        view = _view(api, Path(data_dir))
        app.processEvents()
        view.grab().save(str(OUT / "supervisor.png"))
        view.anomalies_only.setChecked(True)
        app.processEvents()
        view.grab().save(str(OUT / "supervisor-anomalies.png"))
        pending = _view(api, Path(data_dir), verify=False)
        app.processEvents()
        pending.grab().save(str(OUT / "supervisor-verifying.png"))
        dialog = RulesDialog(AnomalyRules(), view)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(OUT / "supervisor-thresholds.png"))
        api.entries[120] = {**api.entries[120], "reference": "ZZZZZZ"}
        tampered = _view(api, Path(data_dir))
        app.processEvents()
        tampered.grab().save(str(OUT / "supervisor-integrity-failed.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

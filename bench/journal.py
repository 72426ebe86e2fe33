"""Supervisor journal benchmark: a generated day of 100,000 entries, and 1,000,000 to verify.

QT_QPA_PLATFORM=offscreen .venv/bin/python bench/journal.py [--skip-million]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtWidgets import QApplication

from desktop.services.journal_fake import FakeJournalApi, generate_day
from desktop.services.journal_review import PARIS, JournalReviewService
from desktop.ui.supervisor import SupervisorView
from desktop.ui.supervisor.model import JournalFilter
from procuration.journal import verify_chain

DAY = date(2026, 11, 28)


def timed(label: str, target: float | None, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - start
    goal = f" (target ≤ {target:g} s)" if target is not None else ""
    print(f"{label:<44} {elapsed:8.3f} s{goal}")
    return result


def main() -> int:
    app = QApplication(sys.argv)
    api = FakeJournalApi("PN-75-001", Ed25519PrivateKey.generate(), PARIS)
    timed("generate 100,000 sealed entries", None, lambda: api.append_day(DAY, size=100_000))
    print(f"entries: {len(api.entries)}")
    timed("verify the chain (100k)", None, lambda: verify_chain(api.entries))
    with tempfile.TemporaryDirectory() as data_dir:
        service = JournalReviewService(api, Path(data_dir), api.station)
        view = SupervisorView(service, "bench")
        view.resize(1440, 900)
        view.show()

        def ready() -> None:
            view.load_day(DAY)
            app.processEvents()

        timed("view ready after download (verify+fill+show)", 1.0, ready)
        timed(
            "filter: one officer",
            0.1,
            lambda: view.proxy.set_filter(JournalFilter(officer="OPJ-1003")),
        )
        timed(
            "search: reference part",
            0.1,
            lambda: view.proxy.set_filter(JournalFilter(reference="K7")),
        )
        timed("clear filter", 0.1, lambda: view.proxy.set_filter(JournalFilter()))
        timed(
            "sort by reference",
            None,
            lambda: view.table.sortByColumn(3, view.table.horizontalHeader().sortIndicatorOrder()),
        )
        timed("export CSV (100k)", 1.0, lambda: view.export_csv(Path(data_dir) / "j.csv"))
        timed("export PDF (100k)", None, lambda: view.export_pdf(Path(data_dir) / "j.pdf"))
    if "--skip-million" not in sys.argv:
        million = timed(
            "generate 1,000,000 entries",
            None,
            lambda: generate_day(DAY, PARIS, size=1_000_000, with_anomalies=False),
        )
        timed(f"verify the chain ({len(million):,})", 3.0, lambda: verify_chain(million))
    return 0


if __name__ == "__main__":
    sys.exit(main())

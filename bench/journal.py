"""Supervisor journal benchmark: a generated day of 100,000 entries, and 1,000,000 to verify.

QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.journal [--skip-million]
    [--baseline OTHER_CHECKOUT/procuration/journal.py] [--repeat N]

Each figure is wall-clock time, with this process's CPU time in brackets: on a shared
machine the difference is time spent waiting for a core. The first line times a fixed
piece of work (json.dumps of one entry) so that figures from different machines compare.

`--baseline` loads another version of `procuration/journal.py` (e.g. the previous
commit's, from a second checkout) and times its `verify_chain` on the same entries,
alternating with this one's `--repeat` times (best of each shown): a comparison that the
machine's load at the time of the run cannot bias.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import orjson

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from desktop.services.journal_review import PARIS, JournalReviewService
from desktop.ui.supervisor import SupervisorView
from desktop.ui.supervisor.model import JournalFilter
from desktop.ui.tasks import TaskRunner
from procuration.journal import verify_chain
from procuration.wire import JournalPage
from tests.support.fake_journal import FakeJournalApi, generate_day

DAY = date(2026, 11, 28)


def _report(label: str, wall: float, cpu: float, target: float | None = None) -> None:
    goal = f"  target ≤ {target:g} s" if target is not None else ""
    print(f"{label:<46} {wall:7.3f} s  (cpu {cpu:6.3f} s){goal}")


def timed(label: str, target: float | None, work: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    _report(label, time.perf_counter() - wall, time.process_time() - cpu, target)
    return result


def _calibrate() -> None:
    entry = {"seq": 6, "at": "2026-11-28T07:30:31Z", "kind": "request.lookup", "detail": {}}
    runs = 20_000
    start = time.process_time()
    for _ in range(runs):
        json.dumps(entry)
    per_call = (time.process_time() - start) / runs * 1e6
    print(f"calibration: json.dumps of one small entry {per_call:.2f} µs (cpu)")


class _Downloaded:
    """The fake API with the day's answer already downloaded: what is timed after it is
    the client's own work, not the fake's in-memory filtering."""

    def __init__(self, api: FakeJournalApi) -> None:
        self._api = api
        self._day = api.fetch_day(DAY, api.station)

    def fetch_day(self, day: date, station: str) -> JournalPage:
        return self._day

    def __getattr__(self, name: str) -> Any:
        return getattr(self._api, name)


def _ready(view: SupervisorView) -> None:
    """Download done; times until the table shows, then until the verdict shows (the view's
    tasks run on the UI's task runner, as in the client)."""
    marks: dict[str, tuple[float, float]] = {}

    def mark(name: str) -> None:
        marks.setdefault(name, (time.perf_counter(), time.process_time()))

    view.review_loaded.connect(lambda: mark("table"))
    view.integrity_checked.connect(lambda ok: mark("verdict"))
    loop = QEventLoop()
    view.integrity_checked.connect(lambda ok: loop.quit())
    mark("start")
    view.load_day(DAY)
    loop.exec()
    mark("end")
    assert view.review is not None and view.review.verified
    (w0, c0), (w1, c1), (w2, c2) = marks["start"], marks["table"], marks["end"]
    _report("  of which: table shown, integrity pending", w1 - w0, c1 - c0)
    _report("  of which: chain + checkpoint verified", w2 - w1, c2 - c1)
    _report("view ready after download (verify+fill+show)", w2 - w0, c2 - c0, 1.0)


def _option(name: str, default: str | None = None) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def _load_baseline(path: str) -> Callable[..., Any]:
    """`verify_chain` of another journal.py, imported under another name (its imports of
    the rest of `procuration` resolve to this checkout's)."""
    spec = importlib.util.spec_from_file_location("baseline_journal", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module.verify_chain  # type: ignore[no-any-return]


def _compare(label: str, entries: list[dict[str, Any]], baseline: str | None) -> None:
    """This verify_chain, and the baseline's if given, alternately; best of --repeat."""
    contenders = {"this commit": verify_chain}
    if baseline:
        contenders["baseline"] = _load_baseline(baseline)
    best: dict[str, tuple[float, float]] = {}
    for _ in range(int(_option("--repeat", "1") or 1)):
        for name, verify in contenders.items():
            wall, cpu = time.perf_counter(), time.process_time()
            verify(entries)
            figures = (time.perf_counter() - wall, time.process_time() - cpu)
            best[name] = min(best.get(name, figures), figures)
    for name, (wall, cpu) in best.items():
        target = 2.0 if name == "this commit" and len(entries) >= 1_000_000 else None
        _report(f"{label}, {name}", wall, cpu, target)


def main() -> int:
    app = QApplication(sys.argv)
    _calibrate()
    api = FakeJournalApi("PN-75-001", Ed25519PrivateKey.generate(), PARIS)
    timed("generate 100,000 sealed entries", None, lambda: api.append_day(DAY, size=100_000))
    print(f"entries: {len(api.entries)}")
    baseline = _option("--baseline")
    _compare(f"verify the chain ({len(api.entries):,})", api.entries, baseline)
    downloaded = timed("download (fake, in memory)", None, lambda: _Downloaded(api))
    body = orjson.dumps(downloaded.fetch_day(DAY, api.station).model_dump())
    print(f"answer: {len(body) / 1e6:.1f} MB of JSON, parsed by the API client:")
    timed("  parse it with json.loads (httpx .json())", None, lambda: json.loads(body))
    timed("  parse it with orjson.loads", None, lambda: orjson.loads(body))
    timed(
        "  ... and read it as a JournalPage",
        None,
        lambda: JournalPage.model_validate(orjson.loads(body)),
    )
    with tempfile.TemporaryDirectory() as data_dir:
        service = JournalReviewService(downloaded, Path(data_dir), api.station)
        runner = TaskRunner()
        view = SupervisorView(service, "bench", runner)
        view.resize(1440, 900)
        view.show()
        app.processEvents()
        _ready(view)
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
        timed(
            "filter while sorted: one officer",
            0.1,
            lambda: view.proxy.set_filter(JournalFilter(officer="OPJ-1003")),
        )
        view.proxy.set_filter(JournalFilter())
        timed("export CSV (100k)", 1.0, lambda: view.export_csv(Path(data_dir) / "j.csv"))
        timed(
            "export PDF (100k day report)", None, lambda: view.export_pdf(Path(data_dir) / "j.pdf")
        )
    if "--skip-million" not in sys.argv:
        million = timed(
            "generate 1,000,000 entries",
            None,
            lambda: generate_day(DAY, PARIS, size=1_000_000, with_anomalies=False),
        )
        count = f"{len(million):,}"
        _compare(f"verify the chain ({count}, as generated)", million, baseline)
        # What a client verifies: entries parsed from the downloaded JSON, allocated one
        # after the other (the generated ones are scattered in memory by the sealing).
        downloaded_million = orjson.loads(orjson.dumps(million))
        del million
        _compare(f"verify the chain ({count}, parsed JSON)", downloaded_million, baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The supervisor's view: model, filters, search, CSV and PDF exports."""

from __future__ import annotations

import csv
import os
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader
from PySide6.QtCore import Qt

from desktop.services.anomalies import AnomalyRules
from desktop.services.anomaly_settings import RulesStore
from desktop.services.errors import NetworkError
from desktop.services.journal_review import PARIS, JournalReviewService
from desktop.ui.supervisor import SupervisorView, report
from desktop.ui.supervisor.model import ACTION, REFERENCE, JournalFilter
from desktop.ui.tasks import TaskRunner
from tests.support.fake_journal import FakeJournalApi

DAY = date(2026, 11, 28)


@pytest.fixture
def view(qtbot: Any, tmp_path: Path, runner: TaskRunner) -> SupervisorView:
    api = FakeJournalApi("PN-75-001", Ed25519PrivateKey.generate(), PARIS)
    api.append_day(DAY, size=200, seed=5)
    service = JournalReviewService(api, tmp_path, "PN-75-001")
    service.today = lambda: DAY  # type: ignore[method-assign]
    widget = SupervisorView(service, "Cne Martin", runner)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.integrity_checked):
        widget.verify_button.click()
    return widget


@pytest.fixture
def tampered(qtbot: Any, tmp_path: Path, runner: TaskRunner) -> SupervisorView:
    api = FakeJournalApi("PN-75-001", Ed25519PrivateKey.generate(), PARIS)
    api.append_day(DAY, size=200, seed=5)
    api.entries[50] = {**api.entries[50], "reference": "ZZZZZZ"}
    service = JournalReviewService(api, tmp_path, "PN-75-001")
    widget = SupervisorView(service, "Cne Martin", runner)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.integrity_checked) as blocker:
        widget.load_day(DAY)
    assert blocker.args == [False]
    return widget


def page_text(reader: PdfReader, number: int) -> str:
    return " ".join(reader.pages[number].extract_text().split())


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream, delimiter=";"))


def test_models_pass_the_model_tester(view: SupervisorView, qtmodeltester: Any) -> None:
    qtmodeltester.check(view.model)
    view.proxy.set_filter(JournalFilter(kind="validation.refused"))
    view.proxy.sort(REFERENCE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(view.proxy)


def test_the_banner_says_intact_up_to_the_signed_entry(view: SupervisorView) -> None:
    assert view.review is not None
    text = view.banner.text.text()
    assert f"Journal intègre jusqu'à l'entrée {view.review.integrity.signed_up_to}" in text
    assert "signé à 23:59" in text


def test_filtering_by_action_shows_only_refusals(view: SupervisorView) -> None:
    index = view.action_filter.findData("validation.refused")
    view.action_filter.setCurrentIndex(index)
    shown = {view.proxy.index(r, ACTION).data() for r in range(view.proxy.rowCount())}
    assert shown == {"Refus"}
    assert "entrées affichées" in view.shown.text()


def test_search_finds_a_reference_whatever_the_case(view: SupervisorView) -> None:
    view.search.setText("h4tr9w")
    rows = view.proxy.rowCount()
    assert rows == 3
    assert {view.proxy.index(r, REFERENCE).data() for r in range(rows)} == {"H4TR9W"}


def test_officer_and_anomalies_filters_combine(view: SupervisorView) -> None:
    view.officer_filter.setCurrentIndex(view.officer_filter.findData("APJ-2042"))
    view.anomalies_only.setChecked(True)
    assert view.proxy.rowCount() == 14
    assert view.proxy.index(0, 5).data() == "Consultations sans validation"


def test_sorting_by_reference_orders_the_rows(view: SupervisorView) -> None:
    view.table.sortByColumn(REFERENCE, Qt.SortOrder.AscendingOrder)
    references = [view.proxy.index(r, REFERENCE).data() for r in range(view.proxy.rowCount())]
    assert references == sorted(references)


def test_the_csv_export_holds_the_filtered_rows_in_french(
    view: SupervisorView, tmp_path: Path
) -> None:
    view.search.setText("7KQ2MX")
    path = tmp_path / "jour.csv"
    view.export_csv(path)
    preamble, rows = read_csv(path)[:4], read_csv(path)[4:]
    assert preamble[1][0] == "Intégrité"
    assert preamble[1][1].startswith("Journal intègre jusqu'à l'entrée")
    assert rows[0][:4] == ["N°", "Date et heure", "Agent", "Action"]
    assert rows[1][1] == "2026-11-28 21:40:00"
    assert rows[1][3:] == ["Validation", "7KQ2MX", "validée", "Validation hors horaires"]
    assert len(rows) == 2


def test_the_pdf_report_has_the_summary_and_the_table(view: SupervisorView, tmp_path: Path) -> None:
    path = tmp_path / "jour.pdf"
    view.export_pdf(path)
    reader = PdfReader(path)
    assert len(reader.pages) >= 2
    first = " ".join(reader.pages[0].extract_text().split())
    assert "PN-75-001" in first
    assert "Cne Martin" in first
    assert "intègre" in first
    assert view.review is not None
    assert view.review.integrity.head in first.replace(" ", "")
    table = " ".join(" ".join(page.extract_text().split()) for page in reader.pages[1:])
    assert "H4TR9W" in table
    assert "Validation hors horaires" in table
    assert "Activité par agent" in table
    assert "Entrées signalées par les règles" in table


def test_a_long_day_prints_the_flagged_entries_and_the_first_rows_only(
    view: SupervisorView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report, "MAX_ROWS", 40)
    path = tmp_path / "jour.pdf"
    view.export_pdf(path)
    reader = PdfReader(path)
    first = page_text(reader, 0)
    assert "les 40 premières entrées de la sélection" in first
    assert f"({view.proxy.rowCount()} au total)" in first
    last = page_text(reader, -1)
    assert f"40 premières sur {view.proxy.rowCount()}" in last
    assert len(reader.pages) <= 7  # summary, chart, officers, flagged entries, 40 rows


def test_a_tampered_journal_marks_the_table_and_every_export(
    tampered: SupervisorView, tmp_path: Path
) -> None:
    assert "NON intègre" in tampered.banner.text.text()
    assert tampered.stamp.isVisibleTo(tampered)
    assert tampered.stamp.text().startswith("NON VÉRIFIÉ")
    assert "n° 51" in tampered.stamp.text()
    csv_path, pdf_path = tmp_path / "jour.csv", tmp_path / "jour.pdf"
    tampered.export_csv(csv_path)
    assert read_csv(csv_path)[1][1].startswith("NON VÉRIFIÉ")
    tampered.export_pdf(pdf_path)
    reader = PdfReader(pdf_path)
    assert "NON VÉRIFIÉ" in page_text(reader, 0)
    assert "NON VÉRIFIÉ" in page_text(reader, 1)


class _Held(JournalReviewService):
    """Downloads and verifies only when the test releases each step."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.downloads: dict[date, threading.Event] = {}
        self.verification = threading.Event()

    def download_day(self, day: date) -> Any:
        assert self.downloads.setdefault(day, threading.Event()).wait(10)
        return super().download_day(day)

    def verify_download(self, download: Any) -> Any:
        assert self.verification.wait(10)
        return super().verify_download(download)


def test_the_table_waits_for_the_verdict_before_exports(
    qtbot: Any, tmp_path: Path, runner: TaskRunner
) -> None:
    api = FakeJournalApi("PN-75-001", Ed25519PrivateKey.generate(), PARIS)
    api.append_day(DAY, size=50, seed=5)
    service = _Held(api, tmp_path, "PN-75-001")
    service.downloads[DAY] = threading.Event()
    widget = SupervisorView(service, "Cne Martin", runner)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.review_loaded):
        widget.load_day(DAY)
        service.downloads[DAY].set()
    assert widget.model.rowCount() > 0
    assert "Vérification en cours" in widget.stamp.text()
    assert not widget.csv_button.isEnabled()
    with qtbot.waitSignal(widget.integrity_checked):
        service.verification.set()
    assert widget.csv_button.isEnabled()
    assert not widget.stamp.isVisibleTo(widget)


def test_a_slow_answer_for_an_earlier_day_never_replaces_the_day_asked_last(
    qtbot: Any, tmp_path: Path, runner: TaskRunner
) -> None:
    api = FakeJournalApi("PN-75-001", Ed25519PrivateKey.generate(), PARIS)
    api.append_day(DAY, size=50, seed=5)
    service = _Held(api, tmp_path, "PN-75-001")
    earlier, later = DAY - timedelta(days=1), DAY
    service.downloads[earlier], service.downloads[later] = threading.Event(), threading.Event()
    service.verification.set()
    widget = SupervisorView(service, "Cne Martin", runner)
    qtbot.addWidget(widget)
    widget.load_day(earlier)
    with qtbot.waitSignal(widget.integrity_checked):
        widget.load_day(later)
        service.downloads[later].set()
    service.downloads[earlier].set()  # the first answer arrives last
    assert runner.wait_for_done()
    qtbot.wait(50)  # let its (dropped) result reach the GUI thread
    assert widget.review is not None and widget.review.day == later
    assert widget.model.rowCount() > 0


def test_new_thresholds_reflag_the_day_and_are_kept(view: SupervisorView, tmp_path: Path) -> None:
    view.anomalies_only.setChecked(True)
    before = view.proxy.rowCount()
    view.apply_rules(AnomalyRules(snooping_lookups=100))
    assert view.proxy.rowCount() == before - 14
    assert not any(
        "Consultations sans validation" in view.anomalies.item(i).text()
        for i in range(view.anomalies.count())
    )
    assert RulesStore(tmp_path).load().snooping_lookups == 100  # kept for the next session


class _NoKeys(JournalReviewService):
    def verify_download(self, download: Any) -> Any:
        raise NetworkError("checkpoint unavailable")


def test_a_day_that_cannot_be_verified_stays_marked(
    qtbot: Any, tmp_path: Path, runner: TaskRunner
) -> None:
    api = FakeJournalApi("PN-75-001", Ed25519PrivateKey.generate(), PARIS)
    api.append_day(DAY, size=50, seed=5)
    widget = SupervisorView(_NoKeys(api, tmp_path, "PN-75-001"), "Cne Martin", runner)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.review_failed):
        widget.load_day(DAY)
    assert widget.model.rowCount() > 0
    assert "vérification impossible" in widget.banner.text.text()
    assert widget.stamp.text().startswith("NON VÉRIFIÉ")
    path = tmp_path / "jour.csv"
    widget.export_csv(path)
    assert read_csv(path)[1][1].startswith("NON VÉRIFIÉ")

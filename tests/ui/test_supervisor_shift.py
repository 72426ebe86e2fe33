"""The supervisor on a real shift (issue 13 item 8): French calendar and dialogs, a day
picked is a day loaded, exports confirmed, anomalies that lead to their entries, a readable
PDF, officers by name, unverified figures marked, a usable window at 1024x768."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader
from PySide6.QtCore import QDate, QLocale, QPoint, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from desktop.services.anomalies import Rule
from desktop.services.journal_review import PARIS, JournalReviewService
from desktop.ui.qt_app import install_translations
from desktop.ui.supervisor import SupervisorView
from desktop.ui.supervisor import view as view_module
from desktop.ui.supervisor.exports import save_dialog
from desktop.ui.supervisor.model import FLAGS, OFFICER
from desktop.ui.supervisor_window import SupervisorWindow
from desktop.ui.tasks import TaskRunner
from procuration.models import OfficerInfo, Role
from tests.support.fake_journal import FakeJournalApi

DAY = date(2026, 11, 28)
NAMES = {"OPJ-1001": "Adj Petit", "OPJ-1000": "Lt Durand"}
CHIEF = OfficerInfo(
    matricule="OPJ-0001",
    name="Martin",
    grade="Cne",
    role=Role.SUPERVISOR,
    station="PN-75-001",
    habilitation_until=None,
)


def make_service(tmp_path: Path, *, tamper: bool = False) -> JournalReviewService:
    api = FakeJournalApi("PN-75-001", Ed25519PrivateKey.generate(), PARIS)
    api.append_day(DAY, size=200, seed=5)
    if tamper:
        api.entries[50] = {**api.entries[50], "reference": "ZZZZZZ"}
    service = JournalReviewService(api, tmp_path, "PN-75-001", names=NAMES)
    service.today = lambda: DAY  # type: ignore[method-assign]
    return service


def loaded(qtbot: Any, widget: SupervisorView) -> SupervisorView:
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.integrity_checked, timeout=10_000):
        widget.load_day(DAY)
    return widget


@pytest.fixture
def view(qtbot: Any, tmp_path: Path, runner: TaskRunner) -> SupervisorView:
    return loaded(qtbot, SupervisorView(make_service(tmp_path), "Cne Martin", runner))


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    """The application's translations, as `start_application` installs them; undone after."""
    before, installed = QLocale(), set(qapp.findChildren(QTranslator))
    install_translations(qapp)  # type: ignore[arg-type]
    yield
    QLocale.setDefault(before)
    for translator in set(qapp.findChildren(QTranslator)) - installed:
        qapp.removeTranslator(translator)
        translator.setParent(None)


def test_the_calendar_and_the_save_dialog_are_in_french(french: None, view: SupervisorView) -> None:
    calendar = view.day_edit.calendarWidget()
    assert calendar.locale().monthName(11) == "novembre"
    assert calendar.locale().dayName(1) == "lundi"
    dialog = save_dialog(view, "Exporter en CSV", "jour.csv", "Fichier CSV (*.csv)")
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.show()
    texts = {button.text() for button in dialog.findChildren(QWidget) if hasattr(button, "text")}
    assert "&Enregistrer" in texts or "Enregistrer" in texts
    dialog.close()


def test_picking_another_day_loads_it(qtbot: Any, view: SupervisorView) -> None:
    with qtbot.waitSignal(view.review_loaded, timeout=10_000):
        view.day_edit.setDate(QDate(2026, 11, 27))
    assert view.review is not None and view.review.day == date(2026, 11, 27)
    assert view.model.rowCount() == 0  # the fake journal holds nothing that day


def test_an_export_is_confirmed_with_its_path(
    qtbot: Any, view: SupervisorView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "exports" / "jour.csv"
    target.parent.mkdir()
    monkeypatch.setattr(view_module, "ask_save_path", lambda *_: target)
    with qtbot.waitSignal(view.status_changed) as blocker:
        view.csv_button.click()
    assert target.exists()
    assert str(target) in view.status.text()
    assert view.status.text().startswith("Fichier enregistré")
    assert blocker.args == [view.status.text()]


def test_clicking_an_anomaly_shows_its_entries_then_all_again(
    qtbot: Any, view: SupervisorView
) -> None:
    assert view.review is not None
    anomaly = next(a for a in view.review.anomalies if a.rule is Rule.LOOKUP_BURST)
    row = list(view.review.anomalies).index(anomaly)
    item = view.anomalies.item(row)
    rect = view.anomalies.visualItemRect(item)
    qtbot.mouseClick(view.anomalies.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.proxy.rowCount() == len(anomaly.seqs)
    shown = {view.proxy.index(r, OFFICER).data() for r in range(view.proxy.rowCount())}
    assert shown == {"Adj Petit (OPJ-1001)"}
    assert view.table.selectionModel().isRowSelected(0)
    assert view.all_entries_button.isVisibleTo(view)
    view.all_entries_button.click()
    assert view.proxy.rowCount() == view.model.rowCount()
    assert not view.all_entries_button.isVisibleTo(view)


def text_sizes(path: Path) -> list[float]:
    """The size on paper, in points, of every piece of text in the PDF."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            sizes.append(size * scale)

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_the_pdf_report_is_printed_at_a_readable_size(view: SupervisorView, tmp_path: Path) -> None:
    path = tmp_path / "jour.pdf"
    view.export_pdf(path)
    sizes = text_sizes(path)
    assert sizes and min(sizes) >= 8.9  # 9 pt tables, 10 pt summary


def test_officers_are_named_in_the_table_filters_anomalies_and_exports(
    view: SupervisorView, tmp_path: Path
) -> None:
    officers = {view.model.columns[OFFICER][r] for r in range(view.model.rowCount())}
    assert "Adj Petit (OPJ-1001)" in officers
    assert "OPJ-1002" in officers  # no name known: the matricule
    filters = [view.officer_filter.itemText(i) for i in range(view.officer_filter.count())]
    assert "Lt Durand (OPJ-1000)" in filters
    texts = [view.anomalies.item(i).text() for i in range(view.anomalies.count())]
    assert any("Adj Petit (OPJ-1001)" in text for text in texts)
    path = tmp_path / "jour.csv"
    view.export_csv(path)
    assert "Adj Petit (OPJ-1001)" in path.read_text(encoding="utf-8-sig")


def test_totals_and_chart_are_marked_when_integrity_failed(
    qtbot: Any, tmp_path: Path, runner: TaskRunner
) -> None:
    widget = SupervisorView(make_service(tmp_path, tamper=True), "Cne Martin", runner)
    widget = loaded(qtbot, widget)
    assert "NON VÉRIFIÉ" in widget.totals.text()
    assert "NON VÉRIFIÉ" in widget.chart.warning
    image = widget.chart.grab().toImage()
    reds = sum(
        1
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
        if image.pixelColor(x, y).red() > 150 > image.pixelColor(x, y).blue() + 60
    )
    assert reds > 0  # the warning is painted, not only stored


def test_verified_totals_carry_no_warning(view: SupervisorView) -> None:
    assert "NON VÉRIFIÉ" not in view.totals.text()
    assert view.chart.warning == ""


def test_at_1024x768_the_filters_fit_and_the_anomalies_column_shows(
    qtbot: Any, tmp_path: Path, runner: TaskRunner
) -> None:
    window = SupervisorWindow(make_service(tmp_path), CHIEF, runner)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    with qtbot.waitSignal(window.view.integrity_checked, timeout=10_000):
        window.view.load_day(DAY)
    qtbot.wait(50)
    assert window.width() <= 1024
    view = window.view
    for widget in (
        view.officer_filter,
        view.action_filter,
        view.outcome_filter,
        view.search,
        view.anomalies_only,
    ):
        right = widget.mapTo(window, QPoint(widget.width(), 0)).x()
        assert right <= window.width(), widget
        assert widget.width() >= widget.sizeHint().width(), widget  # nothing cut
    header = view.table.horizontalHeader()
    start = header.sectionViewportPosition(FLAGS)
    assert start >= 0 and start + 60 <= view.table.viewport().width()


def test_the_window_status_bar_repeats_the_export_confirmation(
    qtbot: Any, tmp_path: Path, runner: TaskRunner
) -> None:
    window = SupervisorWindow(make_service(tmp_path), CHIEF, runner)
    qtbot.addWidget(window)
    window.view.show_status("Fichier enregistré : /tmp/jour.csv")
    assert window.statusBar().currentMessage() == "Fichier enregistré : /tmp/jour.csv"

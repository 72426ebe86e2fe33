"""The supervisor's day: integrity banner, totals, chart, anomalies, filtered table, exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.anomalies import AnomalyRules
from desktop.services.journal_export import write_csv
from desktop.services.journal_review import DayReview
from desktop.ui.supervisor.chart import ValidationsChart
from desktop.ui.supervisor.labels import action_label, anomaly_text, outcome_label, rule_label
from desktop.ui.supervisor.model import JournalFilter, JournalFilterProxy, JournalTableModel
from desktop.ui.supervisor.report import render_report, write_pdf
from desktop.ui.supervisor.summary_text import integrity_sentence, totals_lines

CSV_HEADERS = ("N°", "Date et heure", "Agent", "Action", "Référence", "Résultat", "Anomalies")


class ReviewService(Protocol):
    station: str
    rules: AnomalyRules

    def today(self) -> date: ...

    def review_day(self, day: date) -> DayReview: ...


# (work, on_success, on_error): the lead's task runner, which runs `work` off the GUI thread.
TaskRunner = Callable[
    [Callable[[], DayReview], Callable[[DayReview], None], Callable[[Exception], None]], None
]


def _run_here(
    work: Callable[[], DayReview],
    done: Callable[[DayReview], None],
    failed: Callable[[Exception], None],
) -> None:
    try:
        result = work()
    except Exception as exc:
        failed(exc)
        return
    done(result)


class IntegrityBanner(QFrame):
    """Word + icon + colour, so the verdict never depends on colour alone."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._icon = QLabel(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        font = QFont(self.text.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.text.setFont(font)
        layout = QHBoxLayout(self)
        layout.addWidget(self._icon)
        layout.addWidget(self.text, 1)
        self.show_pending(self.tr("Journal non encore vérifié"))

    def _paint(
        self, pixmap: QStyle.StandardPixmap, text: str, background: str, border: str
    ) -> None:
        self._icon.setPixmap(self.style().standardIcon(pixmap).pixmap(32, 32))
        self.text.setText(text)
        self.setStyleSheet(
            f"IntegrityBanner {{ background: {background}; border: 2px solid {border}; }}"
            "QLabel { color: #111111; background: transparent; }"
        )

    def show_pending(self, text: str) -> None:
        self._paint(QStyle.StandardPixmap.SP_MessageBoxInformation, text, "#eef2f7", "#6b7a90")

    def show_report(self, review: DayReview) -> None:
        sentence = integrity_sentence(review.integrity)
        if review.integrity.ok:
            self._paint(QStyle.StandardPixmap.SP_DialogApplyButton, sentence, "#e3f4e6", "#1e7b34")
        else:
            self._paint(QStyle.StandardPixmap.SP_MessageBoxCritical, sentence, "#fbe3e3", "#b00020")


class SupervisorView(QWidget):
    """Shown to a supervisor; `service` is injected, `run_task` runs it off the GUI thread."""

    review_loaded = Signal()
    review_failed = Signal(str)

    def __init__(
        self,
        service: ReviewService,
        supervisor: str,
        parent: QWidget | None = None,
        *,
        run_task: TaskRunner = _run_here,
    ) -> None:
        super().__init__(parent)
        self._service, self._supervisor, self._run_task = service, supervisor, run_task
        self.review: DayReview | None = None
        self.model = JournalTableModel(self)
        self.proxy = JournalFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build()

    def _build(self) -> None:
        self.title = QLabel(
            self.tr("Journal du poste {station}").format(station=self._service.station)
        )
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.day_edit = QDateEdit(self)
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("dd/MM/yyyy")
        today = self._service.today()
        self.day_edit.setDate(QDate(today.year, today.month, today.day))
        self.day_edit.setMaximumDate(self.day_edit.date())
        self.verify_button = QPushButton(self.tr("Télécharger et vérifier"), self)
        self.verify_button.clicked.connect(self._on_verify_button_clicked)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(QLabel(self.tr("Jour :"), self))
        header.addWidget(self.day_edit)
        header.addWidget(self.verify_button)
        self.banner = IntegrityBanner(self)
        body = QHBoxLayout()
        body.addLayout(self._build_side(), 0)
        body.addLayout(self._build_table(), 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addLayout(body, 1)
        layout.addLayout(self._build_exports())

    def _build_side(self) -> QVBoxLayout:
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)
        self.chart = ValidationsChart(self)
        self.anomalies = QListWidget(self)
        self.anomalies.setWordWrap(True)
        self.anomalies.setSpacing(3)
        self.anomalies.setAlternatingRowColors(True)
        self.anomalies.setMinimumWidth(360)
        side = QVBoxLayout()
        for caption, widget in (
            (self.tr("Totaux du jour"), self.totals),
            (None, self.chart),
            (self.tr("Anomalies (règle qui les a relevées)"), self.anomalies),
        ):
            if caption:
                label = QLabel(f"<b>{caption}</b>", self)
                side.addWidget(label)
            side.addWidget(widget)
        return side

    def _build_table(self) -> QVBoxLayout:
        self.officer_filter = QComboBox(self)
        self.action_filter = QComboBox(self)
        self.outcome_filter = QComboBox(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Rechercher une référence"))
        self.search.setClearButtonEnabled(True)
        self.anomalies_only = QCheckBox(self.tr("Anomalies seulement"), self)
        for combo in (self.officer_filter, self.action_filter, self.outcome_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.search.textChanged.connect(self._on_filter_changed)
        self.anomalies_only.toggled.connect(self._on_filter_changed)
        filters = QHBoxLayout()
        for widget in (
            self.officer_filter,
            self.action_filter,
            self.outcome_filter,
            self.search,
            self.anomalies_only,
        ):
            filters.addWidget(widget)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        horizontal = self.table.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setStretchLastSection(True)
        for column, sample in enumerate(
            (
                "00:00:00",
                "OPJ-00000",
                "Consultation (référence inconnue)",
                "WWWWWW",
                "refus : document non recevable",
            )
        ):
            horizontal.resizeSection(column, self.fontMetrics().horizontalAdvance(sample) + 28)
        self.shown = QLabel(self)
        table = QVBoxLayout()
        table.addLayout(filters)
        table.addWidget(self.table, 1)
        table.addWidget(self.shown)
        return table

    def _build_exports(self) -> QHBoxLayout:
        self.csv_button = QPushButton(self.tr("Exporter en CSV…"), self)
        self.pdf_button = QPushButton(self.tr("Rapport PDF…"), self)
        self.print_button = QPushButton(self.tr("Imprimer…"), self)
        self.csv_button.clicked.connect(self._on_csv_button_clicked)
        self.pdf_button.clicked.connect(self._on_pdf_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in (self.csv_button, self.pdf_button, self.print_button):
            button.setEnabled(False)
            row.addWidget(button)
        return row

    # -- loading -------------------------------------------------------------------------

    def load_day(self, day: date) -> None:
        self.verify_button.setEnabled(False)
        self.banner.show_pending(self.tr("Téléchargement et vérification du journal…"))
        self._run_task(
            lambda: self._service.review_day(day), self.show_review, self._on_review_error
        )

    def show_review(self, review: DayReview) -> None:
        self.review = review
        self.verify_button.setEnabled(True)
        self.banner.show_report(review)
        self.totals.setText("<br/>".join(totals_lines(review.summary)))
        self.chart.set_summary(review.summary)
        self.anomalies.clear()
        self.anomalies.addItems(
            [anomaly_text(a) for a in review.anomalies] or [self.tr("Aucune anomalie.")]
        )
        self.model.set_entries(review.entries, review.flags)
        self._fill_filters(review)
        for button in (self.csv_button, self.pdf_button, self.print_button):
            button.setEnabled(True)
        self._update_count()
        self.review_loaded.emit()

    def _fill_filters(self, review: DayReview) -> None:
        officers = sorted({e.actor for e in review.entries})
        kinds = sorted({e.kind for e in review.entries}, key=action_label)
        outcomes = sorted({e.outcome for e in review.entries if e.outcome}, key=outcome_label)
        for combo, everyone, codes, label in (
            (self.officer_filter, self.tr("Tous les agents"), officers, str),
            (self.action_filter, self.tr("Toutes les actions"), kinds, action_label),
            (self.outcome_filter, self.tr("Tous les résultats"), outcomes, outcome_label),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, "")
            for code in codes:
                combo.addItem(label(code), code)
            combo.blockSignals(False)
        self._on_filter_changed()

    @Slot(Exception)
    def _on_review_error(self, error: Exception) -> None:
        self.verify_button.setEnabled(True)
        self.banner.show_pending(
            self.tr("Le journal n'a pas pu être téléchargé. Vérifiez la connexion puis réessayez.")
        )
        self.review_failed.emit(type(error).__name__)

    @Slot()
    def _on_verify_button_clicked(self) -> None:
        picked = self.day_edit.date()
        self.load_day(date(picked.year(), picked.month(), picked.day()))

    @Slot()
    def _on_filter_changed(self) -> None:
        self.proxy.set_filter(
            JournalFilter(
                officer=self.officer_filter.currentData() or "",
                kind=self.action_filter.currentData() or "",
                outcome=self.outcome_filter.currentData() or "",
                reference=self.search.text(),
                anomalies_only=self.anomalies_only.isChecked(),
            )
        )
        self._update_count()

    def _update_count(self) -> None:
        self.shown.setText(
            self.tr("{shown} entrées affichées sur {total}").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount()
            )
        )

    # -- exports -------------------------------------------------------------------------

    def export_csv(self, path: Path) -> None:
        assert self.review is not None
        write_csv(
            path,
            self.proxy.visible_entries(),
            self.review.flags,
            headers=[self.tr(h) for h in CSV_HEADERS],
            action_label=action_label,
            outcome_label=outcome_label,
            rule_label=rule_label,
        )

    def export_pdf(self, path: Path) -> None:
        assert self.review is not None
        write_pdf(path, self.review, self._supervisor, self.proxy.visible_entries())

    def _default_name(self, suffix: str) -> str:
        assert self.review is not None
        return f"journal-{self.review.station}-{self.review.day.isoformat()}.{suffix}"

    @Slot()
    def _on_csv_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Exporter en CSV"),
            self._default_name("csv"),
            self.tr("Fichier CSV (*.csv)"),
        )
        if path:
            self.export_csv(Path(path))

    @Slot()
    def _on_pdf_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Rapport PDF"), self._default_name("pdf"), self.tr("Document PDF (*.pdf)")
        )
        if path:
            self.export_pdf(Path(path))

    @Slot()
    def _on_print_button_clicked(self) -> None:
        assert self.review is not None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            render_report(printer, self.review, self._supervisor, self.proxy.visible_entries())

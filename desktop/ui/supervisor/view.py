"""The supervisor's day: integrity banner, totals, chart, anomalies, filtered table, exports."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.anomalies import AnomalyRules
from desktop.services.collector import collector_paused
from desktop.services.errors import StorageError
from desktop.services.journal_review import DayDownload, DayReview, IntegrityReport
from desktop.ui.supervisor.chart import ValidationsChart
from desktop.ui.supervisor.exports import ask_save_path, export_csv
from desktop.ui.supervisor.integrity_banner import IntegrityBanner, TableStamp
from desktop.ui.supervisor.labels import action_label, anomaly_text, outcome_label
from desktop.ui.supervisor.model import (
    JournalFilter,
    JournalFilterProxy,
    JournalTableModel,
    TableColumns,
    build_columns,
)
from desktop.ui.supervisor.report import render_report, write_pdf
from desktop.ui.supervisor.review_port import ReviewService
from desktop.ui.supervisor.rules_dialog import RulesDialog
from desktop.ui.supervisor.summary_text import named_summary, totals_lines, unverified_warning
from desktop.ui.supervisor.widgets import (
    anomaly_list,
    filter_combo,
    journal_table,
    share_width,
    side_by_side,
)
from desktop.ui.tasks import TaskRunner

__all__ = ["ReviewService", "SupervisorView"]  # ReviewService: desktop.ui.shell imports it here

# The view's two tasks on the UI's task runner: a new day supersedes both (a stale answer
# is dropped by the runner, never shown over a newer day).
DOWNLOAD = "journal-download"
VERIFY = "journal-verify"
SEQS_ROLE = Qt.ItemDataRole.UserRole + 1  # an anomaly item's entries (chain numbers)


class SupervisorView(QWidget):
    """Shown to a supervisor; `service` is injected and runs on `runner`, off the GUI thread."""

    review_loaded = Signal()  # the table and totals are shown, integrity not yet known
    integrity_checked = Signal(bool)  # the verification reported: True when intact
    review_failed = Signal(str)
    status_changed = Signal(str)  # a confirmation for the window's status bar

    def __init__(
        self,
        service: ReviewService,
        supervisor: str,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service, self._supervisor, self._runner = service, supervisor, runner
        self.review: DayReview | None = None
        self.model = JournalTableModel(self)
        self.proxy = JournalFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._widths_shared = False
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
        self.day_edit.dateChanged.connect(self._on_day_changed)
        self.verify_button = QPushButton(self.tr("Télécharger et vérifier"), self)
        self.verify_button.clicked.connect(self._on_verify_button_clicked)
        self.rules_button = QPushButton(self.tr("Seuils des règles…"), self)
        self.rules_button.clicked.connect(self._on_rules_button_clicked)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(QLabel(self.tr("Jour :"), self))
        header.addWidget(self.day_edit)
        header.addWidget(self.verify_button)
        header.addWidget(self.rules_button)
        self.banner = IntegrityBanner(self)
        self.body = side_by_side(self, self._build_side(), self._build_table())
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.body, 1)
        layout.addLayout(self._build_exports())

    def _build_side(self) -> QVBoxLayout:
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)
        self.chart = ValidationsChart(self)
        self.anomalies = anomaly_list(self)
        self.anomalies.itemClicked.connect(self._on_anomaly_picked)
        self.anomalies.itemActivated.connect(self._on_anomaly_picked)
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
        self.officer_filter = filter_combo(self)
        self.action_filter = filter_combo(self)
        self.outcome_filter = filter_combo(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Rechercher une référence"))
        self.search.setClearButtonEnabled(True)
        self.anomalies_only = QCheckBox(self.tr("Anomalies seulement"), self)
        self.all_entries_button = QPushButton(self.tr("Afficher toutes les entrées"), self)
        self.all_entries_button.hide()  # shown while one anomaly's entries are shown
        self.all_entries_button.clicked.connect(self.show_all_entries)
        self._picked: frozenset[int] | None = None
        for combo in (self.officer_filter, self.action_filter, self.outcome_filter):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.search.textChanged.connect(self._on_filter_changed)
        self.anomalies_only.toggled.connect(self._on_filter_changed)
        filters = QGridLayout()  # two rows: nothing is cut at 1024 pixels
        filters.addWidget(self.officer_filter, 0, 0)
        filters.addWidget(self.action_filter, 0, 1)
        filters.addWidget(self.outcome_filter, 0, 2)
        filters.addWidget(self.search, 1, 0)
        filters.addWidget(self.anomalies_only, 1, 1)
        filters.addWidget(self.all_entries_button, 1, 2)
        self.table = journal_table(self, self.proxy)
        self.shown = QLabel(self)
        self.stamp = TableStamp(self.table, self)
        table = QVBoxLayout()
        table.addLayout(filters)
        table.addWidget(self.stamp)
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
            row.addWidget(button)
        self._set_exports_enabled(False)
        self.status = QLabel(self)  # the last export's confirmation, with its path
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.insertWidget(0, self.status, 1)
        return row

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not self._widths_shared:  # once: later, the supervisor's own widths stay
            self._widths_shared = True
            share_width(self.body)

    # -- loading -------------------------------------------------------------------------

    def load_day(self, day: date) -> None:
        """Download and show the day, then verify it in a second task: the table is usable
        while the chain is checked, stamped "vérification en cours" until the verdict."""
        self._runner.cancel(VERIFY)  # the verdict on the previous day is not wanted any more
        self.verify_button.setEnabled(False)
        self._set_exports_enabled(False)
        self.banner.show_pending(self.tr("Téléchargement du journal…"))

        def download_and_summarise() -> tuple[DayDownload, DayReview, TableColumns]:
            with collector_paused():  # the table's columns too (services/collector.py)
                download = self._service.download_day(day)
                review = self._service.summarise_day(download)
                columns = build_columns(review.entries, review.flags, review.officer)
            return download, review, columns

        self._runner.run(
            DOWNLOAD,
            download_and_summarise,
            lambda result: self._on_day_loaded(*result),
            self._on_review_error,
        )

    def cancel_tasks(self) -> None:
        """Drops the answers still awaited (the window is closing)."""
        for key in (DOWNLOAD, VERIFY):
            self._runner.cancel(key)

    def _on_day_loaded(
        self, download: DayDownload, review: DayReview, columns: TableColumns
    ) -> None:
        self.show_review(review, columns)
        self._runner.run(
            VERIFY,
            lambda: self._service.verify_download(download),
            self._on_integrity_checked,
            self._on_verification_error,
        )

    def show_review(self, review: DayReview, columns: TableColumns | None = None) -> None:
        """Shows a day; its integrity as known (None: verification pending)."""
        self.review = review
        self._picked = None
        self._show_side(review)
        self.model.set_columns(
            columns or build_columns(review.entries, review.flags, review.officer)
        )
        self._fill_filters(review)
        self._show_integrity(review.integrity)
        self.review_loaded.emit()

    def _show_side(self, review: DayReview) -> None:
        self._show_totals(review)
        self.chart.set_summary(named_summary(review))
        self.anomalies.clear()
        for anomaly in review.anomalies:
            item = QListWidgetItem(anomaly_text(anomaly, review.officer), self.anomalies)
            item.setData(SEQS_ROLE, list(anomaly.seqs))
        if not review.anomalies:
            self.anomalies.addItem(self.tr("Aucune anomalie."))

    def _show_totals(self, review: DayReview) -> None:
        """The totals, and over them and the chart, while the journal is not verified
        intact, a warning that they are not guaranteed."""
        lines = [html.escape(line) for line in totals_lines(review.summary)]
        warning = unverified_warning(review)
        if warning:
            lines.insert(0, f'<b><font color="#b00020">⚠ {html.escape(warning)}</font></b>')
        self.totals.setText("<br/>".join(lines))
        self.chart.set_warning(warning)

    def _on_integrity_checked(self, report: IntegrityReport) -> None:
        if self.review is None:
            return
        self.review = self.review.with_integrity(report)
        self._show_totals(self.review)
        self._show_integrity(report)
        self.integrity_checked.emit(report.ok)

    def _show_integrity(self, report: IntegrityReport | None) -> None:
        if report is None:
            self.banner.show_pending(self.tr("Vérification de l'intégrité du journal en cours…"))
            self.stamp.show_pending()
            return
        self.verify_button.setEnabled(True)
        self.banner.show_report(report)
        self.stamp.show_report(report)
        # Exports wait for the verdict: each carries it in its header.
        self._set_exports_enabled(True)

    def _set_exports_enabled(self, enabled: bool) -> None:
        for button in (self.csv_button, self.pdf_button, self.print_button):
            button.setEnabled(enabled)

    def _fill_filters(self, review: DayReview) -> None:
        officers = sorted({e.actor for e in review.entries}, key=review.officer)
        kinds = sorted({e.kind for e in review.entries}, key=action_label)
        outcomes = sorted({e.outcome for e in review.entries if e.outcome}, key=outcome_label)
        for combo, everyone, codes, label in (
            (self.officer_filter, self.tr("Tous les agents"), officers, review.officer),
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

    def _on_review_error(self, error: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.banner.show_pending(
            self.tr("Le journal n'a pas pu être téléchargé. Vérifiez la connexion puis réessayez.")
        )
        self.review_failed.emit(type(error).__name__)

    def _on_verification_error(self, error: BaseException) -> None:
        """The day is shown but could not be checked (checkpoint or keys unavailable): it
        stays marked as not verified, and so do its exports."""
        self._on_integrity_checked(IntegrityReport(ok=False, reason="unverifiable"))
        self.review_failed.emit(type(error).__name__)

    @Slot()
    def _on_rules_button_clicked(self) -> None:
        dialog = RulesDialog(self._service.rules, self)
        if dialog.exec() == RulesDialog.DialogCode.Accepted:
            self.apply_rules(dialog.rules())

    def apply_rules(self, rules: AnomalyRules) -> None:
        """Saves the thresholds and re-flags the day shown, without downloading it again."""
        try:
            self._service.set_rules(rules)
        except StorageError:
            QMessageBox.warning(
                self,
                self.tr("Seuils non enregistrés"),
                self.tr("Les seuils n'ont pas pu être enregistrés. Vérifiez l'espace disque."),
            )
            return
        if self.review is None:
            return
        self.review = self._service.reassess(self.review)
        self._show_side(self.review)
        self.model.set_flags(self.review.flags)
        self._update_count()

    @Slot()
    def _on_verify_button_clicked(self) -> None:
        picked = self.day_edit.date()
        self.load_day(date(picked.year(), picked.month(), picked.day()))

    @Slot(QDate)
    def _on_day_changed(self, picked: QDate) -> None:
        """Another day picked: it is loaded, as the supervisor expects (no extra click)."""
        if picked.isValid():
            self.load_day(date(picked.year(), picked.month(), picked.day()))

    @Slot(QListWidgetItem)
    def _on_anomaly_picked(self, item: QListWidgetItem) -> None:
        """Shows only the entries that raised the anomaly, and goes to the first one."""
        seqs = item.data(SEQS_ROLE)
        if not seqs:
            return
        self._picked = frozenset(int(seq) for seq in seqs)
        self._on_filter_changed()
        if self.proxy.rowCount():
            self.table.selectRow(0)
            self.table.scrollToTop()

    @Slot()
    def show_all_entries(self) -> None:
        self._picked = None
        self.anomalies.clearSelection()
        self._on_filter_changed()

    @Slot()
    def _on_filter_changed(self) -> None:
        self.proxy.set_filter(
            JournalFilter(
                officer=self.officer_filter.currentData() or "",
                kind=self.action_filter.currentData() or "",
                outcome=self.outcome_filter.currentData() or "",
                reference=self.search.text(),
                anomalies_only=self.anomalies_only.isChecked(),
                seqs=self._picked,
            )
        )
        self.all_entries_button.setVisible(self._picked is not None)
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
        export_csv(path, self.review, self.model, self.proxy.visible_rows())

    def export_pdf(self, path: Path) -> None:
        assert self.review is not None
        write_pdf(path, self.review, self._supervisor, self.proxy.visible_entries())

    def _default_name(self, suffix: str) -> str:
        assert self.review is not None
        return f"journal-{self.review.station}-{self.review.day.isoformat()}.{suffix}"

    def _save_as(self, title: str, suffix: str, kind: str, export: Callable[[Path], None]) -> None:
        path = ask_save_path(self, title, self._default_name(suffix), kind)
        if path is None:
            return
        try:
            export(path)
        except StorageError:
            QMessageBox.warning(
                self,
                title,
                self.tr("Le fichier n'a pas pu être écrit. Choisissez un autre dossier."),
            )
            return
        self.show_status(self.tr("Fichier enregistré : {path}").format(path=path))

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status_changed.emit(text)

    @Slot()
    def _on_csv_button_clicked(self) -> None:
        self._save_as(
            self.tr("Exporter en CSV"), "csv", self.tr("Fichier CSV (*.csv)"), self.export_csv
        )

    @Slot()
    def _on_pdf_button_clicked(self) -> None:
        self._save_as(
            self.tr("Rapport PDF"), "pdf", self.tr("Document PDF (*.pdf)"), self.export_pdf
        )

    @Slot()
    def _on_print_button_clicked(self) -> None:
        assert self.review is not None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            render_report(printer, self.review, self._supervisor, self.proxy.visible_entries())

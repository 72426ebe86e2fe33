"""The supervisor view's widgets as configured, kept apart so that view.py holds behaviour."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLayout,
    QListWidget,
    QSplitter,
    QTableView,
    QWidget,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("supervisor", text)


def filter_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    # Not "adjust to contents": a long officer name would push the filters off screen.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    return combo


def anomaly_list(parent: QWidget) -> QListWidget:
    anomalies = QListWidget(parent)
    anomalies.setWordWrap(True)
    anomalies.setSpacing(3)
    anomalies.setAlternatingRowColors(True)
    anomalies.setMinimumWidth(240)
    anomalies.setToolTip(_tr("Cliquez une anomalie pour n'afficher que ses entrées"))
    return anomalies


def journal_table(parent: QWidget, model: QAbstractItemModel) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    metrics = parent.fontMetrics()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
    horizontal = table.horizontalHeader()
    horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    horizontal.setStretchLastSection(True)
    # Sized so that every column, Anomalies included, shows at 1024 pixels; longer cells
    # are elided (full text in the tooltip) and the columns can be widened.
    for column, sample in enumerate(
        ("00:00:00", "Lt Durand (OPJ-0000)", "Consultation (réf.)", "WWWWWW", "en attente de ctl")
    ):
        horizontal.resizeSection(column, metrics.horizontalAdvance(sample) + 20)
    return table


def side_by_side(parent: QWidget, side: QLayout, main: QLayout) -> QSplitter:
    """A splitter, the side a quarter of the width (`share_width`): at 1024 pixels the
    side is at its minimum and the table keeps its columns; either can be widened."""
    body = QSplitter(Qt.Orientation.Horizontal, parent)
    for part, stretch in ((side, 0), (main, 1)):
        holder = QWidget(body)
        part.setContentsMargins(0, 0, 0, 0)
        holder.setLayout(part)
        body.addWidget(holder)
        body.setStretchFactor(body.count() - 1, stretch)
    body.setChildrenCollapsible(False)
    return body


def share_width(body: QSplitter) -> None:
    """The side a quarter of the splitter's width, the table the rest."""
    total, first = sum(body.sizes()), body.widget(0)
    least = first.minimumSizeHint().width() if first is not None else 0
    side = max(least, total // 4)
    body.setSizes([side, max(0, total - side)])

"""Decisions the server refused for good: never dropped silently, listed for the officer.

The outbox stops resending a decision the server answered with a definitive error (the
reference was validated elsewhere, the habilitation ended…). The officer must know, and
must be able to see again which references and why: reference, time and one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.services.ports import SubmitOutcome
from desktop.ui import messages
from desktop.ui.list_table import AnyIndex, ListTableModel, read_only_table
from desktop.ui.style import icon


@dataclass(frozen=True)
class RefusedItem:
    validation_id: str
    reference: str
    at: datetime  # when the refusal reached this PC
    title: str
    sentence: str


def refused_item(outcome: SubmitOutcome, at: datetime) -> RefusedItem:
    """The officer's words for a definitively refused decision."""
    code = outcome.error_code or "internal"
    text = messages.outcome_sentence(code, outcome.error_context)
    return RefusedItem(outcome.validation_id, outcome.reference, at, messages.title_for(code), text)


class RefusedModel(ListTableModel[RefusedItem]):
    def add(self, item: RefusedItem) -> bool:
        """Adds a refusal once (the same decision may be reported twice); True if new."""
        if any(known.validation_id == item.validation_id for known in self._items):
            return False
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._items.insert(0, item)
        self.endInsertRows()
        return True

    def items(self) -> list[RefusedItem]:
        return list(self._items)

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Heure"), self.tr("Référence"), self.tr("Motif du refus"))

    def data(self, index: AnyIndex, role: int = 0) -> object:
        item = self.item_at(index)
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                messages.local_time(item.at),
                item.reference,
                f"{item.title} : {item.sentence}",
            )
            return values[column] if 0 <= column < len(values) else None
        if role == Qt.ItemDataRole.DecorationRole and column == 2:
            return icon("failed")
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return item.sentence
        return None


class RefusedDialog(QDialog):
    def __init__(self, model: RefusedModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Envois refusés"))
        self.setAccessibleName(self.tr("Envois refusés par le serveur"))
        intro = QLabel(
            self.tr(
                "Le serveur a refusé définitivement ces décisions : elles ne seront pas "
                "renvoyées. Voyez pour chacune ce qu'il faut faire."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.table = read_only_table(model, self.tr("Liste des envois refusés"), self)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Rows follow the wrapped sentence's height once the columns have their widths.
        header.sectionResized.connect(self._on_header_section_resized)
        buttons = QDialogButtonBox(self)
        close = buttons.addButton(self.tr("Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(self.tr("Fermer la liste des envois refusés"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        width = self.fontMetrics().averageCharWidth() * 110
        self.resize(width, self.fontMetrics().height() * 22)

    def _on_header_section_resized(self, _index: int, _old: int, _new: int) -> None:
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.table.resizeRowsToContents()

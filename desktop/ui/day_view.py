"""The officer's own day: time, reference, decision and delivery. Never a name.

"Ma journée" filters by a part of the reference, normalized as the counter's field does
(look-alikes corrected: a typed "o" searches for the digit 0, as no reference holds an
O), and by status.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.services.ports import DayItem, DeliveryState
from desktop.ui.list_table import AnyIndex, ListTableModel, read_only_table
from desktop.ui.messages import local_time
from desktop.ui.style import icon
from procuration import reference

_STATE_ICONS = {
    DeliveryState.TRANSMITTED: "transmitted",
    DeliveryState.PENDING: "pending",
    DeliveryState.FAILED: "failed",
}


class DayModel(ListTableModel[DayItem]):
    def set_items(self, items: list[DayItem]) -> None:
        self.beginResetModel()
        self._items = sorted(items, key=lambda item: item.at, reverse=True)
        self.endResetModel()

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Heure"), self.tr("Référence"), self.tr("Décision"), self.tr("Envoi"))

    def data(self, index: AnyIndex, role: int = 0) -> object:
        item = self.item_at(index)
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, column)
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            return icon(_STATE_ICONS[item.state])
        return None

    def _text(self, item: DayItem, column: int) -> str | None:
        if column == 0:
            return local_time(item.at)
        if column == 1:
            return item.reference
        if column == 2:
            return self.tr("Validée") if item.decision == "validated" else self.tr("Refusée")
        if column == 3:
            words = {
                DeliveryState.TRANSMITTED: self.tr("Transmise"),
                DeliveryState.PENDING: self.tr("En attente d'envoi"),
                DeliveryState.FAILED: self.tr("Échec"),
            }
            return words[item.state]
        return None


class StatusFilter(StrEnum):
    ALL = "all"
    VALIDATED = "validated"
    REFUSED = "refused"
    PENDING = "pending"
    FAILED = "failed"


def _matches(item: DayItem, status: StatusFilter) -> bool:
    if status is StatusFilter.VALIDATED or status is StatusFilter.REFUSED:
        return item.decision == status.value
    if status is StatusFilter.PENDING:
        return item.state is DeliveryState.PENDING
    if status is StatusFilter.FAILED:
        return item.state is DeliveryState.FAILED
    return True


class DayFilter(QSortFilterProxyModel):
    """The rows whose reference contains the typed text and whose status is the chosen one."""

    def __init__(self, model: DayModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._text = ""
        self._status = StatusFilter.ALL
        self.setSourceModel(model)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = reference.normalize(text)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status(self, status: StatusFilter) -> None:
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: AnyIndex) -> bool:  # noqa: N802 (Qt API)
        item = self._model.item_at(self._model.index(row, 0, parent))
        if item is None:
            return False
        return self._text in item.reference and _matches(item, self._status)


_STATUS_CHOICES = (
    (StatusFilter.ALL, "Tous les statuts"),
    (StatusFilter.VALIDATED, "Validées"),
    (StatusFilter.REFUSED, "Refusées"),
    (StatusFilter.PENDING, "En attente d'envoi"),
    (StatusFilter.FAILED, "Échec d'envoi"),
)


class DayDialog(QDialog):
    def __init__(self, model: DayModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ma journée"))
        self.setAccessibleName(self.tr("Mes décisions du jour"))
        self._total = model.rowCount()
        self.filtered = DayFilter(model, self)
        name = self.tr("Décisions du jour, par heure et référence")
        self.table = read_only_table(model, name, self)
        self.table.setModel(self.filtered)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Rechercher une référence"))
        self.search.setAccessibleName(self.tr("Rechercher une référence dans ma journée"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox(self)
        self.status.setAccessibleName(self.tr("Filtrer par statut"))
        for value, label in _STATUS_CHOICES:
            self.status.addItem(self.tr(label), value)
        self.search.textEdited.connect(self._on_search_text_edited)
        self.status.currentIndexChanged.connect(self._on_status_current_index_changed)
        self._update_summary()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Fermer (Échap)"))
        close.setAccessibleName(self.tr("Fermer"))
        buttons.rejected.connect(self.reject)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 84, self.fontMetrics().height() * 24)

    @Slot(str)
    def _on_search_text_edited(self, text: str) -> None:
        normalized = reference.normalize(text)
        if normalized != text:  # shown corrected, as in the counter's field
            cursor = len(reference.normalize(text[: self.search.cursorPosition()]))
            self.search.setText(normalized)
            self.search.setCursorPosition(cursor)
        self.filtered.set_text(normalized)
        self._update_summary()

    @Slot(int)
    def _on_status_current_index_changed(self, _index: int) -> None:
        self.filtered.set_status(StatusFilter(self.status.currentData()))
        self._update_summary()

    def _update_summary(self) -> None:
        text = self.tr("%1 décision(s) aujourd'hui").replace("%1", str(self._total))
        shown = self.filtered.rowCount()
        if shown != self._total:
            text += self.tr(" — %1 affichée(s)").replace("%1", str(shown))
        self.summary.setText(text)

"""The officer's own day: time, reference, decision and delivery. Never a name."""

from __future__ import annotations

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.services.ports import DayItem, DeliveryState
from desktop.ui.list_table import AnyIndex, ListTableModel, read_only_table
from desktop.ui.messages import local_time
from desktop.ui.style import icon

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


class DayDialog(QDialog):
    def __init__(self, model: DayModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ma journée"))
        self.setAccessibleName(self.tr("Mes décisions du jour"))
        name = self.tr("Décisions du jour, par heure et référence")
        self.table = read_only_table(model, name, self)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        count = model.rowCount()
        self.summary.setText(self.tr("%1 décision(s) aujourd'hui").replace("%1", str(count)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Fermer (Échap)"))
        close.setAccessibleName(self.tr("Fermer"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.fontMetrics().height() * 24)

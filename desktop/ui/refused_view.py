"""Decisions the server refused for good: never dropped silently, listed for the officer.

The outbox stops resending a decision the server answered with a definitive error (the
reference was validated elsewhere, the habilitation ended…). The officer must know, and
must be able to see again which references and why: reference, time and one sentence.
The list is read back from the outbox (`ports.RefusalLedger`), so it survives a restart,
and stays until an officer marks it as seen (then "Ma journée" still shows them).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.services.ports import (
    CounterService,
    DeliveryState,
    RefusalLedger,
    RefusedDecision,
    SubmitOutcome,
)
from desktop.ui import messages
from desktop.ui.list_table import AnyIndex, ListTableModel, read_only_table
from desktop.ui.style import icon, set_property
from desktop.ui.tasks import TaskRunner

ACKNOWLEDGE = "acknowledge-refused"


@dataclass(frozen=True)
class RefusedItem:
    validation_id: str
    reference: str
    at: datetime  # when the refusal reached this PC
    title: str
    sentence: str


def refused_item(outcome: SubmitOutcome, at: datetime) -> RefusedItem:
    """The officer's words for a definitively refused decision."""
    return _item(outcome.validation_id, outcome.reference, at, outcome.error_code,
                 outcome.error_context)  # fmt: skip


def _item(
    validation_id: str, reference: str, at: datetime, code: str | None,
    context: Mapping[str, str],
) -> RefusedItem:  # fmt: skip
    code = code or "internal"
    text = messages.outcome_sentence(code, context)
    return RefusedItem(validation_id, reference, at, messages.title_for(code), text)


def read_refused(service: CounterService) -> list[RefusedDecision] | None:
    """On a worker: the refusals kept on this PC; None if the service keeps none."""
    return service.refused_decisions() if isinstance(service, RefusalLedger) else None


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

    def remove(self, validation_ids: Collection[str]) -> None:
        for row in reversed(range(len(self._items))):
            if self._items[row].validation_id in validation_ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._items[row]
                self.endRemoveRows()

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
    acknowledge_requested = Signal()

    def __init__(self, model: RefusedModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Envois refusés"))
        self.setAccessibleName(self.tr("Envois refusés par le serveur"))
        intro = QLabel(
            self.tr(
                "Le serveur a refusé définitivement ces décisions : elles ne seront pas "
                "renvoyées. Voyez pour chacune ce qu'il faut faire, puis « Marquer comme "
                "vus » : elles quittent cette liste mais restent dans « Ma journée »."
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
        self.problem = QLabel(self)
        self.problem.setProperty("role", "hint")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(self)
        self.acknowledge_button = buttons.addButton(
            self.tr("Marquer comme vus"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.acknowledge_button.setAccessibleName(
            self.tr("Marquer les envois refusés comme vus et les retirer de la liste")
        )
        self.acknowledge_button.clicked.connect(self.acknowledge_requested)
        close = buttons.addButton(self.tr("Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(self.tr("Fermer la liste des envois refusés"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        width = self.fontMetrics().averageCharWidth() * 110
        self.resize(width, self.fontMetrics().height() * 22)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        set_property(self.problem, "invalid", True)
        self.problem.show()

    def _on_header_section_resized(self, _index: int, _old: int, _new: int) -> None:
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.table.resizeRowsToContents()


class RefusedTracker(QObject):
    """The "Envois refusés" list: fed by deliveries and by the outbox, emptied only when
    an officer marks it as seen (stored by the service, so it holds across restarts)."""

    count_changed = Signal(int)

    def __init__(
        self, service: CounterService, runner: TaskRunner, now: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._now = now
        self._seen: set[str] = set()  # acknowledged here: a poll in flight must not revive
        self.model = RefusedModel(self)
        self._dialog: RefusedDialog | None = None

    def add_outcomes(self, outcomes: list[SubmitOutcome]) -> list[RefusedItem]:
        """Lists the definitive refusals among `outcomes`; returns the new ones."""
        new = [
            item
            for outcome in outcomes
            if outcome.state is DeliveryState.FAILED and outcome.validation_id not in self._seen
            for item in [refused_item(outcome, self._now())]
            if self.model.add(item)
        ]
        self.count_changed.emit(self.model.rowCount())
        return new

    def add_kept(self, decisions: list[RefusedDecision] | None) -> None:
        """What the outbox still lists (after a restart too), oldest added first."""
        for decision in reversed(decisions or []):
            if decision.validation_id not in self._seen:
                self.model.add(_item(decision.validation_id, decision.reference,
                                     decision.refused_at, decision.error_code,
                                     decision.error_context))  # fmt: skip
        self.count_changed.emit(self.model.rowCount())

    def open_dialog(self, parent: QWidget) -> RefusedDialog:
        dialog = RefusedDialog(self.model, parent)
        dialog.acknowledge_requested.connect(self._on_dialog_acknowledge_requested)
        self._dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def _on_dialog_acknowledge_requested(self) -> None:
        ids = [item.validation_id for item in self.model.items()]
        service = self._service
        if self._runner.is_running(ACKNOWLEDGE):
            return
        if not isinstance(service, RefusalLedger):
            self._on_acknowledged(ids)
            return
        self._runner.run(
            ACKNOWLEDGE,
            lambda: service.acknowledge_refused(ids),
            lambda _none: self._on_acknowledged(ids),
            self._on_acknowledge_failed,
        )

    def _on_acknowledged(self, ids: list[str]) -> None:
        self._seen.update(ids)
        self.model.remove(set(ids))
        self.count_changed.emit(self.model.rowCount())
        if self._dialog is not None:
            self._dialog.accept()

    def _on_acknowledge_failed(self, error: BaseException) -> None:
        if self._dialog is not None:
            self._dialog.show_problem(messages.message_for(error))

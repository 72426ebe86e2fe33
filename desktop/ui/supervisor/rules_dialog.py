"""The anomaly rules' thresholds, edited by the supervisor (saved by the review service)."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.services.anomalies import AnomalyRules


def _spin(value: int, maximum: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(1, maximum)
    box.setValue(value)
    box.setSuffix(suffix)
    return box


def _time(edit: QTimeEdit) -> time:
    chosen = edit.time()
    return time(chosen.hour(), chosen.minute())


class RulesDialog(QDialog):
    def __init__(self, rules: AnomalyRules, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Seuils des règles d'anomalie"))
        self.snooping = _spin(rules.snooping_lookups, 10_000)
        self.opening = QTimeEdit(QTime(rules.opening.hour, rules.opening.minute))
        self.closing = QTimeEdit(QTime(rules.closing.hour, rules.closing.minute))
        self.repeated_lookups = _spin(rules.repeated_reference_lookups, 1_000)
        self.repeated_officers = _spin(rules.repeated_reference_officers, 100)
        self.refusal_burst = _spin(rules.refusal_burst, 1_000)
        self.refusal_window = _spin(rules.refusal_window_minutes, 24 * 60, " min")
        self.unfollowed = _spin(rules.unfollowed_lookups, 10_000)
        self.unfollowed_window = _spin(rules.unfollowed_window_minutes, 24 * 60, " min")
        form = QFormLayout()
        for label, field in (
            (self.tr("Consultations sans aucune validation, par agent"), self.snooping),
            (self.tr("Ouverture du poste"), self.opening),
            (self.tr("Fermeture du poste"), self.closing),
            (self.tr("Consultations d'une même référence"), self.repeated_lookups),
            (self.tr("Agents différents sur une même référence"), self.repeated_officers),
            (self.tr("Refus formant une série"), self.refusal_burst),
            (self.tr("… dans une fenêtre de"), self.refusal_window),
            (self.tr("Consultations sans suite, par agent"), self.unfollowed),
            (self.tr("… dans une fenêtre de"), self.unfollowed_window),
        ):
            form.addRow(label, field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def rules(self) -> AnomalyRules:
        return AnomalyRules(
            snooping_lookups=self.snooping.value(),
            opening=_time(self.opening),
            closing=_time(self.closing),
            repeated_reference_lookups=self.repeated_lookups.value(),
            repeated_reference_officers=self.repeated_officers.value(),
            refusal_burst=self.refusal_burst.value(),
            refusal_window_minutes=self.refusal_window.value(),
            unfollowed_lookups=self.unfollowed.value(),
            unfollowed_window_minutes=self.unfollowed_window.value(),
        )

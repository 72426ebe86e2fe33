"""What the officer sees above the mandant's identity when the reference is a résiliation
(L75): the word "RÉSILIATION", its own colour and icon, and the proxy it ends — mandataire
and scope — so that a cancellation can never be taken for a new proxy.

Hidden for a proxy. Like the identity panel, nothing here is selectable or copyable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.services.ports import DisplayedRequest, LookupResult
from desktop.ui import formatting
from desktop.ui.style import icon, scale_font, set_property
from procuration.models import RequestStatus

FIELDS = ("proxy", "mandataire", "mandataire_birth", "mandataire_commune", "scope")
# The states in which a proxy can still be cancelled (backend/services/resiliation.py).
IN_FORCE = frozenset({RequestStatus.ESTABLISHED, RequestStatus.ACCEPTED_BY_COMMUNE})


class ResiliationPanel(QFrame):
    def __init__(
        self, today: Callable[[], date] = date.today, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("resiliationPanel")
        self._today = today
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAccessibleName(self.tr("Résiliation de procuration"))
        self.word = QLabel(self.tr("RÉSILIATION"), self)
        self.word.setObjectName("resiliationWord")
        scale_font(self.word, 2.0, bold=True)
        self._icon = QLabel(self)
        side = self.word.fontMetrics().height()
        self._icon.setPixmap(icon("resiliation").pixmap(QSize(side, side)))
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        scale_font(self.explanation, 1.15, bold=True)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.values = {name: self._add_row(form, caption) for name, caption in self._captions()}
        heading = QHBoxLayout()
        heading.addWidget(self._icon)
        heading.addWidget(self.word)
        heading.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        self.hide()

    def _captions(self) -> list[tuple[str, str]]:
        return [
            ("proxy", self.tr("Procuration résiliée")),
            ("mandataire", self.tr("Mandataire")),
            ("mandataire_birth", self.tr("Mandataire né(e) le")),
            ("mandataire_commune", self.tr("Inscrit(e) à")),
            ("scope", self.tr("Portée")),
        ]

    def _add_row(self, form: QFormLayout, caption: str) -> QLabel:
        label = QLabel(caption, self)
        label.setProperty("role", "caption")
        scale_font(label, 1.1)
        value = QLabel(self)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        value.setAccessibleName(caption)
        scale_font(value, 1.25, bold=True)
        label.setBuddy(value)
        form.addRow(label, value)
        return value

    def show_lookup(self, lookup: LookupResult) -> None:
        """Shown for a résiliation, hidden (and emptied) for anything else."""
        request = lookup.response
        if not request.is_resiliation:
            self.clear()
            return
        self.explanation.setText(self._explanation(request))
        for name, text in self._texts(request).items():
            self.values[name].setText(text or formatting.tr("inconnu (hors ligne)"))
            set_property(self.values[name], "unknown", text is None)
        self.show()

    def _explanation(self, request: DisplayedRequest) -> str:
        cancels = request.cancels
        proxy = cancels.reference if cancels else self.tr("inconnue")
        if cancels is not None and cancels.status is not None and cancels.status not in IN_FORCE:
            return self.tr(
                "La procuration %1 n'est plus en vigueur : cette résiliation ne peut pas être "
                "validée. Le mandant n'a rien à faire de plus."
            ).replace("%1", proxy)
        return self.tr(
            "Le mandant demande à mettre fin à la procuration %1. Ce n'est pas une "
            "nouvelle procuration : vérifiez l'identité du mandant comme pour une "
            "validation ; « Valider » résilie la procuration."
        ).replace("%1", proxy)

    def _texts(self, request: DisplayedRequest) -> dict[str, str | None]:
        """Each row's text; None where a QR code read offline does not say."""
        cancels, holder = request.cancels, request.mandataire
        proxy = None
        if cancels is not None:
            state = formatting.status_word(cancels.status) if cancels.status else None
            proxy = cancels.reference + (f" — {state}" if state else "")
        scope = cancels.scope if cancels is not None else request.scope
        return {
            "proxy": proxy,
            "mandataire": f"{holder.birth_name} {holder.first_names}" if holder else None,
            "mandataire_birth": formatting.birth_date_with_age(holder.birth_date, self._today())
            if holder
            else None,
            "mandataire_commune": f"{holder.commune.name} ({holder.commune.insee})"
            if holder
            else None,
            "scope": formatting.scope_text(scope) if scope else None,
        }

    def clear(self) -> None:
        self.explanation.clear()
        for value in self.values.values():
            value.clear()
        self.hide()

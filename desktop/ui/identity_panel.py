"""The mandant's identity, as the officer compares it with the ID document.

Large and readable, and deliberately not selectable: no copy of personal data to the
clipboard, no context menu.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from desktop.services.ports import DisplayedRequest, LookupResult, LookupSource
from desktop.ui import formatting
from desktop.ui.style import scale_font, set_property
from procuration.models import Mandataire

FIELDS = (
    "birth_name",
    "usage_name",
    "first_names",
    "birth_date",
    "birth_place",
    "commune",
    "mandataire",
    "scope",
    "status",
)


class IdentityPanel(QFrame):
    def __init__(
        self, today: Callable[[], date] = date.today, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self._today = today
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAccessibleName(self.tr("Identité du mandant"))
        self._title = QLabel(self.tr("Identité du mandant"), self)
        self._title.setProperty("role", "title")
        scale_font(self._title, 1.2, bold=True)
        self._source = QLabel(self)
        self._source.setProperty("role", "hint")
        self._source.setWordWrap(True)
        self._empty = QLabel(self.tr("Recherchez une référence pour afficher l'identité."), self)
        self._empty.setProperty("role", "hint")
        self._empty.setWordWrap(True)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, QLabel] = {}
        for name, caption in self._captions().items():
            self.values[name] = self._add_row(form, name, caption)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._source)
        layout.addWidget(self._empty)
        layout.addLayout(form)
        layout.addStretch(1)
        self.clear()

    def _captions(self) -> dict[str, str]:
        return {
            "birth_name": self.tr("Nom de naissance"),
            "usage_name": self.tr("Nom d'usage"),
            "first_names": self.tr("Prénoms"),
            "birth_date": self.tr("Né(e) le"),
            "birth_place": self.tr("Lieu de naissance"),
            "commune": self.tr("Commune d'inscription"),
            "mandataire": self.tr("Mandataire"),
            "scope": self.tr("Procuration"),
            "status": self.tr("État de la demande"),
        }

    def _add_row(self, form: QFormLayout, name: str, caption: str) -> QLabel:
        label = QLabel(caption, self)
        label.setProperty("role", "caption")
        scale_font(label, 1.1)
        value = QLabel(self)
        value.setProperty("role", "value")
        value.setObjectName(name)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        value.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        value.setAccessibleName(caption)
        major = name in {"birth_name", "usage_name", "first_names", "birth_date"}
        scale_font(value, 1.6 if major else 1.25, bold=major)
        label.setBuddy(value)
        form.addRow(label, value)
        return value

    def show_lookup(self, lookup: LookupResult) -> None:
        request = lookup.response
        for name, text in self._texts(request).items():
            value = self.values[name]
            value.setText(self.unknown_text() if text is None else text)
            set_property(value, "unknown", text is None)
        if request.mandataire is None and request.partial:
            self.values["mandataire"].setText(self.tr("non disponible hors ligne"))
        if lookup.source is LookupSource.SIGNED_QR:
            self._source.setText(
                self.tr(
                    "Référence %1, lue dans le code QR signé (signature vérifiée hors ligne). "
                    "Le serveur contrôlera l'état de la demande à l'envoi."
                ).replace("%1", request.reference)
            )
        else:
            self._source.setText(self.tr("Référence %1").replace("%1", request.reference))
        self._set_shown(True)
        # A résiliation's panel above already names the mandataire of the proxy it ends.
        self._set_row_shown("mandataire", not request.is_resiliation)

    def unknown_text(self) -> str:
        """What stands for a field the signed QR code does not carry."""
        return self.tr("inconnu (hors ligne)")

    def _texts(self, request: DisplayedRequest) -> dict[str, str | None]:
        """Each row's text; None where the source does not say (shown as unknown)."""
        person = request.identity
        usage_name = person.usage_name or (None if request.partial else "—")
        commune = request.commune
        if commune.name is not None:
            commune_text = f"{commune.name} ({commune.insee})"
        else:
            commune_text = self.tr("Code INSEE %1 (nom inconnu hors ligne)").replace(
                "%1", commune.insee
            )
        return {
            "birth_name": person.birth_name,
            "usage_name": usage_name,
            "first_names": person.first_names,
            "birth_date": formatting.birth_date_with_age(person.birth_date, self._today()),
            "birth_place": person.birth_place,
            "commune": commune_text,
            "mandataire": self._mandataire_text(request),
            "scope": formatting.scope_text(request.scope) if request.scope else None,
            "status": formatting.status_word(request.status) if request.status else None,
        }

    def _mandataire_text(self, request: DisplayedRequest) -> str | None:
        """Who will vote: name and birth date, then commune (two lines: the panel must fit
        beside the camera at 1024×768); None (unknown) when
        a proxy's signed QR code, read offline, does not carry them."""
        holder: Mandataire | None = request.mandataire
        if holder is None:
            return None if request.partial else "—"
        born = self.tr("né(e) le %1").replace(
            "%1", formatting.birth_date_with_age(holder.birth_date, self._today())
        )
        place = f"{holder.commune.name} ({holder.commune.insee})"
        where = self.tr("inscrit(e) à %1").replace("%1", place)
        return f"{holder.birth_name} {holder.first_names}, {born}\n{where}"

    def set_status(self, text: str) -> None:
        """After a decision: the request's state as it now is, not as it was looked up."""
        self.values["status"].setText(text)
        set_property(self.values["status"], "unknown", False)

    def clear(self) -> None:
        for value in self.values.values():
            value.clear()
            set_property(value, "unknown", False)
        self._source.clear()
        self._set_shown(False)

    def is_showing(self) -> bool:
        return not self._empty.isVisibleTo(self)

    def _set_shown(self, shown: bool) -> None:
        self._empty.setVisible(not shown)
        self._source.setVisible(shown)
        for name in self.values:
            self._set_row_shown(name, shown)

    def _set_row_shown(self, name: str, shown: bool) -> None:
        value = self.values[name]
        value.setVisible(shown)
        buddy_label = self._label_for(value)
        if buddy_label is not None:
            buddy_label.setVisible(shown)

    def _label_for(self, value: QLabel) -> QLabel | None:
        for label in self.findChildren(QLabel):
            if label.buddy() is value:
                return label
        return None

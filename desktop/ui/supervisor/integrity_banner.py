"""How the integrity verdict shows: a banner over the view and a stamp over the table.

Word + icon + colour, so the verdict never depends on colour alone. Until the verification
reports, and after it fails, the table itself is marked: a supervisor who only looks at the
rows must not mistake an unverified journal for a verified one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QTableView

from desktop.services.journal_review import IntegrityReport
from desktop.ui.supervisor.labels import integrity_reason
from desktop.ui.supervisor.summary_text import integrity_sentence

PENDING = ("#eef2f7", "#6b7a90")
GOOD = ("#e3f4e6", "#1e7b34")
BAD = ("#fbe3e3", "#b00020")


def _tr(text: str) -> str:
    return QCoreApplication.translate("supervisor", text)


class IntegrityBanner(QFrame):
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

    def _paint(self, pixmap: QStyle.StandardPixmap, text: str, colours: tuple[str, str]) -> None:
        self._icon.setPixmap(self.style().standardIcon(pixmap).pixmap(32, 32))
        self.text.setText(text)
        self.setStyleSheet(
            f"IntegrityBanner {{ background: {colours[0]}; border: 2px solid {colours[1]}; }}"
            "QLabel { color: #111111; background: transparent; }"
        )

    def show_pending(self, text: str) -> None:
        self._paint(QStyle.StandardPixmap.SP_MessageBoxInformation, text, PENDING)

    def show_report(self, report: IntegrityReport) -> None:
        sentence = integrity_sentence(report)
        if report.ok:
            self._paint(QStyle.StandardPixmap.SP_DialogApplyButton, sentence, GOOD)
        else:
            self._paint(QStyle.StandardPixmap.SP_MessageBoxCritical, sentence, BAD)


class TableStamp(QLabel):
    """The line over the table, and the table's frame, saying whether its rows are proven."""

    def __init__(self, table: QTableView, parent: Any = None) -> None:
        super().__init__(parent)
        self._table = table
        self.setWordWrap(True)
        self.hide()

    def _stamp(self, text: str, colours: tuple[str, str], table_style: str) -> None:
        self.setText(text)
        self.setStyleSheet(
            f"QLabel {{ background: {colours[0]}; color: {colours[1]}; font-weight: bold;"
            f" border: 1px solid {colours[1]}; padding: 4px; }}"
        )
        self._table.setStyleSheet(table_style)
        self.setVisible(bool(text))

    def show_pending(self) -> None:
        self._stamp(
            _tr("Vérification en cours… ces entrées ne sont pas encore garanties."),
            PENDING,
            f"QTableView {{ border: 2px dashed {PENDING[1]}; }}",
        )

    def show_report(self, report: IntegrityReport) -> None:
        if report.ok:
            self._stamp("", GOOD, "")
            return
        where = (
            _tr(" (première entrée en cause : n° {n})").format(n=report.bad_seq)
            if report.bad_seq is not None
            else ""
        )
        self._stamp(
            _tr("NON VÉRIFIÉ — ces entrées ne sont pas garanties : {reason}{where}").format(
                reason=integrity_reason(report.reason), where=where
            ),
            BAD,
            f"QTableView {{ border: 3px solid {BAD[1]}; background: #fff4f4;"
            f" alternate-background-color: {BAD[0]}; }}",
        )

    def clear(self) -> None:
        self._stamp("", PENDING, "")

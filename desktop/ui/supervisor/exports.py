"""The CSV export of the rows shown, built from the model's display columns.

The table already holds every cell as a French string; the export picks the shown rows out
of those arrays instead of formatting 100,000 entries a second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.services.journal_export import write_csv
from desktop.services.journal_review import DayReview
from desktop.ui.supervisor.model import JournalTableModel
from desktop.ui.supervisor.summary_text import integrity_sentence

CSV_HEADERS = ("N°", "Date et heure", "Agent", "Action", "Référence", "Résultat", "Anomalies")


def _tr(text: str) -> str:
    return QCoreApplication.translate("supervisor", text)


def save_dialog(parent: QWidget, title: str, name: str, kind: str) -> QFileDialog:
    """Qt's own save dialog, not the system's: Qt's is translated by `qtbase_fr`, where a
    system dialog follows the PC's language (English on an English install)."""
    dialog = QFileDialog(parent, title, name, kind)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.selectFile(name)
    return dialog


def ask_save_path(parent: QWidget, title: str, name: str, kind: str) -> Path | None:
    dialog = save_dialog(parent, title, name, kind)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])


def integrity_line(review: DayReview) -> str:
    if review.integrity is None:
        return _tr("NON VÉRIFIÉ — vérification non terminée")
    sentence = integrity_sentence(review.integrity)
    return sentence if review.integrity.ok else _tr("NON VÉRIFIÉ — {s}").format(s=sentence)


def export_csv(
    path: Path, review: DayReview, model: JournalTableModel, rows: Sequence[int]
) -> None:
    """Writes the shown `rows` (source rows, in the order shown) with a verdict preamble."""
    day = review.day.isoformat() + " "
    seqs = model.seqs
    columns = [[column[row] for row in rows] for column in model.columns]
    columns[0] = [day + clock for clock in columns[0]]
    preamble = [
        [_tr("Journal du poste"), review.station, review.day.strftime("%d/%m/%Y")],
        [_tr("Intégrité"), integrity_line(review)],
        [_tr("Entrées exportées"), str(len(rows)), _tr("sur"), str(len(seqs))],
    ]
    write_csv(
        path,
        zip([seqs[row] for row in rows], *columns, strict=True),
        headers=[_tr(header) for header in CSV_HEADERS],
        preamble=preamble,
    )

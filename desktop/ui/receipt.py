"""The voter's receipt ("récépissé") after a validation: one drawing for the PDF and the printer.

It says what the voter may need to show later (the reference, when, where, by whom, and
that the proxy went to the commune or waits to be sent) and nothing the voter does not
already know: no name, no birth date, no commune of registration — a receipt may be lost
(docs/decisions.md, "The voter's receipt names nobody but the officer").

A5 portrait: a counter printer holds A4, and half a sheet is what a voter pockets.
The text is laid out by QTextDocument, as the supervisor's report (report.py) does.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from desktop.services.ports import DeliveryState, SubmitOutcome
from procuration.models import OfficerInfo

PARIS = ZoneInfo("Europe/Paris")  # the receipt reads as the counter's clock, wherever it prints
PAGE = QPageSize.PageSizeId.A5
MARGINS_MM = QMarginsF(15, 15, 15, 15)


def _tr(text: str) -> str:
    return QCoreApplication.translate("receipt", text)


@dataclass(frozen=True)
class Receipt:
    reference: str
    at: datetime  # aware: when the validation was signed on this PC
    station: str  # the unit, as the officer's profile names it
    officer_grade: str
    officer_name: str
    state: DeliveryState  # TRANSMITTED or PENDING; a refusal gets no receipt

    def local_at(self) -> datetime:
        return self.at.astimezone(PARIS)


def receipt_for(outcome: SubmitOutcome, officer: OfficerInfo, at: datetime) -> Receipt:
    return Receipt(
        reference=outcome.reference,
        at=at,
        station=officer.station or _tr("Unité non renseignée"),
        officer_grade=officer.grade,
        officer_name=officer.name,
        state=outcome.state,
    )


def statement(receipt: Receipt) -> str:
    if receipt.state is DeliveryState.TRANSMITTED:
        return _tr(
            "Votre procuration a été validée au guichet et transmise à la mairie de votre "
            "commune d'inscription. Vous pouvez en suivre l'état sur maprocuration.gouv.fr."
        )
    return _tr(
        "Votre procuration a été validée au guichet. Le réseau étant indisponible, elle "
        "est enregistrée sur ce poste et sera transmise à la mairie de votre commune "
        "d'inscription dès le retour de la connexion, sans autre démarche de votre part. "
        "Vous pouvez en suivre l'état sur maprocuration.gouv.fr."
    )


def receipt_html(receipt: Receipt) -> str:
    esc = html.escape
    moment = receipt.local_at()
    rows = (
        (_tr("Référence de la demande"), f"<b><tt>{esc(receipt.reference)}</tt></b>"),
        (_tr("Date"), esc(moment.strftime("%d/%m/%Y"))),
        (_tr("Heure"), esc(moment.strftime("%H:%M")) + " " + esc(_tr("(heure de Paris)"))),
        (_tr("Unité"), esc(receipt.station)),
        (_tr("Validée par"), esc(f"{receipt.officer_grade} {receipt.officer_name}")),
    )
    table = "".join(
        f'<tr><td width="45%">{esc(label)}</td><td>{value}</td></tr>' for label, value in rows
    )
    return (
        f"<h2>{esc(_tr('Récépissé de validation de procuration'))}</h2>"
        f'<table cellpadding="4" width="100%">{table}</table>'
        f"<p>{esc(statement(receipt))}</p>"
        f"<p><i>{esc(_tr('Conservez ce récépissé : la référence suffit pour toute question.'))}"
        "</i></p>"
        f"<p><small>{esc(_tr('Document établi par le guichet Maprocuration.'))}</small></p>"
    )


def render_receipt(device: QPagedPaintDevice, receipt: Receipt) -> None:
    """Draws the receipt on one page of `device` (a QPdfWriter or a QPrinter)."""
    painter = QPainter(device)
    try:
        page = QRectF(painter.viewport())
        document = QTextDocument()
        # 11 pt at the device's resolution: readable at arm's length, on A5 or A4.
        document.setDefaultFont(QFont(painter.font().family(), 11))
        document.setHtml(receipt_html(receipt))
        document.setPageSize(page.size())
        document.drawContents(painter, QRectF(0, 0, page.width(), page.height()))
    finally:
        painter.end()


def _set_layout(device: QPagedPaintDevice) -> None:
    device.setPageLayout(
        QPageLayout(
            QPageSize(PAGE),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )


def write_receipt_pdf(path: Path, receipt: Receipt) -> None:
    writer = QPdfWriter(str(path))
    writer.setTitle(f"Récépissé {receipt.reference}")
    writer.setCreator("Guichet Maprocuration")
    writer.setResolution(150)
    _set_layout(writer)
    render_receipt(writer, receipt)


# (parent, printer set up for the receipt, the receipt's PDF) → print it?
AskPrint = Callable[[QWidget, QPrinter, Path], bool]


def ask_print(parent: QWidget, printer: QPrinter, _pdf: Path) -> bool:
    """The system's print dialog: a printer, or "print to file" to save the PDF elsewhere."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_tr("Imprimer le récépissé"))
    return dialog.exec() == QDialog.DialogCode.Accepted


def print_receipt(parent: QWidget, receipt: Receipt, ask: AskPrint = ask_print) -> bool:
    """Writes the receipt's PDF to a temporary file, offers the print dialog, prints on
    the chosen printer (or file). The temporary PDF is deleted afterwards: it is the
    voter's paper, not the counter's archive. True if printed."""
    with tempfile.TemporaryDirectory(prefix="recepisse-") as directory:
        pdf = Path(directory) / f"recepisse-{receipt.reference}.pdf"
        write_receipt_pdf(pdf, receipt)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"Récépissé {receipt.reference}")
        _set_layout(printer)
        if not ask(parent, printer, pdf):
            return False
        render_receipt(printer, receipt)
        return True

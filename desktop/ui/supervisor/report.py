"""The day's report for the PDF writer and the printer: one drawing for both devices.

Page 1 is rich text (header, totals, integrity, anomalies, chart) laid out by QTextDocument;
the table follows, drawn row by row with QPainter because a QTextDocument table of 100,000
rows takes minutes to lay out.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSize, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from desktop.services.anomalies import ReviewEntry
from desktop.services.journal_review import DayReview
from desktop.ui.supervisor.chart import chart_image
from desktop.ui.supervisor.labels import action_label, anomaly_text, outcome_label, rule_label
from desktop.ui.supervisor.summary_text import integrity_sentence, totals_lines

COLUMNS = (0.0, 0.08, 0.18, 0.42, 0.52, 0.70)  # left edge of each column, share of the width


def _tr(text: str) -> str:
    return QCoreApplication.translate("supervisor", text)


def _first_page_html(review: DayReview, supervisor: str) -> str:
    esc = html.escape
    integrity = review.integrity
    signature = _tr("valide") if integrity.ok else _tr("non vérifiée")
    anomalies = "".join(f"<li>{esc(anomaly_text(a))}</li>" for a in review.anomalies)
    totals = "".join(f"<li>{esc(line)}</li>" for line in totals_lines(review.summary))
    return (
        f"<h2>{esc(_tr('Journal du poste'))} {esc(review.station)} — "
        f"{review.day.strftime('%d/%m/%Y')}</h2>"
        f"<p>{esc(_tr('Chef de poste'))} : {esc(supervisor)}<br/>"
        f"{esc(_tr('Rapport établi le'))} {datetime.now().strftime('%d/%m/%Y à %H:%M')}</p>"
        f"<h3>{esc(_tr('Intégrité'))}</h3><p><b>{esc(integrity_sentence(integrity))}</b><br/>"
        f"{esc(_tr('Empreinte de tête signée'))} : <tt>{esc(integrity.head or '—')}</tt><br/>"
        f"{esc(_tr('Signature du point de contrôle'))} : {esc(signature)}</p>"
        f"<h3>{esc(_tr('Totaux'))}</h3><ul>{totals}</ul>"
        f"<h3>{esc(_tr('Anomalies'))}</h3>"
        f"<ul>{anomalies or '<li>' + esc(_tr('Aucune anomalie.')) + '</li>'}</ul>"
        f'<p><img src="chart.png" width="480"/></p>'
    )


def _draw_first_page(painter: QPainter, page: QRectF, review: DayReview, supervisor: str) -> None:
    document = QTextDocument()
    document.setDefaultFont(QFont(painter.font().family(), 9))
    document.addResource(
        QTextDocument.ResourceType.ImageResource,
        QUrl("chart.png"),
        chart_image(review.summary, QSize(640, 440)),
    )
    document.setHtml(_first_page_html(review, supervisor))
    document.setPageSize(page.size())
    painter.save()
    painter.translate(page.topLeft())
    document.drawContents(painter, QRectF(0, 0, page.width(), page.height()))
    painter.restore()


def _row_cells(entry: ReviewEntry, review: DayReview) -> tuple[str, ...]:
    flags = ", ".join(rule_label(rule) for rule in review.flags.get(entry.seq, ()))
    return (
        entry.at.strftime("%H:%M:%S"),
        entry.actor,
        action_label(entry.kind),
        entry.reference,
        outcome_label(entry.outcome),
        flags,
    )


def _draw_rows(painter: QPainter, page: QRectF, y: float, cells: Sequence[str]) -> None:
    # drawText(QPointF, str): the QRectF overload leaks a reference to None in PySide 6.12,
    # which aborts the interpreter after ~100,000 rows ("none_dealloc").
    metrics = painter.fontMetrics()
    edges = [*COLUMNS, 1.0]
    baseline = y + metrics.ascent()
    for i, text in enumerate(cells):
        width = int((edges[i + 1] - edges[i]) * page.width()) - 4
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QPointF(page.left() + edges[i] * page.width(), baseline), elided)


def _set_bold(painter: QPainter, bold: bool) -> None:
    font = painter.font()
    font.setBold(bold)
    painter.setFont(font)


def render_report(
    device: QPagedPaintDevice, review: DayReview, supervisor: str, entries: Sequence[ReviewEntry]
) -> None:
    painter = QPainter(device)
    try:
        page = QRectF(painter.viewport())
        painter.setFont(QFont(painter.font().family(), 8))
        _draw_first_page(painter, page, review, supervisor)
        headers = [
            _tr(t) for t in ("Heure", "Agent", "Action", "Référence", "Résultat", "Anomalies")
        ]
        line = painter.fontMetrics().height() * 1.25
        rows_per_page = max(1, int(page.height() // line) - 2)
        for start in range(0, len(entries), rows_per_page):
            device.newPage()
            _set_bold(painter, True)
            _draw_rows(painter, page, page.top(), headers)
            _set_bold(painter, False)
            for n, entry in enumerate(entries[start : start + rows_per_page], start=1):
                _draw_rows(painter, page, page.top() + n * line, _row_cells(entry, review))
    finally:
        painter.end()


def write_pdf(
    path: Path, review: DayReview, supervisor: str, entries: Sequence[ReviewEntry]
) -> None:
    writer = QPdfWriter(str(path))
    writer.setTitle(f"Journal {review.station} {review.day.isoformat()}")
    writer.setCreator("Guichet Maprocuration")
    writer.setResolution(150)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    render_report(writer, review, supervisor, entries)

"""The day's report for the PDF writer and the printer: one drawing for both devices.

What it holds, and why not every entry: a busy day is 100,000 entries, 2,000 pages that no
commander reads or signs. The report is what the day is judged on: the summary page
(integrity verdict and signed head hash, totals, anomalies), the chart, then one line per
officer, then every entry a rule flagged (up to MAX_FLAGGED), then the first MAX_ROWS entries
of the selection shown on screen (filter the view to print another selection). The first
page says so with the counts; the complete list is the CSV export, and the signed journal
itself is the proof, identified by the head hash the report prints.

Page 1 is rich text laid out by QTextDocument; the tables are drawn row by row with QPainter
(a QTextDocument table of thousands of rows takes long to lay out).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from desktop.services.anomalies import ReviewEntry, officer_activity
from desktop.services.journal_review import PARIS, DayReview
from desktop.ui.supervisor.chart import chart_image
from desktop.ui.supervisor.labels import action_label, anomaly_text, outcome_label, rule_label
from desktop.ui.supervisor.summary_text import (
    integrity_sentence,
    named_summary,
    totals_lines,
    unverified_warning,
)

COLUMNS = (0.0, 0.08, 0.18, 0.42, 0.52, 0.70)  # left edge of each column, share of the width
OFFICER_COLUMNS = (0.0, 0.25, 0.40, 0.55, 0.70)
MAX_ROWS = 1_000  # about 20 pages in landscape A4
MAX_FLAGGED = 500
MAX_ANOMALIES_LISTED = 12  # what fits on page 1 beside the totals
BODY_PT = 10  # first page; true points on paper (the layout measures on the PDF itself)
TABLE_PT = 9  # table pages: landscape A4 holds six columns at this size
CHART = QSize(1500, 900)  # 25 x 15 cm at CHART_DPI: a page of its own
CHART_DPI = 150  # the PDF's resolution


def _tr(text: str) -> str:
    return QCoreApplication.translate("supervisor", text)


def _contents_note(review: DayReview, shown: int) -> str:
    flagged = len(review.flags)
    return _tr(
        "Contenu : synthèse, activité par agent, entrées signalées par les règles "
        "({flagged}{flag_cap}) et les {rows} premières entrées de la sélection affichée "
        "({shown} au total). La liste complète est dans l'export CSV ; le journal signé, "
        "identifié par l'empreinte ci-dessus, fait foi."
    ).format(
        flagged=flagged,
        flag_cap=_tr(", {n} imprimées").format(n=MAX_FLAGGED) if flagged > MAX_FLAGGED else "",
        rows=min(shown, MAX_ROWS),
        shown=shown,
    )


def _first_page_html(review: DayReview, supervisor: str, contents: str) -> str:
    esc = html.escape
    integrity = review.integrity
    verdict = integrity_sentence(integrity) if integrity else _tr("vérification non terminée")
    if not review.verified:
        verdict = _tr("NON VÉRIFIÉ — {v}").format(v=verdict)
    signature = _tr("valide") if review.verified else _tr("non vérifiée")
    head = integrity.head if integrity and integrity.head else "—"
    colour = "#1e7b34" if review.verified else "#b00020"
    listed = review.anomalies[:MAX_ANOMALIES_LISTED]
    anomalies = "".join(f"<li>{esc(anomaly_text(a, review.officer))}</li>" for a in listed)
    if len(review.anomalies) > len(listed):
        more = _tr("… et {n} autres : voir les entrées signalées").format(
            n=len(review.anomalies) - len(listed)
        )
        anomalies += f"<li>{esc(more)}</li>"
    totals = "".join(f"<li>{esc(line)}</li>" for line in totals_lines(review.summary))
    warning = unverified_warning(review)
    if warning:  # the totals are not presented as trustworthy
        totals = f'<li><b><font color="#b00020">{esc(warning)}</font></b></li>{totals}'
    made = datetime.now(PARIS).strftime("%d/%m/%Y à %H:%M")
    return (
        f"<h2>{esc(_tr('Journal du poste'))} {esc(review.station)} — "
        f"{review.day.strftime('%d/%m/%Y')}</h2>"
        f"<p>{esc(_tr('Chef de poste'))} : {esc(supervisor)}<br/>"
        f"{esc(_tr('Rapport établi le'))} {made}</p>"
        f"<h3>{esc(_tr('Intégrité'))}</h3>"
        f'<p><b><font color="{colour}">{esc(verdict)}</font></b><br/>'
        f"{esc(_tr('Empreinte de tête signée'))} : <tt>{esc(head)}</tt><br/>"
        f"{esc(_tr('Signature du point de contrôle'))} : {esc(signature)}</p>"
        f"<p><i>{esc(contents)}</i></p>"
        f"<h3>{esc(_tr('Totaux'))}</h3><ul>{totals}</ul>"
        f"<h3>{esc(_tr('Anomalies'))}</h3>"
        f"<ul>{anomalies or '<li>' + esc(_tr('Aucune anomalie.')) + '</li>'}</ul>"
    )


def _draw_first_page(
    painter: QPainter, page: QRectF, review: DayReview, supervisor: str, contents: str
) -> None:
    document = QTextDocument()
    # Laid out on the PDF itself: laid out for the screen (96 dpi) and drawn at 150 dpi,
    # a 9 pt font came out about 6 pt on paper.
    document.documentLayout().setPaintDevice(painter.device())
    document.setDefaultFont(QFont(painter.font().family(), BODY_PT))
    document.setHtml(_first_page_html(review, supervisor, contents))
    document.setPageSize(page.size())
    painter.save()
    painter.translate(page.topLeft())
    document.drawContents(painter, QRectF(0, 0, page.width(), page.height()))
    painter.restore()


def _draw_chart_page(
    painter: QPainter, device: QPagedPaintDevice, page: QRectF, running: str, review: DayReview
) -> None:
    """The chart on a page of its own, its text at true size on any device's resolution."""
    device.newPage()
    line = painter.fontMetrics().height() * 1.25
    _set_bold(painter, True)
    _draw_rows(painter, page, page.top(), [running], (0.0,))
    _set_bold(painter, False)
    image = chart_image(named_summary(review), CHART, unverified_warning(review), CHART_DPI)
    room = page.height() - 2 * line
    scale = min(
        device.logicalDpiX() / CHART_DPI, page.width() / CHART.width(), room / CHART.height()
    )
    target = QRectF(
        page.left(), page.top() + 2 * line, CHART.width() * scale, CHART.height() * scale
    )
    painter.drawImage(target, image)


def _row_cells(entry: ReviewEntry, review: DayReview) -> tuple[str, ...]:
    flags = ", ".join(rule_label(rule) for rule in review.flags.get(entry.seq, ()))
    return (
        entry.at.strftime("%H:%M:%S"),
        review.officer(entry.actor),
        action_label(entry.kind),
        entry.reference,
        outcome_label(entry.outcome),
        flags,
    )


def _draw_rows(
    painter: QPainter, page: QRectF, y: float, cells: Sequence[str], edges: Sequence[float]
) -> None:
    # drawText(QPointF, str): the QRectF overload leaks a reference to None in PySide 6.12,
    # which aborts the interpreter after ~100,000 rows ("none_dealloc").
    metrics = painter.fontMetrics()
    bounds = [*edges, 1.0]
    baseline = y + metrics.ascent()
    for i, text in enumerate(cells):
        width = int((bounds[i + 1] - bounds[i]) * page.width()) - 4
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QPointF(page.left() + bounds[i] * page.width(), baseline), elided)


def _set_bold(painter: QPainter, bold: bool) -> None:
    font = painter.font()
    font.setBold(bold)
    painter.setFont(font)


@dataclass(frozen=True)
class _Table:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    edges: Sequence[float] = COLUMNS


def _draw_table(
    painter: QPainter, device: QPagedPaintDevice, page: QRectF, running: str, table: _Table
) -> None:
    """The table on new pages, each headed by `running` (station, day, verdict) and the
    table's title and column headers."""
    line = painter.fontMetrics().height() * 1.25
    rows_per_page = max(1, int(page.height() // line) - 3)
    for start in range(0, max(1, len(table.rows)), rows_per_page):
        device.newPage()
        _set_bold(painter, True)
        _draw_rows(painter, page, page.top(), [running], (0.0,))
        _draw_rows(painter, page, page.top() + line, [table.title], (0.0,))
        _draw_rows(painter, page, page.top() + 2 * line, table.headers, table.edges)
        _set_bold(painter, False)
        for n, cells in enumerate(table.rows[start : start + rows_per_page], start=3):
            _draw_rows(painter, page, page.top() + n * line, cells, table.edges)


def _tables(review: DayReview, entries: Sequence[ReviewEntry]) -> list[_Table]:
    headers = [_tr(t) for t in ("Heure", "Agent", "Action", "Référence", "Résultat", "Anomalies")]
    officers = [
        (
            review.officer(a.officer),
            str(a.lookups),
            str(a.validated),
            str(a.refused),
            str(a.flagged),
        )
        for a in officer_activity(review.entries, review.flags)
    ]
    flagged = [e for e in review.entries if e.seq in review.flags][:MAX_FLAGGED]
    return [
        _Table(
            _tr("Activité par agent"),
            [_tr(t) for t in ("Agent", "Consultations", "Validations", "Refus", "Signalées")],
            officers,
            OFFICER_COLUMNS,
        ),
        _Table(
            _tr("Entrées signalées par les règles : {n} premières sur {total}").format(
                n=len(flagged), total=len(review.flags)
            ),
            headers,
            [_row_cells(entry, review) for entry in flagged],
        ),
        _Table(
            _tr("Entrées de la sélection affichée : {n} premières sur {total}").format(
                n=min(len(entries), MAX_ROWS), total=len(entries)
            ),
            headers,
            [_row_cells(entry, review) for entry in entries[:MAX_ROWS]],
        ),
    ]


def render_report(
    device: QPagedPaintDevice, review: DayReview, supervisor: str, entries: Sequence[ReviewEntry]
) -> None:
    """`entries`: the selection shown on screen, in its order."""
    verdict = _tr("intègre") if review.verified else _tr("NON VÉRIFIÉ")
    running = f"{review.station} — {review.day.strftime('%d/%m/%Y')} — {verdict}"
    painter = QPainter(device)
    try:
        page = QRectF(painter.viewport())
        painter.setFont(QFont(painter.font().family(), TABLE_PT))
        _draw_first_page(painter, page, review, supervisor, _contents_note(review, len(entries)))
        _draw_chart_page(painter, device, page, running, review)
        for table in _tables(review, entries):
            _draw_table(painter, device, page, running, table)
    finally:
        painter.end()


def write_pdf(
    path: Path, review: DayReview, supervisor: str, entries: Sequence[ReviewEntry]
) -> None:
    writer = QPdfWriter(str(path))
    writer.setTitle(f"Journal {review.station} {review.day.isoformat()}")
    writer.setCreator("Guichet Maprocuration")
    writer.setResolution(CHART_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    render_report(writer, review, supervisor, entries)

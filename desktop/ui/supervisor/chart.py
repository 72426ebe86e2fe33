"""Validations per hour and per officer, drawn with QPainter (the same drawing for the
screen and for the PDF report)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.services.anomalies import DaySummary

BAR = QColor("#1f4e8c")
TEXT = QColor("#1a1a1a")
GRID = QColor("#c8c8c8")
WARNING = QColor("#b00020")
MAX_OFFICERS = 8


def _tr(text: str) -> str:
    return QCoreApplication.translate("supervisor", text)


def _hours_shown(by_hour: tuple[int, ...]) -> range:
    """Opening hours at least, widened to any hour that saw a validation."""
    busy = [hour for hour, count in enumerate(by_hour) if count]
    return range(min([7, *busy]), max([20, *busy]) + 1)


def _title(painter: QPainter, rect: QRectF, text: str) -> None:
    font = QFont(painter.font())
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text)
    font.setBold(False)
    painter.setFont(font)


def paint_per_hour(painter: QPainter, rect: QRectF, summary: DaySummary) -> None:
    line = painter.fontMetrics().height()
    _title(painter, rect, _tr("Validations par heure"))
    hours = _hours_shown(summary.validations_by_hour)
    top, bottom = rect.top() + line * 2.4, rect.bottom() - line * 1.3
    peak = max((summary.validations_by_hour[h] for h in hours), default=0) or 1
    step = rect.width() / len(hours)
    for i, hour in enumerate(hours):
        count = summary.validations_by_hour[hour]
        height = (bottom - top) * count / peak
        left = rect.left() + i * step
        painter.fillRect(QRectF(left + step * 0.15, bottom - height, step * 0.7, height), BAR)
        if count:
            label_rect = QRectF(left - 4, bottom - height - line, step + 8, line)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, str(count))
        if i % 2 == 0:
            painter.drawText(
                QRectF(left - 4, bottom + 2, step + 8, line),
                Qt.AlignmentFlag.AlignCenter,
                f"{hour}h",
            )
    painter.setPen(GRID)
    painter.drawLine(QPointF(rect.left(), bottom), QPointF(rect.right(), bottom))
    painter.setPen(TEXT)


def paint_per_officer(painter: QPainter, rect: QRectF, summary: DaySummary) -> None:
    line = painter.fontMetrics().height()
    _title(painter, rect, _tr("Validations par agent"))
    officers = list(summary.validations_by_officer.items())[:MAX_OFFICERS]
    if not officers:
        painter.drawText(rect.adjusted(0, line * 1.5, 0, 0), _tr("Aucune validation ce jour."))
        return
    metrics = painter.fontMetrics()
    widest = max(metrics.horizontalAdvance(name) for name, _ in officers) + 8
    label_width = min(widest, rect.width() * 0.5)  # long names are elided, bars stay readable
    peak = officers[0][1] or 1
    row = min(line * 1.5, (rect.height() - line * 1.5) / len(officers))
    bar_space = rect.width() - label_width - painter.fontMetrics().horizontalAdvance("0000") - 8
    for i, (officer, count) in enumerate(officers):
        y = rect.top() + line * 1.5 + i * row
        painter.drawText(
            QRectF(rect.left(), y, label_width, row),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(officer, Qt.TextElideMode.ElideRight, int(label_width) - 8),
        )
        width = bar_space * count / peak
        painter.fillRect(QRectF(rect.left() + label_width, y + row * 0.2, width, row * 0.6), BAR)
        painter.drawText(
            QRectF(rect.left() + label_width + width + 4, y, 60, row),
            Qt.AlignmentFlag.AlignVCenter,
            str(count),
        )


def paint_chart(painter: QPainter, rect: QRectF, summary: DaySummary) -> None:
    painter.setPen(TEXT)
    half = rect.height() / 2
    paint_per_hour(painter, QRectF(rect.left(), rect.top(), rect.width(), half - 6), summary)
    paint_per_officer(
        painter, QRectF(rect.left(), rect.top() + half + 6, rect.width(), half - 6), summary
    )


def paint_warning(painter: QPainter, rect: QRectF, warning: str) -> None:
    """Over a chart whose journal is not verified: a red frame and a red band saying so,
    across the bars, so that the figures cannot be read as trustworthy."""
    if not warning:
        return
    painter.save()
    painter.setPen(WARNING)
    painter.drawRect(rect.adjusted(1, 1, -1, -1))
    font = QFont(painter.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.3)
    painter.setFont(font)
    height = painter.fontMetrics().height() * 1.8
    band = QRectF(rect.left(), rect.center().y() - height / 2, rect.width(), height)
    painter.fillRect(band, QColor(255, 235, 238, 235))
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, warning)
    painter.restore()


def chart_image(summary: DaySummary, size: QSize, warning: str = "", dpi: int = 96) -> QImage:
    """The chart as an image whose fonts are true points at `dpi` (the PDF's resolution)."""
    image = QImage(size, QImage.Format.Format_ARGB32)
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    area = QRectF(8, 8, size.width() - 16, size.height() - 16)
    paint_chart(painter, area, summary)
    paint_warning(painter, area, warning)
    painter.end()
    return image


class ValidationsChart(QWidget):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._summary = DaySummary()
        self.warning = ""  # shown across the bars while the journal is not verified
        self.setMinimumSize(260, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(_tr("Graphique des validations par heure et par agent"))

    def set_summary(self, summary: DaySummary) -> None:
        self._summary = summary
        self.update()

    def set_warning(self, warning: str) -> None:
        self.warning = warning
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        area = QRectF(self.rect()).adjusted(8, 8, -8, -8)
        paint_chart(painter, area, self._summary)
        paint_warning(painter, area, self.warning)
        painter.end()

"""The sentences of the totals panel and of the integrity banner, shared by view and PDF."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication

from desktop.services.anomalies import DaySummary
from desktop.services.journal_review import DayReview, IntegrityReport
from desktop.ui.supervisor.labels import integrity_reason


def _tr(text: str) -> str:
    return QCoreApplication.translate("supervisor", text)


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60:02d}" if hours else f"{max(1, rest // 60)} min"


def totals_lines(summary: DaySummary) -> list[str]:
    lines = [
        _tr("Procurations validées : {n}").format(n=summary.validated),
        _tr("Résiliations validées : {n}").format(n=summary.resiliations),
        _tr("Refus : {n}").format(n=summary.refused),
        _tr("Consultations sans suite : {n}").format(n=summary.consulted_without_outcome),
    ]
    if summary.late:
        longest = max(late.delay_s for late in summary.late)
        lines.append(
            _tr("Validations hors ligne arrivées en retard : {n} (jusqu'à {delay})").format(
                n=len(summary.late), delay=_duration(longest)
            )
        )
    else:
        lines.append(_tr("Validations hors ligne arrivées en retard : 0"))
    return lines


def integrity_sentence(report: IntegrityReport) -> str:
    if report.ok:
        signed = report.signed_at.strftime("%H:%M") if report.signed_at else "?"
        return _tr("Journal intègre jusqu'à l'entrée {n}, signé à {at}").format(
            n=report.signed_up_to, at=signed
        )
    where = (
        _tr(" — première entrée en cause : n° {n}").format(n=report.bad_seq)
        if report.bad_seq is not None
        else ""
    )
    return _tr("Journal NON intègre : {reason}{where}").format(
        reason=integrity_reason(report.reason), where=where
    )


def named_summary(review: DayReview) -> DaySummary:
    """The day's totals with each officer named (the chart's per-officer bars)."""
    by_officer = review.summary.validations_by_officer
    return replace(
        review.summary,
        validations_by_officer={review.officer(m): n for m, n in by_officer.items()},
    )


def unverified_warning(review: DayReview) -> str:
    """What the totals and the chart carry until the journal is verified intact ("" then)."""
    if review.verified:
        return ""
    if review.integrity is None:
        return _tr("Chiffres provisoires : vérification du journal en cours")
    return _tr("NON VÉRIFIÉ : ces chiffres ne sont pas garantis")

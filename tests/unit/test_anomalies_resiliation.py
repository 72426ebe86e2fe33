"""The supervisor's rules know a résiliation: checked at the counter like a validation, so
watched like one (out of hours, refusal bursts, snooping), and counted apart in the totals."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from desktop.services.anomalies import (
    AnomalyRules,
    Rule,
    detect_anomalies,
    officer_activity,
    summarise,
    to_review_entries,
)
from procuration.wire import JournalKind

DAY = date(2026, 6, 12)


def _entry(seq: int, hour: int, kind: JournalKind, **detail: Any) -> dict[str, Any]:
    at = datetime.combine(DAY, time(hour, seq % 60), UTC)
    return {
        "seq": seq,
        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kind": kind.value,
        "actor": "100001",
        "station": "PN-75-001",
        "reference": f"R{seq:05d}",
        "detail": detail,
    }


def _entries(*raw: dict[str, Any]) -> Any:
    return to_review_entries(raw, DAY, UTC)


def test_a_resiliation_at_three_in_the_morning_is_out_of_hours() -> None:
    entries = _entries(_entry(1, 3, JournalKind.RESILIATION_VALIDATED, delay_s=5))
    found = detect_anomalies(entries, AnomalyRules())
    assert [a.rule for a in found] == [Rule.OUT_OF_HOURS]
    assert entries[0].outcome == "validated"


def test_refused_resiliations_make_a_refusal_burst() -> None:
    raw = [
        _entry(n, 10, JournalKind.RESILIATION_REFUSED, refusal_reason="not-the-mandant")
        for n in range(1, 6)
    ]
    entries = _entries(*raw)
    assert [a.rule for a in detect_anomalies(entries, AnomalyRules())] == [Rule.REFUSAL_BURST]
    assert {e.outcome for e in entries} == {"not-the-mandant"}


def test_an_officer_who_validates_resiliations_is_not_snooping() -> None:
    lookups = [_entry(n, 10, JournalKind.REQUEST_LOOKUP, status="submitted") for n in range(12)]
    entries = _entries(*lookups, _entry(20, 11, JournalKind.RESILIATION_VALIDATED))
    assert detect_anomalies(entries, AnomalyRules()) == []


def test_totals_count_resiliations_apart_from_proxies() -> None:
    entries = _entries(
        _entry(1, 10, JournalKind.VALIDATION_VALIDATED),
        _entry(2, 10, JournalKind.RESILIATION_VALIDATED),
        _entry(3, 10, JournalKind.RESILIATION_REFUSED, refusal_reason="other"),
    )
    summary = summarise(entries)
    assert (summary.validated, summary.resiliations, summary.refused) == (1, 1, 1)
    (line,) = officer_activity(entries, {})
    assert (line.validated, line.refused) == (2, 1)

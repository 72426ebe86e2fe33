"""What the supervisor reads at a glance: the day's entries, its totals and its anomalies.

Pure functions over already verified journal entries; nothing here touches the network or
Qt. Every anomaly names the rule that raised it and the threshold in force, so the view can
say why a line is flagged.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from enum import StrEnum
from typing import Any

LOOKUP_KINDS = frozenset({"request.lookup", "request.lookup_unknown"})
VALIDATED = "validation.validated"
REFUSED = "validation.refused"


class Rule(StrEnum):
    SNOOPING = "snooping"  # many lookups, no validation
    OUT_OF_HOURS = "out-of-hours"  # a validation outside opening hours
    REPEATED_REFERENCE = "repeated-reference"  # one reference consulted again and again
    REFUSAL_BURST = "refusal-burst"  # many refusals in a short window


@dataclass(frozen=True)
class AnomalyRules:
    """Each rule's threshold; the settings dialog edits these.

    A supervisor only receives their station's chain, so "the same reference consulted from
    several stations" cannot be seen from here: the rule watches the same reference consulted
    `repeated_reference_lookups` times at this station, or by `repeated_reference_officers`
    different officers, which is what a reference passed around the station looks like.
    """

    snooping_lookups: int = 10
    opening: time = time(8, 0)
    closing: time = time(19, 0)
    repeated_reference_lookups: int = 3
    repeated_reference_officers: int = 2
    refusal_burst: int = 5
    refusal_window_minutes: int = 30


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One journal entry as the supervisor sees it (no personal data: references only)."""

    seq: int
    at: datetime  # local time of the station
    kind: str
    actor: str
    reference: str
    outcome: str  # a stable code: the status seen, "validated", the refusal reason...
    delay_s: int | None = None
    offline: bool = False


@dataclass(frozen=True)
class Anomaly:
    rule: Rule
    seqs: tuple[int, ...]  # the entries that raised it
    at: datetime
    threshold: int
    count: int
    officer: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class LateValidation:
    seq: int
    reference: str
    officer: str
    delay_s: int


@dataclass(frozen=True)
class DaySummary:
    validated: int = 0
    refused: int = 0
    consulted_without_outcome: int = 0
    late: tuple[LateValidation, ...] = ()
    validations_by_hour: tuple[int, ...] = (0,) * 24
    validations_by_officer: Mapping[str, int] = field(default_factory=dict)


def _outcome(kind: str, detail: Mapping[str, Any]) -> str:
    if kind == VALIDATED:
        return "validated"
    if kind == REFUSED:
        return str(detail.get("refusal_reason") or "refused")
    if kind == "request.lookup":
        return str(detail.get("status") or "")
    if kind == "request.lookup_unknown":
        return "unknown"
    if kind == "validation.rejected":
        return str(detail.get("reason") or "rejected")
    return ""


def to_review_entries(
    entries: Iterable[Mapping[str, Any]], day: date, zone: tzinfo
) -> list[ReviewEntry]:
    """The entries of the local `day`, in chain order; later ones (kept only to reach the
    checkpoint) are dropped."""
    rows = []
    for entry in entries:
        at = datetime.fromisoformat(str(entry["at"])).astimezone(zone)
        if at.date() != day:
            continue
        detail = entry.get("detail") or {}
        delay = detail.get("delay_s")
        rows.append(
            ReviewEntry(
                seq=int(entry["seq"]),
                at=at,
                kind=str(entry["kind"]),
                actor=str(entry.get("actor") or ""),
                reference=str(entry.get("reference") or ""),
                outcome=_outcome(str(entry["kind"]), detail),
                delay_s=delay if isinstance(delay, int) else None,
                offline=detail.get("offline") is True,
            )
        )
    return rows


def summarise(entries: Sequence[ReviewEntry]) -> DaySummary:
    by_hour = [0] * 24
    by_officer: Counter[str] = Counter()
    consulted: set[str] = set()
    decided: set[str] = set()
    refused = 0
    late = []
    for entry in entries:
        if entry.kind in LOOKUP_KINDS:
            consulted.add(entry.reference)
        elif entry.kind == VALIDATED:
            decided.add(entry.reference)
            by_hour[entry.at.hour] += 1
            by_officer[entry.actor] += 1
            if entry.offline and entry.delay_s is not None:
                late.append(LateValidation(entry.seq, entry.reference, entry.actor, entry.delay_s))
        elif entry.kind == REFUSED:
            decided.add(entry.reference)
            refused += 1
    return DaySummary(
        validated=sum(by_hour),
        refused=refused,
        consulted_without_outcome=len(consulted - decided),
        late=tuple(late),
        validations_by_hour=tuple(by_hour),
        validations_by_officer=dict(by_officer.most_common()),
    )


def _snooping(entries: Sequence[ReviewEntry], rules: AnomalyRules) -> list[Anomaly]:
    lookups: defaultdict[str, list[ReviewEntry]] = defaultdict(list)
    validators = {e.actor for e in entries if e.kind == VALIDATED}
    for entry in entries:
        if entry.kind in LOOKUP_KINDS:
            lookups[entry.actor].append(entry)
    return [
        Anomaly(
            Rule.SNOOPING,
            tuple(e.seq for e in seen),
            seen[0].at,
            rules.snooping_lookups,
            len(seen),
            officer=officer,
        )
        for officer, seen in lookups.items()
        if len(seen) >= rules.snooping_lookups and officer not in validators
    ]


def _out_of_hours(entries: Sequence[ReviewEntry], rules: AnomalyRules) -> list[Anomaly]:
    return [
        Anomaly(Rule.OUT_OF_HOURS, (e.seq,), e.at, 0, 1, officer=e.actor, reference=e.reference)
        for e in entries
        if e.kind == VALIDATED and not rules.opening <= e.at.time() < rules.closing
    ]


def _repeated_reference(entries: Sequence[ReviewEntry], rules: AnomalyRules) -> list[Anomaly]:
    by_reference: defaultdict[str, list[ReviewEntry]] = defaultdict(list)
    for entry in entries:
        if entry.kind in LOOKUP_KINDS and entry.reference:
            by_reference[entry.reference].append(entry)
    found = []
    for reference, seen in by_reference.items():
        officers = {e.actor for e in seen}
        if (
            len(seen) >= rules.repeated_reference_lookups
            or len(officers) >= rules.repeated_reference_officers
        ):
            threshold = rules.repeated_reference_lookups
            found.append(
                Anomaly(
                    Rule.REPEATED_REFERENCE,
                    tuple(e.seq for e in seen),
                    seen[0].at,
                    threshold,
                    len(seen),
                    officer=", ".join(sorted(officers)),
                    reference=reference,
                )
            )
    return found


def _refusal_bursts(entries: Sequence[ReviewEntry], rules: AnomalyRules) -> list[Anomaly]:
    """Each maximal run where `refusal_burst` refusals fall within the window counts once."""
    window = rules.refusal_window_minutes * 60
    recent: deque[ReviewEntry] = deque()
    found: list[Anomaly] = []
    burst: list[ReviewEntry] = []
    for entry in (e for e in entries if e.kind == REFUSED):
        recent.append(entry)
        while (entry.at - recent[0].at).total_seconds() > window:
            recent.popleft()
        if len(recent) >= rules.refusal_burst:
            burst.extend(e for e in recent if not burst or e.seq > burst[-1].seq)
        elif burst and recent[0].seq > burst[-1].seq:
            found.append(_burst(burst, rules))
            burst = []
    if burst:
        found.append(_burst(burst, rules))
    return found


def _burst(burst: list[ReviewEntry], rules: AnomalyRules) -> Anomaly:
    return Anomaly(
        Rule.REFUSAL_BURST,
        tuple(e.seq for e in burst),
        burst[0].at,
        rules.refusal_burst,
        len(burst),
        officer=", ".join(sorted({e.actor for e in burst})),
    )


def detect_anomalies(entries: Sequence[ReviewEntry], rules: AnomalyRules) -> list[Anomaly]:
    found = [
        *_snooping(entries, rules),
        *_out_of_hours(entries, rules),
        *_repeated_reference(entries, rules),
        *_refusal_bursts(entries, rules),
    ]
    return sorted(found, key=lambda a: (a.at, a.rule))


def flags_by_seq(anomalies: Iterable[Anomaly]) -> dict[int, tuple[Rule, ...]]:
    flags: defaultdict[int, list[Rule]] = defaultdict(list)
    for anomaly in anomalies:
        for seq in anomaly.seqs:
            if anomaly.rule not in flags[seq]:
                flags[seq].append(anomaly.rule)
    return {seq: tuple(rules) for seq, rules in flags.items()}

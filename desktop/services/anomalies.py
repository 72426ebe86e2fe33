"""What the supervisor reads at a glance: the day's entries, its totals and its anomalies.

Pure functions over already verified journal entries; nothing here touches the network or
Qt. Every anomaly names the rule that raised it and the threshold in force, so the view can
say why a line is flagged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from enum import StrEnum
from itertools import chain
from typing import Any, NamedTuple

from desktop.services.collector import collector_paused
from procuration import wire
from procuration.wire import JournalKind, JournalOutcome

LOOKUP_KINDS = frozenset(wire.LOOKUP_KINDS)
VALIDATED = JournalKind.VALIDATION_VALIDATED
REFUSED = JournalKind.VALIDATION_REFUSED
RESILIATED = JournalKind.RESILIATION_VALIDATED
# A résiliation is checked at the counter like a validation (L75): every rule that watches
# the officers' decisions watches both; the totals count résiliations apart.
VALIDATED_KINDS = frozenset({VALIDATED, RESILIATED})
REFUSED_KINDS = frozenset({REFUSED, JournalKind.RESILIATION_REFUSED})


class Rule(StrEnum):
    SNOOPING = "snooping"  # many lookups, no validation
    OUT_OF_HOURS = "out-of-hours"  # a validation outside opening hours
    REPEATED_REFERENCE = "repeated-reference"  # one reference consulted again and again
    REFUSAL_BURST = "refusal-burst"  # many refusals in a short window
    LOOKUP_BURST = "lookup-burst"  # many lookups left without a decision, in a short window


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
    unfollowed_lookups: int = 20
    unfollowed_window_minutes: int = 60


class ReviewEntry(NamedTuple):
    """One journal entry as the supervisor sees it (no personal data: references only).

    A named tuple rather than a frozen dataclass: a day holds 100,000 of them and a tuple is
    built in one C call, where a frozen dataclass pays one `object.__setattr__` per field.
    """

    seq: int
    at: datetime  # local time of the station
    kind: str
    actor: str
    reference: str
    outcome: str  # a `procuration.wire.Outcome` code: the status seen, the refusal reason...
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
    resiliations: int = 0  # résiliations validated (not counted in `validated`)


# kind -> (the detail member holding the outcome, the outcome when it is empty or absent):
# a lookup's RequestStatus, a refusal's RefusalReason, a rejection's ProblemCode.
_OUTCOMES: dict[str, tuple[str, str]] = {
    VALIDATED: ("", JournalOutcome.VALIDATED.value),
    REFUSED: ("refusal_reason", JournalOutcome.REFUSED.value),
    RESILIATED: ("", JournalOutcome.VALIDATED.value),
    JournalKind.RESILIATION_REFUSED: ("refusal_reason", JournalOutcome.REFUSED.value),
    JournalKind.REQUEST_LOOKUP: ("status", JournalOutcome.NONE.value),
    JournalKind.REQUEST_LOOKUP_UNKNOWN: ("", JournalOutcome.UNKNOWN_REFERENCE.value),
    JournalKind.VALIDATION_REJECTED: ("reason", JournalOutcome.REJECTED.value),
}
_NO_OUTCOME = ("", JournalOutcome.NONE.value)
_new_entry = tuple.__new__  # one C call per entry: a NamedTuple's own __new__ is Python code


def _local_time(wire: str, day: date, zone: tzinfo) -> datetime | None:
    """The entry's local time, or None when it falls outside the local `day`."""
    at = datetime.fromisoformat(wire).astimezone(zone)
    return at if at.date() == day else None


def to_review_entries(
    entries: Iterable[Mapping[str, Any]], day: date, zone: tzinfo
) -> list[ReviewEntry]:
    with collector_paused():
        return _review_entries(entries, day, zone)


def _review_entries(
    entries: Iterable[Mapping[str, Any]], day: date, zone: tzinfo
) -> list[ReviewEntry]:
    """The entries of the local `day`, in chain order; later ones (kept only to reach the
    checkpoint) are dropped. This runs before the table shows: one pass, no call per entry
    beyond the dictionary lookups it needs."""
    # A busy day repeats each wire timestamp a few times: parse and convert each once.
    local_times: dict[str, datetime | None] = {}
    rows: list[ReviewEntry] = []
    append, outcomes, no_outcome = rows.append, _OUTCOMES, _NO_OUTCOME
    for entry in entries:
        wire = str(entry["at"])
        if wire in local_times:
            at = local_times[wire]
        else:
            at = local_times[wire] = _local_time(wire, day, zone)
        if at is None:
            continue
        kind = str(entry["kind"])
        detail = entry.get("detail") or {}
        member, outcome = outcomes.get(kind, no_outcome)
        if member:
            outcome = str(detail.get(member) or outcome)
        delay = detail.get("delay_s")
        row = (
            int(entry["seq"]),
            at,
            kind,
            str(entry.get("actor") or ""),
            str(entry.get("reference") or ""),
            outcome,
            delay if type(delay) is int else None,
            detail.get("offline") is True,
        )
        append(_new_entry(ReviewEntry, row))
    return rows


@dataclass(frozen=True)
class OfficerActivity:
    officer: str
    lookups: int
    validated: int
    refused: int
    flagged: int  # entries of this officer that some rule flagged


def officer_activity(
    entries: Sequence[ReviewEntry], flags: Mapping[int, tuple[Rule, ...]]
) -> list[OfficerActivity]:
    """One line per officer, busiest first: the day report's per-officer summary."""
    counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for entry in entries:
        row = counts[entry.actor]
        if entry.kind in LOOKUP_KINDS:
            row[0] += 1
        elif entry.kind in VALIDATED_KINDS:
            row[1] += 1
        elif entry.kind in REFUSED_KINDS:
            row[2] += 1
        if entry.seq in flags:
            row[3] += 1
    lines = [OfficerActivity(officer, *row) for officer, row in counts.items()]
    return sorted(lines, key=lambda line: (-(line.validated + line.refused), line.officer))


def summarise(entries: Sequence[ReviewEntry]) -> DaySummary:
    by_hour = [0] * 24
    by_officer: Counter[str] = Counter()
    consulted: set[str] = set()
    decided: set[str] = set()
    refused = resiliations = 0
    late = []
    for entry in entries:
        if entry.kind in LOOKUP_KINDS:
            consulted.add(entry.reference)
        elif entry.kind == RESILIATED:
            decided.add(entry.reference)
            resiliations += 1
        elif entry.kind == VALIDATED:
            decided.add(entry.reference)
            by_hour[entry.at.hour] += 1
            by_officer[entry.actor] += 1
            if entry.offline and entry.delay_s is not None:
                late.append(LateValidation(entry.seq, entry.reference, entry.actor, entry.delay_s))
        elif entry.kind in REFUSED_KINDS:
            decided.add(entry.reference)
            refused += 1
    return DaySummary(
        validated=sum(by_hour),
        refused=refused,
        consulted_without_outcome=len(consulted - decided),
        late=tuple(late),
        validations_by_hour=tuple(by_hour),
        validations_by_officer=dict(by_officer.most_common()),
        resiliations=resiliations,
    )


@dataclass(frozen=True)
class _Day:
    """The day's entries the rules look at, sorted out in one pass (chain order kept in
    each list): the rules then walk only their own kinds, not the whole day each."""

    lookups: list[ReviewEntry]
    validated: list[ReviewEntry]  # validations and résiliations
    refused: list[ReviewEntry]  # refusals of either


_LOOKUP, _VALIDATED, _REFUSED = range(3)
_GROUP_OF: dict[str, int] = {
    **dict.fromkeys(LOOKUP_KINDS, _LOOKUP),
    **dict.fromkeys(VALIDATED_KINDS, _VALIDATED),
    **dict.fromkeys(REFUSED_KINDS, _REFUSED),
}


def _sort_out(entries: Sequence[ReviewEntry]) -> _Day:
    groups: tuple[list[ReviewEntry], ...] = ([], [], [], [])  # the last one: any other kind
    appends = [group.append for group in groups]
    group_of, other = _GROUP_OF.get, len(groups) - 1
    for entry in entries:
        appends[group_of(entry.kind, other)](entry)
    return _Day(groups[_LOOKUP], groups[_VALIDATED], groups[_REFUSED])


def _snooping(day: _Day, rules: AnomalyRules) -> list[Anomaly]:
    lookups: defaultdict[str, list[ReviewEntry]] = defaultdict(list)
    validators = {e.actor for e in day.validated}
    for entry in day.lookups:
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


def _out_of_hours(day: _Day, rules: AnomalyRules) -> list[Anomaly]:
    return [
        Anomaly(Rule.OUT_OF_HOURS, (e.seq,), e.at, 0, 1, officer=e.actor, reference=e.reference)
        for e in day.validated
        if not rules.opening <= e.at.time() < rules.closing
    ]


def _repeated_reference(day: _Day, rules: AnomalyRules) -> list[Anomaly]:
    looked_up = [e for e in day.lookups if e.reference]
    # Either condition needs at least this many lookups: count first (in C), group only the
    # few references that reach it instead of all 50,000 of a busy day.
    least = max(1, min(rules.repeated_reference_lookups, rules.repeated_reference_officers))
    counts = Counter(e.reference for e in looked_up)
    candidates = {reference for reference, n in counts.items() if n >= least}
    by_reference: defaultdict[str, list[ReviewEntry]] = defaultdict(list)
    for entry in looked_up:
        if entry.reference in candidates:
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


def _bursts(
    events: Sequence[ReviewEntry], least: int, window_minutes: int
) -> list[list[ReviewEntry]]:
    """Each maximal run where `least` events fall within the window, once.

    One pass with two indices over the events: linear, where re-scanning the window at
    each event was quadratic on a busy day (a 30-minute window can hold 500 refusals).
    """
    window = window_minutes * 60
    found: list[list[ReviewEntry]] = []
    start = 0  # first event inside the window ending at event `i`
    burst_from = burst_to = -1  # the current burst, events [burst_from, burst_to)
    for i, entry in enumerate(events):
        while (entry.at - events[start].at).total_seconds() > window:
            start += 1
        if i - start + 1 >= least:
            if burst_to < 0 or start >= burst_to:
                if burst_to >= 0:
                    found.append(list(events[burst_from:burst_to]))
                burst_from = start
            burst_to = i + 1
    if burst_to >= 0:
        found.append(list(events[burst_from:burst_to]))
    return found


def _refusal_bursts(day: _Day, rules: AnomalyRules) -> list[Anomaly]:
    return [
        _burst(Rule.REFUSAL_BURST, burst, rules.refusal_burst)
        for burst in _bursts(day.refused, rules.refusal_burst, rules.refusal_window_minutes)
    ]


def _unfollowed_lookups(day: _Day, rules: AnomalyRules) -> list[Anomaly]:
    """An officer's lookups of references they neither validated nor refused that day,
    `unfollowed_lookups` of them within the window: browsing the register, even on a day
    with validations (the snooping rule only sees officers with none)."""
    decided = {(e.actor, e.reference) for e in chain(day.validated, day.refused)}
    by_officer: defaultdict[str, list[ReviewEntry]] = defaultdict(list)
    for entry in day.lookups:
        if (entry.actor, entry.reference) not in decided:
            by_officer[entry.actor].append(entry)
    least, window = rules.unfollowed_lookups, rules.unfollowed_window_minutes
    return [
        _burst(Rule.LOOKUP_BURST, burst, least)
        for lookups in by_officer.values()
        if len(lookups) >= least
        for burst in _bursts(lookups, least, window)
    ]


def _burst(rule: Rule, burst: list[ReviewEntry], threshold: int) -> Anomaly:
    return Anomaly(
        rule,
        tuple(e.seq for e in burst),
        burst[0].at,
        threshold,
        len(burst),
        officer=", ".join(sorted({e.actor for e in burst})),
    )


def detect_anomalies(entries: Sequence[ReviewEntry], rules: AnomalyRules) -> list[Anomaly]:
    day = _sort_out(entries)
    found = [
        *_snooping(day, rules),
        *_out_of_hours(day, rules),
        *_repeated_reference(day, rules),
        *_refusal_bursts(day, rules),
        *_unfollowed_lookups(day, rules),
    ]
    return sorted(found, key=lambda a: (a.at, a.rule))


def flags_by_seq(anomalies: Iterable[Anomaly]) -> dict[int, tuple[Rule, ...]]:
    flags: defaultdict[int, list[Rule]] = defaultdict(list)
    for anomaly in anomalies:
        for seq in anomaly.seqs:
            if anomaly.rule not in flags[seq]:
                flags[seq].append(anomaly.rule)
    return {seq: tuple(rules) for seq, rules in flags.items()}

"""The election calendar and the scope of a proxy (PROTOCOL.md v1.1 "Scope").

A scope names one election (first round, second round or both) or a period; either way it
resolves to the **polling days** it covers, and the rules of the law (the L73 cap first)
are judged on those days. Pure functions: the backend passes the calendar and "today".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from procuration.models import Scope, ShortText, Strict

ElectionId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")]


def _exact_int(value: object) -> object:
    # `true` or `1.0` is not round 1 (pydantic's literal check would take them).
    if type(value) is not int:
        raise ValueError("a round is the integer 1 or 2")
    return value


RoundNumber = Annotated[Literal[1, 2], BeforeValidator(_exact_int)]
# Dates arrive as text and are checked by `check_scope`: a date that does not exist
# ("2027-02-30") is a scope problem with its field, not a parsing failure.
DateText = Annotated[str, Field(max_length=10)]
_ROUND_WORDS: dict[tuple[int, ...], Literal["first", "second", "both"]] = {
    (1,): "first",
    (2,): "second",
    (1, 2): "both",
}


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> date:
    """A calendar date written YYYY-MM-DD that exists (fromisoformat alone also takes
    "20270101" and week dates like "2027-W01-1")."""
    if not _DAY.fullmatch(text):
        raise ValueError("a date is YYYY-MM-DD")
    return date.fromisoformat(text)


def _real_date(text: str) -> str:
    parse_day(text)
    return text


RealDate = Annotated[str, Field(max_length=10), AfterValidator(_real_date)]


class ElectionRound(Strict):
    round: RoundNumber
    polling_day: RealDate

    @property
    def day(self) -> date:
        return date.fromisoformat(self.polling_day)


def _ordered_rounds(rounds: tuple[ElectionRound, ...]) -> tuple[ElectionRound, ...]:
    numbers = [r.round for r in rounds]
    if numbers not in ([1], [1, 2]):
        raise ValueError("rounds are 1, or 1 and 2, in that order")
    if len(rounds) == 2 and rounds[1].day <= rounds[0].day:
        raise ValueError("the second round comes after the first")
    return rounds


class Election(Strict):
    """One election of the calendar: `GET /v1/elections` lists these."""

    id: ElectionId
    label: ShortText
    rounds: Annotated[tuple[ElectionRound, ...], AfterValidator(_ordered_rounds)]

    def day_of(self, number: int) -> date | None:
        return next((r.day for r in self.rounds if r.round == number), None)


Calendar = Mapping[str, Election]


class ElectionScope(Strict):
    kind: Literal["election"]
    election: Annotated[str, Field(max_length=40)]
    rounds: Annotated[list[RoundNumber], Field(min_length=1, max_length=2)]


class PeriodScope(Strict):
    kind: Literal["period"]
    start: DateText
    end: DateText


ScopeIn = Annotated[ElectionScope | PeriodScope, Field(discriminator="kind")]


class ScopeRuleError(ValueError):
    """A scope the law does not allow; `field` names what to correct."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.detail = detail


def one_year_after(start: date) -> date:
    """The same day a year later (29 February → 1 March): a period ends before it."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return date(start.year + 1, 3, 1)


def _parse(text: str, field: str) -> date:
    try:
        return parse_day(text)
    except ValueError:
        raise ScopeRuleError(field, "not an existing date (YYYY-MM-DD)") from None


def _check_period(scope: PeriodScope, today: date) -> None:
    start, end = _parse(scope.start, "scope.start"), _parse(scope.end, "scope.end")
    if start < today:
        raise ScopeRuleError("scope.start", "a period starts today or later")
    # A period asked for now starts within the coming year (docs/decisions.md, "Scope at
    # request creation"); it also keeps every date computed from it inside the calendar.
    if start >= one_year_after(today):
        raise ScopeRuleError("scope.start", "a period starts within the coming year")
    if end < start:
        raise ScopeRuleError("scope.end", "a period ends on or after its start")
    if end >= one_year_after(start):
        raise ScopeRuleError("scope.end", "a period lasts at most one year")


def _check_election(scope: ElectionScope, calendar: Calendar, today: date) -> None:
    election = calendar.get(scope.election)
    if election is None:
        raise ScopeRuleError("scope.election", "unknown election")
    if all(r.day < today for r in election.rounds):
        raise ScopeRuleError("scope.election", "this election is past")
    if sorted(set(scope.rounds)) != scope.rounds:
        raise ScopeRuleError("scope.rounds", "rounds are [1], [2] or [1, 2]")
    for number in scope.rounds:
        day = election.day_of(number)
        if day is None:
            raise ScopeRuleError("scope.rounds", f"this election has no round {number}")
        if day < today:
            raise ScopeRuleError("scope.rounds", f"round {number} is past")


def check_scope(scope: ElectionScope | PeriodScope, calendar: Calendar, today: date) -> None:
    """Raises ScopeRuleError unless the law allows this scope for a request made `today`
    (Europe/Paris). Periods of up to 3 years (electors abroad) are out of scope."""
    if isinstance(scope, PeriodScope):
        _check_period(scope, today)
    else:
        _check_election(scope, calendar, today)


def polling_days(scope: ElectionScope | PeriodScope, calendar: Calendar) -> frozenset[date]:
    """The polling days a (checked) scope covers, in the current calendar: the chosen
    rounds of its election, or every polling day of every election within the period."""
    if isinstance(scope, ElectionScope):
        election = calendar.get(scope.election)
        if election is None:
            return frozenset()
        days = (election.day_of(number) for number in scope.rounds)
        return frozenset(day for day in days if day is not None)
    start, end = date.fromisoformat(scope.start), date.fromisoformat(scope.end)
    return frozenset(day for day in all_days(calendar.values()) if start <= day <= end)


def all_days(elections: Iterable[Election]) -> frozenset[date]:
    return frozenset(r.day for election in elections for r in election.rounds)


def last_day(scope: ElectionScope | PeriodScope, calendar: Calendar) -> date:
    """The last day the proxy can be used, from which retention is counted."""
    if isinstance(scope, PeriodScope):
        return date.fromisoformat(scope.end)
    days = polling_days(scope, calendar)
    if not days:
        raise ScopeRuleError("scope.election", "unknown election")
    return max(days)


def shown(scope: ElectionScope | PeriodScope, calendar: Calendar) -> Scope:
    """The scope as a lookup shows it to the officer (the election's label, the round
    words and its last polling day)."""
    if isinstance(scope, PeriodScope):
        return Scope(kind="period", start=scope.start, end=scope.end)
    election = calendar[scope.election]
    return Scope(
        kind="election",
        election=election.label,
        rounds=_ROUND_WORDS[tuple(scope.rounds)],
        election_date=last_day(scope, calendar).isoformat(),
    )


def legacy_days(scope: Scope, calendar: Calendar) -> frozenset[date]:
    """The polling days of a request stored before migration 0004 (no requested scope
    kept): its one election day, or the calendar's polling days within its period."""
    if scope.kind == "election":
        return frozenset({date.fromisoformat(scope.election_date)} if scope.election_date else ())
    if scope.start is None or scope.end is None:
        return frozenset()
    start, end = date.fromisoformat(scope.start), date.fromisoformat(scope.end)
    return frozenset(day for day in all_days(calendar.values()) if start <= day <= end)

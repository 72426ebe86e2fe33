"""Scopes and the calendar (procuration.elections): what the law allows, the polling days a
scope covers, dates that do not exist."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from procuration.elections import (
    Election,
    ElectionScope,
    PeriodScope,
    ScopeRuleError,
    check_scope,
    last_day,
    legacy_days,
    one_year_after,
    polling_days,
    shown,
)
from procuration.models import Scope

TODAY = date(2026, 12, 2)
CALENDAR = {
    e.id: e
    for e in (
        Election.model_validate(
            {
                "id": "presidentielle-2027",
                "label": "Présidentielle 2027",
                "rounds": [
                    {"round": 1, "polling_day": "2027-04-11"},
                    {"round": 2, "polling_day": "2027-04-25"},
                ],
            }
        ),
        Election.model_validate(
            {
                "id": "partielle-2026",
                "label": "Partielle",
                "rounds": [{"round": 1, "polling_day": "2026-12-06"}],
            }
        ),
    )
}


def _period(start: str, end: str) -> PeriodScope:
    return PeriodScope(kind="period", start=start, end=end)


def _election(key: str, rounds: list[int]) -> ElectionScope:
    return ElectionScope.model_validate({"kind": "election", "election": key, "rounds": rounds})


def _problem(scope: ElectionScope | PeriodScope) -> str:
    with pytest.raises(ScopeRuleError) as caught:
        check_scope(scope, CALENDAR, TODAY)
    return caught.value.field


def test_a_period_starts_today_or_later_and_lasts_at_most_a_year() -> None:
    check_scope(_period("2026-12-02", "2027-12-01"), CALENDAR, TODAY)
    check_scope(_period("2026-12-02", "2026-12-02"), CALENDAR, TODAY)
    assert _problem(_period("2026-12-01", "2027-01-01")) == "scope.start"
    assert _problem(_period("2026-12-10", "2026-12-09")) == "scope.end"
    assert _problem(_period("2026-12-02", "2027-12-02")) == "scope.end"
    assert _problem(_period("2026-12-02", "2126-12-01")) == "scope.end"


@pytest.mark.parametrize(
    "text", ["2027-02-30", "0000-00-00", "2027-13-01", "20270101", "2027-1-1", "2027-W01-1"]
)
def test_dates_that_do_not_exist_are_scope_problems(text: str) -> None:
    assert _problem(_period(text, "2027-03-31")) == "scope.start"
    assert _problem(_period("2027-01-01", text)) == "scope.end"


@pytest.mark.parametrize(
    ("start", "end"),
    [("9999-12-30", "9999-12-31"), ("9999-12-31", "9999-12-31"), ("2027-12-02", "2027-12-03")],
)
def test_a_period_starts_within_the_coming_year(start: str, end: str) -> None:
    # The last day of the calendar used to overflow computing "a year later": a 500.
    assert _problem(_period(start, end)) == "scope.start"
    check_scope(_period("2027-12-01", "2027-12-31"), CALENDAR, TODAY)


def test_a_year_from_29_february_ends_before_1_march() -> None:
    assert one_year_after(date(2028, 2, 29)) == date(2029, 3, 1)
    check_scope(_period("2028-02-29", "2029-02-28"), CALENDAR, date(2028, 2, 1))


def test_an_election_must_be_in_the_calendar_and_to_come() -> None:
    check_scope(_election("presidentielle-2027", [1, 2]), CALENDAR, TODAY)
    assert _problem(_election("legislatives-2001", [1])) == "scope.election"
    assert _problem(_election("partielle-2026", [2])) == "scope.rounds"
    assert _problem(_election("presidentielle-2027", [2, 1])) == "scope.rounds"
    with pytest.raises(ScopeRuleError) as caught:
        check_scope(_election("partielle-2026", [1]), CALENDAR, date(2026, 12, 7))
    assert caught.value.field == "scope.election"
    # Between the rounds, only the second round can still be given.
    between = date(2027, 4, 12)
    check_scope(_election("presidentielle-2027", [2]), CALENDAR, between)
    with pytest.raises(ScopeRuleError):
        check_scope(_election("presidentielle-2027", [1, 2]), CALENDAR, between)


def test_rounds_are_one_or_two_once_each() -> None:
    for rounds in ([], [3], [1, 2, 2], [True], [1.0], ["1"]):
        with pytest.raises(ValidationError):
            _election("presidentielle-2027", rounds)


def test_a_scope_resolves_to_the_polling_days_it_covers() -> None:
    assert polling_days(_election("presidentielle-2027", [2]), CALENDAR) == {date(2027, 4, 25)}
    assert polling_days(_period("2026-12-02", "2027-04-24"), CALENDAR) == {
        date(2026, 12, 6),
        date(2027, 4, 11),
    }
    assert polling_days(_period("2027-05-01", "2027-06-01"), CALENDAR) == frozenset()
    assert last_day(_election("presidentielle-2027", [1]), CALENDAR) == date(2027, 4, 11)


def test_the_officer_is_shown_the_label_the_rounds_and_the_last_day() -> None:
    assert shown(_election("presidentielle-2027", [1, 2]), CALENDAR) == Scope(
        kind="election",
        election="Présidentielle 2027",
        rounds="both",
        election_date="2027-04-25",
    )


def test_requests_stored_before_the_calendar_resolve_from_their_shown_scope() -> None:
    old = Scope(kind="election", election="x", rounds="first", election_date="2027-04-25")
    assert legacy_days(old, CALENDAR) == {date(2027, 4, 25)}
    period = Scope(kind="period", start="2027-01-01", end="2027-04-20")
    assert legacy_days(period, CALENDAR) == {date(2027, 4, 11)}


def test_an_election_has_round_one_then_a_later_round_two() -> None:
    def rounds(*days: str) -> list[dict[str, object]]:
        return [{"round": n, "polling_day": d} for n, d in enumerate(days, 1)]

    for bad in (rounds(), rounds("2027-04-25", "2027-04-11"), rounds("2027-02-30")):
        with pytest.raises(ValidationError):
            Election.model_validate({"id": "x", "label": "X", "rounds": bad})
    with pytest.raises(ValidationError):
        Election.model_validate({"id": "Bad Id", "label": "X", "rounds": rounds("2027-04-11")})

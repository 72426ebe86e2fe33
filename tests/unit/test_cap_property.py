"""The L73 cap (procuration.cap) against a slow, obviously correct model, over random
calendars, scopes, spellings of the same people, establishments and cancellations.

The model knows who each person really is (the generator's index) and walks every calendar
day of a period; the code under test sees only what a request carries: a spelling, turned
into the one identity key (backend.storage.names.person_key), and a scope, resolved to its
polling days (procuration.elections.polling_days)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.storage.names import person_key
from procuration import cap
from procuration.elections import Election, ElectionScope, PeriodScope, polling_days

PEOPLE = [
    ("Lefèvre", "Zoé", "1990-02-03"),
    ("N'Diaye", "Jean-Baptiste", "1979-11-30"),
    ("Da Costa", "Hélène Marie", "1984-03-09"),
    ("Lefèvre", "Zoé", "1991-02-03"),  # same names, another person (birth date)
    ("Çelik", "Noël", "1962-12-25"),
]
BASE = date(2027, 1, 3)  # a Sunday


def _variant(char: str, draw: st.DrawFn) -> str:
    """One character as someone might type it: case, accent, apostrophe, spaces."""
    if char == "'":
        return "\u2019" if draw(st.booleans()) else char
    bare = unicodedata.normalize("NFD", char)[0]
    if bare != char and draw(st.booleans()):
        return bare
    if char.isalpha():
        return char.upper() if draw(st.booleans()) else char.lower()
    if char == " ":
        return " " * draw(st.integers(1, 3))
    return char


def _respell(text: str, draw: st.DrawFn) -> str:
    pad = " " * draw(st.integers(0, 2))
    return pad + "".join(_variant(char, draw) for char in text) + pad


@dataclass(frozen=True)
class Proxy:
    name: str
    person: int  # who the mandataire really is
    spelling: tuple[str, str, str]
    scope: ElectionScope | PeriodScope


@st.composite
def calendars(draw: st.DrawFn) -> dict[str, Election]:
    offsets = draw(st.lists(st.integers(0, 30), min_size=1, max_size=6, unique=True))
    elections = {}
    for number, week in enumerate(offsets):
        first = BASE + timedelta(weeks=week)
        rounds = [{"round": 1, "polling_day": first.isoformat()}]
        if draw(st.booleans()):
            rounds.append({"round": 2, "polling_day": (first + timedelta(weeks=2)).isoformat()})
        key = f"e{number}"
        elections[key] = Election.model_validate({"id": key, "label": key, "rounds": rounds})
    return elections


@st.composite
def scopes(draw: st.DrawFn, calendar: dict[str, Election]) -> ElectionScope | PeriodScope:
    if draw(st.booleans()):
        election = draw(st.sampled_from(sorted(calendar)))
        choices = [[1], [2], [1, 2]] if len(calendar[election].rounds) == 2 else [[1]]
        return ElectionScope(
            kind="election", election=election, rounds=draw(st.sampled_from(choices))
        )
    start = BASE + timedelta(days=draw(st.integers(-3, 250)))
    end = start + timedelta(days=draw(st.integers(0, 120)))
    return PeriodScope(kind="period", start=start.isoformat(), end=end.isoformat())


@st.composite
def histories(draw: st.DrawFn) -> tuple[dict[str, Election], list[tuple[str, Proxy]]]:
    calendar = draw(calendars())
    steps: list[tuple[str, Proxy]] = []
    made: list[Proxy] = []
    for number in range(draw(st.integers(1, 14))):
        if made and draw(st.integers(0, 3)) == 0:
            steps.append(("cancel", draw(st.sampled_from(made))))
            continue
        person = draw(st.integers(0, len(PEOPLE) - 1))
        name, first, born = PEOPLE[person]
        spelling = (_respell(name, draw), _respell(first, draw), born)
        proxy = Proxy(f"P{number}", person, spelling, draw(scopes(calendar)))
        made.append(proxy)
        steps.append(("establish", proxy))
    return calendar, steps


def _model_days(scope: ElectionScope | PeriodScope, calendar: dict[str, Election]) -> set[date]:
    """Walks the period day by day; an election scope is its chosen rounds' days."""
    if isinstance(scope, ElectionScope):
        rounds = calendar[scope.election].rounds
        return {date.fromisoformat(r.polling_day) for r in rounds if r.round in scope.rounds}
    days, day = set(), date.fromisoformat(scope.start)
    while day <= date.fromisoformat(scope.end):
        for election in calendar.values():
            if any(date.fromisoformat(r.polling_day) == day for r in election.rounds):
                days.add(day)
        day += timedelta(days=1)
    return days


def _model(calendar: dict[str, Election], steps: list[tuple[str, Proxy]]) -> dict[str, bool]:
    """Establishment order; a proxy is valid when, on none of its days, its mandataire
    (the real person) already holds a valid proxy that was not cancelled since."""
    valid: dict[str, bool] = {}
    holding: list[Proxy] = []
    for action, proxy in steps:
        if action == "cancel":
            holding = [held for held in holding if held.name != proxy.name]
            continue
        mine = _model_days(proxy.scope, calendar)
        clash = any(
            held.person == proxy.person and mine & _model_days(held.scope, calendar)
            for held in holding
        )
        valid[proxy.name] = not clash
        if not clash:
            holding.append(proxy)
    return valid


@settings(max_examples=300, deadline=None)
@given(histories())
def test_cap_matches_the_model(
    history: tuple[dict[str, Election], list[tuple[str, Proxy]]],
) -> None:
    calendar, steps = history
    events = [
        cap.Event(
            proxy.name,
            person_key(*proxy.spelling),
            polling_days(proxy.scope, calendar),
            cancel=action == "cancel",
        )
        for action, proxy in steps
    ]
    verdicts = cap.replay(events)
    expected = _model(calendar, steps)
    assert {name: reason is None for name, reason in verdicts.items()} == expected
    assert {reason for reason in verdicts.values()} <= {None, "cap-france"}


def test_other_channels_count_on_every_day() -> None:
    day = frozenset({date(2027, 4, 11)})
    assert cap.breach(day, [], roll_france=1) == "cap-france"
    assert cap.breach(day, [], roll_abroad=1) is None  # one abroad + this one: 2
    assert cap.breach(day, [], roll_abroad=2) == "cap-total"
    assert cap.breach(frozenset(), [], roll_france=1) is None  # covers no polling day

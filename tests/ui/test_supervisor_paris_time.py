"""Times on the stations' clock (Europe/Paris) whatever the PC's own zone (issue 13 item 8):
the counter and the supervisor were an hour apart on a PC left in UTC."""

from __future__ import annotations

import os
import time as system_time
from collections.abc import Iterator
from datetime import UTC, date, datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from desktop.services.anomalies import to_review_entries
from desktop.services.journal_review import PARIS
from desktop.ui import messages
from desktop.ui.supervisor.model import TIME, build_columns

# (UTC wire time, the Paris clock): winter is UTC+1, summer UTC+2.
WINTER = ("2026-01-15T12:00:00Z", "13:00")
SUMMER = ("2026-07-15T12:00:00Z", "14:00")


@pytest.fixture(autouse=True)
def pc_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The PC's own zone is UTC, as on a freshly installed or misconfigured PC."""
    monkeypatch.setenv("TZ", "UTC")
    system_time.tzset()
    yield
    monkeypatch.undo()
    system_time.tzset()


@pytest.mark.parametrize(("wire", "clock"), [WINTER, SUMMER])
def test_the_counter_shows_paris_time_on_a_pc_in_utc(wire: str, clock: str) -> None:
    moment = datetime.fromisoformat(wire)
    assert messages.local_time(moment) == clock
    sentence = messages.already_validated_sentence("Lt Durand", "PN-75-001", wire)
    assert clock in sentence


@pytest.mark.parametrize(("wire", "clock"), [WINTER, SUMMER])
def test_the_supervisor_table_shows_the_same_paris_time(wire: str, clock: str) -> None:
    day = datetime.fromisoformat(wire).astimezone(PARIS).date()
    entry = {"seq": 1, "at": wire, "kind": "request.lookup", "actor": "OPJ-1", "reference": "A"}
    rows = to_review_entries([entry], day, PARIS)
    table = build_columns(rows, {})
    assert table.columns[TIME][0] == clock + ":00"
    assert messages.local_time(rows[0].at) == clock  # the same clock on both screens


def test_an_entry_after_midnight_in_paris_belongs_to_the_paris_day() -> None:
    wire = "2026-01-15T23:30:00Z"  # 00:30 on the 16th in Paris
    entry = {"seq": 1, "at": wire, "kind": "request.lookup", "actor": "OPJ-1", "reference": "A"}
    assert to_review_entries([entry], date(2026, 1, 15), PARIS) == []
    [row] = to_review_entries([entry], date(2026, 1, 16), PARIS)
    assert row.at.astimezone(UTC).hour == 23 and row.at.hour == 0

"""RFC 3339 times in UTC at second precision, the only time format on the wire."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

# The stations' clock. Every screen and export shows this zone, never the PC's own: a PC
# left in UTC (or set abroad) would otherwise show the counter and the supervisor an hour
# apart (issue 13).
PARIS = ZoneInfo("Europe/Paris")
_WIRE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def to_wire(moment: datetime) -> str:
    """`2026-06-12T09:31:07Z`. Naive datetimes are refused: they hide a time zone bug."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_wire(text: str) -> datetime:
    """Parses an RFC 3339 UTC time; refuses offsets other than Z and fractional seconds."""
    # The shape is checked first: fromisoformat alone would take offsets, fractions, a
    # space for T. It is several times faster than strptime, which this hot path used.
    if not _WIRE.fullmatch(text):
        raise ValueError(f"not an RFC 3339 UTC time at second precision: {text!r}")
    return datetime.fromisoformat(text)


def in_paris(moment: datetime) -> datetime:
    """`moment` on the stations' clock (a naive one is read as the PC's time, as Python
    does)."""
    return moment.astimezone(PARIS)

"""RFC 3339 times in UTC at second precision, the only time format on the wire."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def to_wire(moment: datetime) -> str:
    """`2026-06-12T09:31:07Z`. Naive datetimes are refused: they hide a time zone bug."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_wire(text: str) -> datetime:
    """Parses an RFC 3339 UTC time; refuses offsets other than Z and fractional seconds."""
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    return moment.replace(tzinfo=UTC)

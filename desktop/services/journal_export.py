"""CSV export of a reviewed day, for French spreadsheet software.

UTF-8 with a byte order mark and `;` as separator, which is what Excel and LibreOffice
expect with a French locale. Only references identify a request: never a name.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from desktop.services.anomalies import ReviewEntry, Rule
from desktop.services.errors import StorageError

DEFAULT_HEADERS = ("seq", "time", "officer", "action", "reference", "outcome", "anomalies")


def _identity(code: str) -> str:
    return code


def write_csv(
    path: Path,
    entries: Sequence[ReviewEntry],
    flags: Mapping[int, tuple[Rule, ...]],
    *,
    headers: Sequence[str] = DEFAULT_HEADERS,
    action_label: Callable[[str], str] = _identity,
    outcome_label: Callable[[str], str] = _identity,
    rule_label: Callable[[str], str] = _identity,
) -> None:
    """Writes the entries in the given order; labels let the UI write French words."""
    actions: dict[str, str] = {}
    outcomes: dict[str, str] = {}
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
            writer.writerow(headers)
            writer.writerows(
                (
                    entry.seq,
                    str(entry.at)[:19],  # "YYYY-MM-DD HH:MM:SS", ~10x faster than strftime
                    entry.actor,
                    actions.get(entry.kind)
                    or actions.setdefault(entry.kind, action_label(entry.kind)),
                    entry.reference,
                    outcomes.get(entry.outcome)
                    or outcomes.setdefault(entry.outcome, outcome_label(entry.outcome)),
                    ", ".join(rule_label(rule) for rule in flags.get(entry.seq, ())),
                )
                for entry in entries
            )
    except OSError as exc:
        raise StorageError(f"cannot write the CSV export: {exc}") from exc

"""CSV export of a reviewed day, for French spreadsheet software.

UTF-8 with a byte order mark and `;` as separator, which is what Excel and LibreOffice
expect with a French locale. Only references identify a request: never a name.

The file opens with a short preamble (station, day, integrity verdict) and a blank line
before the column headers: a spreadsheet shows a failed verification on its first line,
so a copy of an unverified journal never passes for a verified one.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from desktop.services.anomalies import ReviewEntry, Rule
from desktop.services.errors import StorageError
from procuration import spreadsheet


def _cached(label: Callable[[str], str]) -> Callable[[str], str]:
    cache: dict[str, str] = {}

    def lookup(code: str) -> str:
        found = cache.get(code)
        if found is None:
            found = cache[code] = label(code)
        return found

    return lookup


def entry_rows(
    entries: Sequence[ReviewEntry],
    flags: Mapping[int, tuple[Rule, ...]],
    *,
    action_label: Callable[[str], str],
    outcome_label: Callable[[str], str],
    rule_label: Callable[[str], str],
) -> list[tuple[object, ...]]:
    """The CSV rows of `entries`, each code in the words the labels give (the supervisor's
    labels are French: no default that would write the journal's English codes); each
    label is computed once per distinct code."""
    action, outcome = _cached(action_label), _cached(outcome_label)
    rules = {seq: ", ".join(map(rule_label, found)) for seq, found in flags.items()}
    return [
        (
            entry.seq,
            str(entry.at)[:19],  # "YYYY-MM-DD HH:MM:SS", ~10x faster than strftime
            entry.actor,
            action(entry.kind),
            entry.reference,
            outcome(entry.outcome),
            rules.get(entry.seq, ""),
        )
        for entry in entries
    ]


def write_csv(
    path: Path,
    rows: Iterable[Sequence[object]],
    *,
    headers: Sequence[str],
    preamble: Sequence[Sequence[str]] = (),
) -> None:
    """Writes the preamble lines, a blank line, the headers, then `rows`, each cell made
    safe for spreadsheets (a reference read from a QR code could be a formula)."""
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
            if preamble:
                writer.writerows(preamble)
                writer.writerow(())
            writer.writerow(headers)
            writer.writerows(spreadsheet.row(row) for row in rows)
    except OSError as exc:
        raise StorageError(f"cannot write the CSV export: {exc}") from exc

"""Cells for CSV files that people open in a spreadsheet.

Names typed by the public and references read from QR codes end up in CSV exports; a cell
that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula in
Excel or LibreOffice (CSV injection, OWASP). Such a cell is written with a leading `'`,
which spreadsheets show as text and which a person reading the file sees plainly.
"""

from __future__ import annotations

from collections.abc import Iterable

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """`value` as CSV cell text that no spreadsheet evaluates; None is an empty cell."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def row(values: Iterable[object]) -> list[str]:
    """Every value of a row as a safe cell."""
    return [cell(value) for value in values]

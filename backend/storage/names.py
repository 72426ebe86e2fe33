"""The one folding rule for matching a person against the electoral roll.

Used both when a roll line is stored (`electors.name_key`) and when a proxy's parties are
looked up, so the lookup is an equality on an indexed column: no scan of the roll, and no
reliance on the database's `upper()` (SQLite's folds ASCII only, PostgreSQL's depends on the
collation).
"""

from __future__ import annotations

import unicodedata

# \x1f (unit separator) never occurs in a name; it keeps ("AB", "C") apart from ("A", "BC").
_SEPARATOR = "\x1f"


def fold(text: str) -> str:
    """Case- and accent-insensitive form: NFKD, combining marks dropped, casefold, single
    spaces ("Élodie  MARIE" and "elodie marie" fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def name_key(birth_name: str, first_names: str, birth_date: str) -> str:
    return _SEPARATOR.join((fold(birth_name), fold(first_names), birth_date.strip()))

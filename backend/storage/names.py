"""The one folding rule for matching a person against the electoral roll.

Used both when a roll line is stored (`electors.name_key`) and when a proxy's parties are
looked up, so the lookup is an equality on an indexed column: no scan of the roll, and no
reliance on the database's `upper()` (SQLite's folds ASCII only, PostgreSQL's depends on the
collation).
"""

from __future__ import annotations

import unicodedata

from procuration.canonical import digest_of

# Typographic apostrophes (what phones type) are the same mark as the ASCII one.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})
# \x1f (unit separator) never occurs in a name; it keeps ("AB", "C") apart from ("A", "BC").
_SEPARATOR = "\x1f"


def fold(text: str) -> str:
    """Case- and accent-insensitive form: NFKD, combining marks dropped, casefold, single
    spaces, one apostrophe ("Élodie  MARIE" and "elodie marie" fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def name_key(birth_name: str, first_names: str, birth_date: str) -> str:
    return _SEPARATOR.join((fold(birth_name), fold(first_names), birth_date.strip()))


def person_key(birth_name: str, first_names: str, birth_date: str) -> str:
    """The one identity key of a person wherever the system compares people (the L73 cap,
    a mandant naming themself): the digest of the roll's folded key, so that no spelling
    the roll takes for the same person counts as another one, and no name is stored."""
    return digest_of(name_key(birth_name, first_names, birth_date))

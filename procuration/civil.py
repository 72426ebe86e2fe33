"""What a civil-status field may contain (PROTOCOL.md v1.1; docs/decisions.md "Civil status").

A whitelist, not a blacklist: Latin letters (accented ones included: French civil status,
circulaire du 23 juillet 2014, and the Latin-script names of electors born abroad), spaces,
hyphens and apostrophes; a birth place may also hold digits, parentheses, dots and commas
("Lyon 3e", "Alger (Algérie)"). So no NUL, no CR/LF, no control, format or bidirectional
override character, no other script. Text is NFC-normalized first, so a decomposed "é"
(e + combining acute) is accepted as the "é" it is.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator

from procuration.elections import parse_day

NAME_MAX = 100
FIRST_NAMES_MAX = 150
PLACE_MAX = 100
OLDEST_YEARS = 120
_NAME_MARKS = frozenset(" -'\u2019")
_PLACE_MARKS = _NAME_MARKS | frozenset("0123456789().,/")


@lru_cache(maxsize=4096)
def _is_latin_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L") and "LATIN" in unicodedata.name(char, "")


def _whitelisted(value: str, marks: frozenset[str], longest: int) -> str:
    text = unicodedata.normalize("NFC", value)
    if not 1 <= len(text) <= longest:
        raise ValueError(f"between 1 and {longest} characters")
    if text != text.strip() or "  " in text:
        raise ValueError("no leading, trailing or doubled spaces")
    if not any(_is_latin_letter(char) for char in text):
        raise ValueError("at least one letter")
    for char in text:
        if char not in marks and not _is_latin_letter(char):
            raise ValueError(f"character U+{ord(char):04X} is not allowed in a civil-status field")
    return text


def check_name(value: str) -> str:
    return _whitelisted(value, _NAME_MARKS, NAME_MAX)


def check_first_names(value: str) -> str:
    return _whitelisted(value, _NAME_MARKS, FIRST_NAMES_MAX)


def check_place(value: str) -> str:
    return _whitelisted(value, _PLACE_MARKS, PLACE_MAX)


# A sentence a person types (a commune's refusal reason): any printable character of any
# script, but nothing that is not shown as itself: no control (NUL, CR/LF, tab), format
# (bidirectional overrides, zero-width) or private-use character.
_UNSHOWN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
SENTENCE_MAX = 200


def check_sentence(value: str) -> str:
    text = unicodedata.normalize("NFC", value)
    if len(text) > SENTENCE_MAX:
        raise ValueError(f"at most {SENTENCE_MAX} characters")
    for char in text:
        if unicodedata.category(char) in _UNSHOWN:
            raise ValueError(f"character U+{ord(char):04X} is not allowed in a sentence")
    return text


CivilName = Annotated[str, AfterValidator(check_name)]
FirstNames = Annotated[str, AfterValidator(check_first_names)]
BirthPlace = Annotated[str, AfterValidator(check_place)]
Sentence = Annotated[str, AfterValidator(check_sentence)]


class BirthDateError(ValueError):
    pass


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 3, 1)


def check_birth_date(text: str, today: date) -> date:
    """A birth date that exists, is not after `today` and not more than 120 years before
    (the oldest French person ever recorded died at 118)."""
    try:
        born = parse_day(text)
    except ValueError:
        raise BirthDateError("not an existing date (YYYY-MM-DD)") from None
    if born > today:
        raise BirthDateError("a birth date cannot be in the future")
    if born < _years_before(today, OLDEST_YEARS):
        raise BirthDateError(f"a birth date more than {OLDEST_YEARS} years ago")
    return born

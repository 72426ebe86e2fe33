"""What a civil-status field may hold (procuration.civil): a whitelist, and birth dates
that exist, are not in the future and not absurdly old."""

from __future__ import annotations

from datetime import date

import pytest

from procuration.civil import (
    BirthDateError,
    check_birth_date,
    check_first_names,
    check_name,
    check_place,
)

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    "name",
    ["DUPONT-MOREAU", "N'DIAYE", "N’Diaye", "Lefèvre", "Œuvray", "Çelik", "Da Costa", "'T HOOFT"],
)
def test_french_civil_status_names_are_accepted(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "DUPONT\x00",
        "DUPONT\r\nX",
        "DUPONT\n",
        "Élodie\u202e",  # right-to-left override
        "A\u200bB",  # zero-width space
        "Еlodie",  # Cyrillic look-alike
        "DUPONT3",
        "<script>",
        "",
        " DUPONT",
        "DU  PONT",
        "-'-",
        "A" * 101,
    ],
)
def test_anything_else_is_refused(name: str) -> None:
    with pytest.raises(ValueError):
        check_name(name)


def test_decomposed_accents_become_the_letter() -> None:
    assert check_first_names("E\u0301lodie") == "Élodie"


def test_a_birth_place_may_hold_an_arrondissement_and_a_country() -> None:
    assert check_place("Lyon 3e") == "Lyon 3e"
    assert check_place("Alger (Algérie)") == "Alger (Algérie)"
    with pytest.raises(ValueError):
        check_place("Lyon\t3e")


@pytest.mark.parametrize(
    "text",
    [
        "2027-02-30",
        "0000-00-00",
        "9999-12-31",
        "2026-12-03",
        "1906-12-01",
        "1984-3-9",
        "1984-W10-5",
    ],
)
def test_birth_dates_that_cannot_be_are_refused(text: str) -> None:
    with pytest.raises(BirthDateError):
        check_birth_date(text, TODAY)


def test_plausible_birth_dates_are_accepted() -> None:
    assert check_birth_date("1906-12-02", TODAY) == date(1906, 12, 2)
    assert check_birth_date("2026-12-02", TODAY) == TODAY

"""The reference codec: what an officer types or a scanner sends becomes one canonical
reference, or a precise reason why it cannot be one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procuration import reference
from procuration.errors import InvalidReferenceError

references = st.text(alphabet=reference.ALPHABET, min_size=6, max_size=6)
separators = st.sampled_from([" ", "-", "\t", ".", "_"])
_LOOKALIKE_OF = {"0": "oO", "1": "iIlL"}


def test_generated_references_parse_to_themselves() -> None:
    for _ in range(500):
        generated = reference.generate()
        assert len(generated) == reference.LENGTH
        assert reference.parse(generated) == generated


def test_alphabet_has_no_lookalikes() -> None:
    assert len(reference.ALPHABET) == 32
    assert not set("ILOU") & set(reference.ALPHABET)


@given(references)
def test_parse_is_identity_on_references(value: str) -> None:
    assert reference.parse(value) == value
    assert reference.normalize(value) == value
    assert reference.is_reference(value)


@given(references, st.data())
def test_case_separators_and_lookalikes_map_back(value: str, data: st.DataObject) -> None:
    typed = []
    for char in value:
        choices = [char, char.lower(), *_LOOKALIKE_OF.get(char, "")]
        typed.append(data.draw(st.sampled_from(choices)))
        typed.append(data.draw(st.lists(separators, max_size=2).map("".join)))
    text = "".join(typed)
    assert reference.parse(text) == value


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7k3-qz9", "7K3QZ9"),
        ("o1l-iab", "0111AB"),
        (" 7K3 QZ9 ", "7K3QZ9"),
        ("7k.3_q\tz9", "7K3QZ9"),
    ],
)
def test_examples_an_officer_would_type(typed: str, expected: str) -> None:
    assert reference.parse(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        (" - ", "empty"),
        ("7K3QZ", "too-short"),
        ("7K3QZ9A", "too-long"),
        ("7K3QZU", "bad-character"),
        ("7K3QZ!", "bad-character"),
        ("7K3QZÉ", "bad-character"),
        ("7K3/Z9", "bad-character"),
    ],
)
def test_invalid_input_says_why(typed: str, reason: str) -> None:
    with pytest.raises(InvalidReferenceError) as caught:
        reference.parse(typed)
    assert caught.value.reason == reason
    assert not reference.is_reference(typed)


@given(st.text(max_size=12))
def test_any_text_parses_or_raises_a_known_reason(text: str) -> None:
    try:
        parsed = reference.parse(text)
    except InvalidReferenceError as exc:
        assert exc.reason in {"empty", "too-short", "too-long", "bad-character"}
        normalized = reference.normalize(text)
        if exc.reason == "bad-character":
            assert set(exc.detail) == set(reference.invalid_characters(normalized))
        elif exc.reason == "too-short":
            assert 0 < len(normalized) < 6
        elif exc.reason == "too-long":
            assert len(normalized) > 6
    else:
        assert reference.parse(parsed) == parsed
        assert set(parsed) <= set(reference.ALPHABET)


@given(st.text(alphabet="UuÀ!#/:", min_size=1, max_size=3), references)
def test_a_bad_character_wins_over_length(bad: str, value: str) -> None:
    with pytest.raises(InvalidReferenceError) as caught:
        reference.parse(value[:3] + bad)
    assert caught.value.reason == "bad-character"

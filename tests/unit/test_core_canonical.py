"""RFC 8785 canonical JSON: the exact bytes every signature and journal hash covers."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procuration.canonical import b64url, b64url_decode, canonical_json, digest_of

safe_int = st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
json_values = st.recursive(
    st.none() | st.booleans() | safe_int | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value


def _utf16_sorted(keys: list[str]) -> list[str]:
    return sorted(keys, key=lambda k: k.encode("utf-16-be"))


@given(json_values)
def test_canonical_bytes_parse_back_to_the_nfc_value(value: Any) -> None:
    data = canonical_json(value)
    assert json.loads(data) == _nfc(value)
    assert canonical_json(json.loads(data)) == data  # idempotent


@given(st.dictionaries(st.text(max_size=4), safe_int, max_size=8))
def test_keys_are_ordered_by_utf16_code_units_without_whitespace(value: dict[str, int]) -> None:
    data = canonical_json(value).decode("utf-8")
    parsed = json.loads(data, object_pairs_hook=list)
    nfc_keys = list(_nfc(value).keys())
    assert [k for k, _ in parsed] == _utf16_sorted(nfc_keys)
    assert b" " not in canonical_json({k: 0 for k in ["a", "b"]})


def test_astral_key_sorts_before_high_bmp_key() -> None:
    # By code point U+FF61 < U+1F600; by UTF-16 units 0xD83D < 0xFF61, and RFC 8785 says units.
    data = canonical_json({"\uff61": 1, "\U0001f600": 2})
    assert data == '{"\U0001f600":2,"\uff61":1}'.encode()


def test_strings_are_nfc_normalized_so_both_keyboards_sign_alike() -> None:
    decomposed = {"birth_name": "Lefe\u0300vre", "e\u0301": "x"}
    composed = {"birth_name": "Lefèvre", "é": "x"}
    assert canonical_json(decomposed) == canonical_json(composed)
    assert digest_of(decomposed) == digest_of(composed)


@pytest.mark.parametrize("value", [1.5, {"a": [0.0]}, {"n": float("nan")}, [1, 2.25]])
def test_floats_are_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        canonical_json(value)


def test_integers_outside_the_safe_range_are_refused() -> None:
    with pytest.raises(ValueError, match="safe integer"):
        canonical_json({"n": 2**53})
    assert canonical_json({"n": 2**53 - 1}) == b'{"n":9007199254740991}'


def test_known_vector() -> None:
    value = {
        "numbers": [333333333, 1000, -0],
        "string": '€$\u000f\nA\'B"\\\\"/',
        "literals": [None, True, False],
    }
    assert canonical_json(value) == (
        b'{"literals":[null,true,false],"numbers":[333333333,1000,0],'
        b'"string":"\xe2\x82\xac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )


@given(st.binary(max_size=64))
def test_base64url_round_trip(data: bytes) -> None:
    text = b64url(data)
    assert "=" not in text and "+" not in text and "/" not in text
    assert b64url_decode(text) == data


@pytest.mark.parametrize("text", ["AA==", "A+8", "A/8", "AB", "é"])
def test_base64url_refuses_padding_other_alphabets_and_non_canonical_bits(text: str) -> None:
    with pytest.raises(ValueError):
        b64url_decode(text)

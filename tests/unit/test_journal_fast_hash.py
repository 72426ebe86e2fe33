"""The journal's fast hashing path must give exactly the RFC 8785 hash, or step aside."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from procuration import journal
from procuration.canonical import digest_of
from procuration.errors import JournalError

ascii_text = st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40)
any_text = st.text(max_size=20)
safe_int = st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
scalar = st.one_of(st.none(), st.booleans(), safe_int, ascii_text, any_text)


def _entry(detail: dict[str, Any], actor: str, seq: int) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": "2026-11-28T09:31:07Z",
        "kind": "validation.validated",
        "actor": actor,
        "station": "PN-75-001",
        "reference": "7K3QZ9",
        "detail": detail,
        "prev_hash": journal.GENESIS_HASH,
    }


@given(st.dictionaries(any_text, scalar, max_size=8), any_text, st.integers(1, 2**40))
def test_entry_hash_is_the_rfc8785_hash(detail: dict[str, Any], actor: str, seq: int) -> None:
    entry = _entry(detail, actor, seq)
    assert journal.entry_hash(entry) == digest_of(entry)


@given(st.sampled_from([1.5, 2**60, -(2**53), [1], {"a": 1}]))
def test_values_outside_the_plain_domain_take_the_generic_path(value: Any) -> None:
    entry = _entry({"x": value}, "PN1", 1)
    assert journal._fast_entry_hash(entry) is None


def test_non_nfc_text_hashes_like_its_nfc_form() -> None:
    decomposed = _entry({}, "E\u0301mile", 1)
    composed = _entry({}, "\u00c9mile", 1)
    assert journal.entry_hash(decomposed) == journal.entry_hash(composed)


@given(st.sampled_from([1.5, 2**60]))
def test_an_entry_with_no_canonical_form_is_reported_as_edited(value: Any) -> None:
    entry = {**_entry({"x": value}, "PN1", 1), "hash": journal.GENESIS_HASH}
    try:
        journal.verify_chain([entry])
    except JournalError as error:
        assert (error.reason, error.seq) == ("edited", 1)
    else:
        raise AssertionError("an entry with a float or a huge integer was accepted")

"""The whole-run verification of a long journal gives exactly the entry-by-entry verdict:
the same first bad entry and reason, or the same acceptance, across run boundaries."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procuration import journal
from procuration.canonical import b64url
from procuration.errors import JournalError
from procuration.journal import GENESIS_HASH, RUN_LENGTH, seal, verify_chain

SIZE = 2 * RUN_LENGTH + 77  # three runs, the last one short


def _chain(size: int) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    prev = GENESIS_HASH
    for seq in range(1, size + 1):
        refused = seq % 3 == 0
        detail = {"status": "pending"} if seq % 2 else {"delay_s": seq, "offline": refused}
        entry = {
            "seq": seq,
            "at": f"2026-11-28T09:{seq % 60:02d}:07Z",
            "kind": "validation.refused" if refused else "request.lookup",
            "actor": f"OPJ-{1000 + seq % 7}",
            "station": "PN-75-001",
            "reference": None if refused else "7K3QZ9",
            "detail": {**detail, "refusal_reason": None},
            "prev_hash": prev,
        }
        entries.append(seal(entry))
        prev = entries[-1]["hash"]
    return entries


CHAIN = _chain(SIZE)
BOUNDARIES = [1, RUN_LENGTH - 1, RUN_LENGTH, RUN_LENGTH + 1, 2 * RUN_LENGTH, SIZE]
positions = st.one_of(st.sampled_from(BOUNDARIES), st.integers(1, SIZE))


def _orjson_hash(entry: dict[str, Any]) -> str:
    """What a hash over orjson's bytes would be: a forger's choice where they differ."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    data = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    return b64url(hashlib.sha256(data).digest())


def _nan_for_none(entries: list[dict[str, Any]], i: int) -> None:
    entries[i]["detail"]["refusal_reason"] = math.nan  # orjson writes NaN as null


def _float_seq_resealed(entries: list[dict[str, Any]], i: int) -> None:
    entries[i]["seq"] = float(entries[i]["seq"])  # 1.0: RFC 8785 writes 1, orjson 1.0
    entries[i]["hash"] = _orjson_hash(entries[i])


def _edited(entries: list[dict[str, Any]], i: int) -> None:
    entries[i]["actor"] = "OPJ-9999"


def _deleted(entries: list[dict[str, Any]], i: int) -> None:
    del entries[i]


def _swapped(entries: list[dict[str, Any]], i: int) -> None:
    j = i - 1 if i else i + 1
    entries[i], entries[j] = entries[j], entries[i]


def _nested_detail(entries: list[dict[str, Any]], i: int) -> None:
    entries[i]["detail"]["extra"] = {"list": [1, 2]}


def _hash_with_quote(entries: list[dict[str, Any]], i: int) -> None:
    entries[i]["hash"] = '"' + entries[i]["hash"][1:]


TAMPERINGS: list[Callable[[list[dict[str, Any]], int], None]] = [
    _nan_for_none,
    _float_seq_resealed,
    _edited,
    _deleted,
    _swapped,
    _nested_detail,
    _hash_with_quote,
]


def _copy(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "detail": dict(e["detail"])} for e in entries]


def _verdict(verify: Callable[[], Any]) -> tuple[str, int | None] | str:
    try:
        verify()
    except JournalError as error:
        return error.reason, error.seq
    return "ok"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(TAMPERINGS), positions)
def test_a_tampered_long_chain_gets_the_per_entry_verdict(
    tamper: Callable[[list[dict[str, Any]], int], None], position: int
) -> None:
    entries = _copy(CHAIN)
    tamper(entries, min(position, SIZE) - 1)
    expected = _verdict(lambda: journal._verify_each(entries, 1, GENESIS_HASH, None))
    assert _verdict(lambda: verify_chain(entries)) == expected


def test_a_nan_where_null_was_is_an_edit_though_orjson_writes_both_as_null() -> None:
    entries = _copy(CHAIN)
    _nan_for_none(entries, RUN_LENGTH + 3)
    with pytest.raises(JournalError) as caught:
        verify_chain(entries)
    assert (caught.value.reason, caught.value.seq) == ("edited", RUN_LENGTH + 4)


def test_a_long_untouched_chain_verifies_to_its_head() -> None:
    assert verify_chain(CHAIN) == (SIZE, CHAIN[-1]["hash"])


def test_entries_outside_the_plain_shapes_still_verify_in_a_long_chain() -> None:
    """Non-ASCII text (hashed in NFC form) and a nested detail take the generic path."""
    entries = _copy(CHAIN[: RUN_LENGTH + 5])
    entries[3] = {**entries[3], "actor": "E\u0301mile", "detail": {"a": [1, {"b": None}]}}
    entries[3] = seal(entries[3])
    entries[4] = seal({**entries[4], "prev_hash": entries[3]["hash"]})
    for i in range(5, len(entries)):
        entries[i] = seal({**entries[i], "prev_hash": entries[i - 1]["hash"]})
    assert verify_chain(entries) == (len(entries), entries[-1]["hash"])


def test_a_range_known_before_is_checked_across_runs() -> None:
    known = {seq: CHAIN[seq - 1]["hash"] for seq in range(1, SIZE + 1)}
    known[RUN_LENGTH + 9] = GENESIS_HASH
    with pytest.raises(JournalError) as caught:
        verify_chain(CHAIN, known_hashes=known)
    assert (caught.value.reason, caught.value.seq) == ("rewritten", RUN_LENGTH + 9)

"""The journal's hash chain and checkpoints: every kind of tampering is detected, at the
first entry that proves it."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from procuration import jws, keys
from procuration.errors import JournalError, SignatureError
from procuration.journal import (
    GENESIS_HASH,
    ChainAnchor,
    check_progress,
    seal,
    verify_chain,
    verify_range,
)
from procuration.models import CHECKPOINT_TYP, CheckpointPayload

JOURNAL_KEY = Ed25519PrivateKey.generate()
TRUSTED = {keys.kid_of(JOURNAL_KEY): JOURNAL_KEY.public_key()}
STATION = "PN-75-001"
SIZE = 12
positions = st.integers(1, SIZE)


def _entry(seq: int, prev: str, actor: str = "100001") -> dict[str, Any]:
    return seal(
        {
            "seq": seq,
            "at": f"2026-11-28T09:{seq % 60:02d}:07Z",
            "kind": "request.lookup",
            "actor": actor,
            "station": STATION,
            "reference": "7K3QZ9",
            "detail": {"status": "submitted"},
            "prev_hash": prev,
        }
    )


def _chain(size: int = SIZE, first: int = 1, prev: str = GENESIS_HASH) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for seq in range(first, first + size):
        entries.append(_entry(seq, prev))
        prev = entries[-1]["hash"]
    return entries


def _rechain(entries: list[dict[str, Any]], start: int) -> list[dict[str, Any]]:
    """What a forger without the journal key can do: renumber and rehash from `start`."""
    out = [dict(e) for e in entries]
    for index in range(start - 1, len(out)):
        prev = out[index - 1]["hash"] if index else GENESIS_HASH
        body = {k: v for k, v in out[index].items() if k != "hash"}
        out[index] = seal({**body, "seq": index + 1, "prev_hash": prev})
    return out


def _checkpoint(entries: list[dict[str, Any]], size: int | None = None) -> str:
    size = len(entries) if size is None else size
    head = entries[size - 1]["hash"] if size else GENESIS_HASH
    payload = CheckpointPayload(journal=STATION, size=size, head=head, at="2026-11-28T18:00:00Z")
    return jws.sign(payload.model_dump(), JOURNAL_KEY, CHECKPOINT_TYP)


def _payload(token: str) -> CheckpointPayload:
    return CheckpointPayload.model_validate(jws.verify(token, TRUSTED, CHECKPOINT_TYP).payload)


def _fails_at(entries: list[dict[str, Any]], **options: Any) -> JournalError:
    with pytest.raises(JournalError) as caught:
        verify_range(
            STATION,
            entries,
            anchor=ChainAnchor(),
            checkpoint_token=options.pop("token", CHECKPOINT),
            journal_keys=TRUSTED,
            **options,
        )
    return caught.value


GOOD = _chain()
CHECKPOINT = _checkpoint(GOOD)


def test_an_untouched_chain_verifies() -> None:
    verdict = verify_range(
        STATION, GOOD, anchor=ChainAnchor(), checkpoint_token=CHECKPOINT, journal_keys=TRUSTED
    )
    assert (verdict.last_seq, verdict.head, verdict.signed_up_to) == (SIZE, GOOD[-1]["hash"], SIZE)


def test_a_range_verifies_from_its_anchor() -> None:
    anchor = ChainAnchor(5, GOOD[3]["hash"])
    assert verify_chain(GOOD[4:], anchor) == (SIZE, GOOD[-1]["hash"])
    with pytest.raises(JournalError) as caught:
        verify_chain(GOOD[4:], ChainAnchor(5, GOOD[2]["hash"]))
    assert (caught.value.reason, caught.value.seq) == ("broken-link", 5)


@given(positions, st.sampled_from(["at", "kind", "actor", "reference", "detail", "hash"]))
def test_an_edited_entry_is_detected_at_that_entry(seq: int, field: str) -> None:
    entries = [dict(e) for e in GOOD]
    entries[seq - 1][field] = {"status": "validated"} if field == "detail" else "X" * 43
    error = _fails_at(entries)
    assert (error.reason, error.seq) == ("edited", seq)


@given(positions)
def test_an_added_field_is_an_edit(seq: int) -> None:
    entries = [dict(e) for e in GOOD]
    entries[seq - 1]["comment"] = "harmless?"
    assert _fails_at(entries).seq == seq


@given(st.integers(1, SIZE - 1))
def test_a_deleted_entry_is_detected_where_it_was(seq: int) -> None:
    entries = GOOD[: seq - 1] + GOOD[seq:]
    error = _fails_at(entries)
    assert (error.reason, error.seq) == ("sequence", seq)


@given(st.integers(1, SIZE - 1), st.data())
def test_reordered_entries_are_detected_at_the_first_moved_one(
    first: int, data: st.DataObject
) -> None:
    second = data.draw(st.integers(first + 1, SIZE))
    entries = list(GOOD)
    entries[first - 1], entries[second - 1] = entries[second - 1], entries[first - 1]
    assert _fails_at(entries).seq == first


@given(positions)
def test_an_inserted_entry_is_detected(seq: int) -> None:
    prev = GOOD[seq - 2]["hash"] if seq > 1 else GENESIS_HASH
    forged = _entry(seq, prev, actor="intrus")  # well formed and well linked
    entries = [*GOOD[: seq - 1], forged, *GOOD[seq - 1 :]]
    # Alone, the chain can only show it at the next entry, whose seq is now out of place...
    assert _fails_at(entries).seq == seq + 1
    # ...a verifier who saw the original hashes names the forged entry itself.
    known = {e["seq"]: e["hash"] for e in GOOD}
    error = _fails_at(entries, known_hashes=known)
    assert (error.reason, error.seq) == ("rewritten", seq)


@given(st.integers(0, SIZE - 1))
def test_a_truncated_journal_is_detected_against_the_checkpoint(kept: int) -> None:
    error = _fails_at(GOOD[:kept])
    assert (error.reason, error.seq) == ("truncated", kept + 1)


@settings(max_examples=30)
@given(positions)
def test_a_consistent_rechain_is_detected(seq: int) -> None:
    entries = [dict(e) for e in GOOD]
    entries[seq - 1]["actor"] = "someone-else"
    forged = _rechain(entries, seq)
    assert verify_chain(forged) == (SIZE, forged[-1]["hash"])  # consistent on its own
    # The signed head no longer matches...
    assert _fails_at(forged).reason == "rewritten"
    # ...and a verifier who remembers hashes names the first rewritten entry.
    error = _fails_at(forged, known_hashes={e["seq"]: e["hash"] for e in GOOD})
    assert (error.reason, error.seq) == ("rewritten", seq)
    # A checkpoint over the forgery needs the journal key: another key is refused.
    impostor = Ed25519PrivateKey.generate()
    forged_head = CheckpointPayload(
        journal=STATION, size=SIZE, head=forged[-1]["hash"], at="2026-11-28T18:00:00Z"
    )
    token = jws.sign(forged_head.model_dump(), impostor, CHECKPOINT_TYP)
    with pytest.raises(SignatureError):
        verify_range(
            STATION, forged, anchor=ChainAnchor(), checkpoint_token=token, journal_keys=TRUSTED
        )


def test_a_checkpoint_of_another_journal_is_refused() -> None:
    payload = CheckpointPayload(
        journal="GN-33-063", size=SIZE, head=GOOD[-1]["hash"], at="2026-11-28T18:00:00Z"
    )
    token = jws.sign(payload.model_dump(), JOURNAL_KEY, CHECKPOINT_TYP)
    with pytest.raises(SignatureError) as caught:
        verify_range(
            STATION, GOOD, anchor=ChainAnchor(), checkpoint_token=token, journal_keys=TRUSTED
        )
    assert caught.value.reason == "wrong-context"


def test_a_journal_that_grew_since_the_last_checkpoint_progresses() -> None:
    older = _payload(_checkpoint(GOOD, 5))
    verdict = verify_range(
        STATION,
        GOOD,
        anchor=ChainAnchor(),
        checkpoint_token=CHECKPOINT,
        journal_keys=TRUSTED,
        previous=older,
    )
    assert verdict.signed_up_to == SIZE


def test_rollback_is_detected() -> None:
    previous = _payload(CHECKPOINT)
    shorter = _checkpoint(GOOD, SIZE - 3)
    error = _fails_at(GOOD[: SIZE - 3], token=shorter, previous=previous)
    assert (error.reason, error.seq) == ("rolled-back", SIZE - 3)


def test_fork_at_the_same_size_is_detected() -> None:
    previous = _payload(CHECKPOINT)
    entries = [dict(e) for e in GOOD]
    entries[SIZE - 1]["actor"] = "someone-else"
    forked = _rechain(entries, SIZE)
    with pytest.raises(JournalError) as caught:
        check_progress(
            previous, _payload(_checkpoint(forked)), {e["seq"]: e["hash"] for e in forked}
        )
    assert (caught.value.reason, caught.value.seq) == ("forked", SIZE)


@given(st.integers(1, SIZE - 2))
def test_fork_of_an_older_past_is_detected(seq: int) -> None:
    previous = _payload(_checkpoint(GOOD, SIZE - 1))
    entries = [dict(e) for e in GOOD]
    entries[seq - 1]["kind"] = "request.lookup_unknown"
    forked = _rechain(entries, seq)
    error = _fails_at(forked, token=_checkpoint(forked), previous=previous)
    assert (error.reason, error.seq) == ("forked", SIZE - 1)

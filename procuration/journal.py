"""The tamper-evident journal: a hash chain per station, anchored by signed checkpoints.

Each entry's hash covers the entry and, through `prev_hash`, every entry before it. The
backend signs checkpoints (size, head) with its journal key; a verifier who holds an entry
range and a checkpoint can tell that nothing in the range was edited, dropped, inserted or
reordered, and a verifier who remembers an older checkpoint can tell that the journal was
not rolled back or forked since. Any failure names the first bad entry.
"""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import orjson
from pydantic import ValidationError

from procuration import jws
from procuration.canonical import b64url, digest_of
from procuration.errors import JournalError, SignatureError
from procuration.journal_runs import run_is_sound
from procuration.models import CHECKPOINT_TYP, CheckpointPayload

GENESIS_HASH = b64url(bytes(32))
NATIONAL = "national"
HASHED_FIELDS = ("seq", "at", "kind", "actor", "station", "reference", "detail", "prev_hash")
_ENTRY_FIELDS = frozenset({*HASHED_FIELDS, "hash"})


def entry_hash(entry: Mapping[str, Any]) -> str:
    """base64url(SHA-256(canonical JSON of the entry without "hash"))."""
    fast = _fast_entry_hash(entry)
    if fast is not None:
        return fast
    return digest_of({k: v for k, v in entry.items() if k != "hash"})


_PLAIN_TYPES = frozenset({str, int, bool, type(None)})
_TOP_TYPES = _PLAIN_TYPES | {dict}
_FAST_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER
_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _canonical_body(entry: Mapping[str, Any]) -> bytes | None:
    """RFC 8785 bytes of a flat ASCII entry without "hash", or None when only the generic
    path may decide (non-ASCII text needing NFC, floats, large integers, nested values).

    For such entries orjson with sorted keys writes exactly the RFC 8785 bytes (a property
    test compares the two paths). Every check here is a C-level pass (a dict copy, two type
    scans, orjson's own 53-bit integer limit, a byte count), because this runs once per
    entry in the 1,000,000-entry verification of a supervisor's journal.
    """
    if type(entry) is not dict:
        return None
    body = entry.copy()
    body.pop("hash", None)
    detail = body.get("detail")
    if not (
        type(detail) is dict
        and _TOP_TYPES.issuperset(map(type, body.values()))
        and _PLAIN_TYPES.issuperset(map(type, detail.values()))
    ):
        return None
    try:
        data = orjson.dumps(body, option=_FAST_OPTIONS)
    except orjson.JSONEncodeError:  # an integer JavaScript cannot represent exactly
        return None
    # Two braces: the entry's and detail's, so no other member was a dict. A brace inside
    # a string also lands here and merely takes the generic path.
    if not data.isascii() or data.count(b"{") != 2:
        return None
    return data


def _fast_entry_hash(entry: Mapping[str, Any]) -> str | None:
    """`entry_hash(entry)` when `_canonical_body` applies, else None."""
    data = _canonical_body(entry)
    if data is None:
        return None
    encoded = binascii.b2a_base64(hashlib.sha256(data).digest(), newline=False)
    return encoded[:43].translate(_URLSAFE).decode("ascii")


def _hash_or_none(entry: Mapping[str, Any]) -> str | None:
    """The generic hash, or None for an entry no canonical JSON exists for (a float, an
    integer beyond 2^53): such an entry was not written by the backend, so it is edited."""
    try:
        return entry_hash(entry)
    except (TypeError, ValueError):
        return None


def seal(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry with its `hash` filled in; `prev_hash` must already be set."""
    body = {k: entry[k] for k in HASHED_FIELDS}
    return {**body, "hash": entry_hash(body)}


@dataclass(frozen=True)
class ChainAnchor:
    """Where a range starts: the seq of its first entry and the hash before it."""

    first_seq: int = 1
    prev_hash: str = GENESIS_HASH


def verify_chain(
    entries: Iterable[Mapping[str, Any]],
    anchor: ChainAnchor = ChainAnchor(),
    *,
    known_hashes: Mapping[int, str] | None = None,
) -> tuple[int, str]:
    """Checks every entry of a contiguous range; returns (last seq, head hash).

    `known_hashes` are hashes this verifier saw before (seq -> hash): a re-chained journal,
    even a consistent one, differs from them at the first rewritten entry.

    Runs of entries are checked in whole-run passes (`journal_runs`); a run that does not
    pass as a whole is checked entry by entry, which names the first bad entry.
    """
    expected_seq, prev = anchor.first_seq, anchor.prev_hash
    remaining = iter(entries)
    while run := list(islice(remaining, RUN_LENGTH)):
        if run_is_sound(run, expected_seq, prev, _ENTRY_FIELDS, known_hashes):
            expected_seq, prev = expected_seq + len(run), str(run[-1]["hash"])
        else:
            expected_seq, prev = _verify_each(run, expected_seq, prev, known_hashes)
    return expected_seq - 1, prev


RUN_LENGTH = 128  # entries per whole-run pass: a run's objects stay in the CPU's L2 cache


def _verify_each(
    entries: Iterable[Mapping[str, Any]],
    expected_seq: int,
    prev: str,
    known_hashes: Mapping[int, str] | None,
) -> tuple[int, str]:
    """The entry-by-entry check; returns the next expected seq and the last hash."""
    for entry in entries:
        seq = entry.get("seq")
        if seq != expected_seq:
            raise JournalError("sequence", expected_seq, f"found entry {seq}")
        if entry.get("prev_hash") != prev:
            raise JournalError("broken-link", expected_seq)
        claimed = entry.get("hash")
        if entry.keys() != _ENTRY_FIELDS or _hash_or_none(entry) != claimed:
            raise JournalError("edited", expected_seq)
        if known_hashes is not None and known_hashes.get(expected_seq, claimed) != claimed:
            raise JournalError("rewritten", expected_seq)
        prev = entry["hash"]
        expected_seq += 1
    return expected_seq, prev


def verify_checkpoint(token: str, journal_keys: jws.KeyLookup) -> CheckpointPayload:
    """The checkpoint a token vouches for, if the journal key signed it."""
    verified = jws.verify(token, journal_keys, CHECKPOINT_TYP)
    try:
        return CheckpointPayload.model_validate(verified.payload)
    except ValidationError as exc:
        raise SignatureError("wrong-context", "not a journal checkpoint") from exc


def check_covered(
    checkpoint: CheckpointPayload, hashes_by_seq: Mapping[int, str], anchor: ChainAnchor
) -> None:
    """The signed head must be the hash of entry `size` in the verified range."""
    if checkpoint.size == anchor.first_seq - 1:
        actual = anchor.prev_hash
    else:
        actual_or_none = hashes_by_seq.get(checkpoint.size)
        if actual_or_none is None:
            raise JournalError("truncated", checkpoint.size, "the signed size is not in range")
        actual = actual_or_none
    if actual != checkpoint.head:
        raise JournalError("rewritten", checkpoint.size, "the signed head does not match")


def check_progress(
    previous: CheckpointPayload, current: CheckpointPayload, hashes_by_seq: Mapping[int, str]
) -> None:
    """A journal only grows: a smaller signed size is a rollback, a different past a fork."""
    if current.size < previous.size:
        raise JournalError("rolled-back", current.size, f"was {previous.size} entries")
    if current.size == previous.size and current.head != previous.head:
        raise JournalError("forked", previous.size)
    seen = hashes_by_seq.get(previous.size)
    if seen is not None and seen != previous.head:
        raise JournalError("forked", previous.size)


@dataclass(frozen=True)
class JournalVerdict:
    """The outcome of a full verification, for display and for remembering."""

    last_seq: int
    head: str
    checkpoint: CheckpointPayload
    signed_up_to: int


class ContiguousHashes(Mapping[int, str]):
    """seq -> hash over a verified contiguous range, without building a dict of 100,000
    entries for the one or two seqs the checkpoint checks look up."""

    def __init__(self, entries: Sequence[Mapping[str, Any]], first_seq: int) -> None:
        self._entries = entries
        self._first = first_seq

    def __getitem__(self, seq: int) -> str:
        index = seq - self._first
        if not 0 <= index < len(self._entries):
            raise KeyError(seq)
        return str(self._entries[index]["hash"])

    def __iter__(self) -> Iterator[int]:
        return iter(range(self._first, self._first + len(self._entries)))

    def __len__(self) -> int:
        return len(self._entries)


def verify_range(
    journal: str,
    entries: Sequence[Mapping[str, Any]],
    *,
    anchor: ChainAnchor,
    checkpoint_token: str,
    journal_keys: jws.KeyLookup,
    previous: CheckpointPayload | None = None,
    known_hashes: Mapping[int, str] | None = None,
) -> JournalVerdict:
    """Chain, checkpoint signature, coverage and progress, in that order."""
    last_seq, head = verify_chain(entries, anchor, known_hashes=known_hashes)
    checkpoint = verify_checkpoint(checkpoint_token, journal_keys)
    if checkpoint.journal != journal:
        raise SignatureError("wrong-context", f"checkpoint of journal {checkpoint.journal}")
    hashes = ContiguousHashes(entries, anchor.first_seq)  # verify_chain proved contiguity
    if checkpoint.size > last_seq:
        raise JournalError("truncated", last_seq + 1, f"the signed journal has {checkpoint.size}")
    if checkpoint.size >= anchor.first_seq - 1:
        check_covered(checkpoint, hashes, anchor)
    if previous is not None:
        check_progress(previous, checkpoint, hashes)
    return JournalVerdict(last_seq, head, checkpoint, checkpoint.size)

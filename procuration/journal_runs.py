"""Checks a run of journal entries in whole-run passes, for the million-entry verification.

`verify_chain` checks entry after entry; most of its time per entry went to the interpreter
(a dict copy, type checks, one orjson call, one SHA-256 object, base64 and compare, each a
separate call). Here each step is one C-level pass over a run of entries: `map` over
`itemgetter`, one orjson call for the run's canonical bodies, one split into entries, one
base64 of all the digests and one compare against all the claimed hashes.

A run passes only when every entry would pass the per-entry check too: exact plain types
(no float, whose orjson form differs from RFC 8785's, and NaN, which orjson writes `null`),
ASCII, integers within 2^53 (orjson's strict mode), then the same bytes as the per-entry
fast path. Anything else makes the run "undecided" and the per-entry loop, which names the
first bad entry, decides it.
"""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Mapping, Sequence
from itertools import chain, repeat
from operator import eq, itemgetter, methodcaller
from typing import Any, cast

import orjson

PLAIN_TYPES = frozenset({str, int, bool, type(None)})
_TOP_TYPES = PLAIN_TYPES | {dict}
_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER
_HEAD = b'{"actor":'  # every body's first member: "actor" sorts first of HASHED_FIELDS
_SEPARATOR = b"," + _HEAD  # cannot occur inside a string: its quote would be escaped
_DETAIL, _PREV, _SEQ = (itemgetter(k) for k in ("detail", "prev_hash", "seq"))
_DIGEST = methodcaller("digest")
_URLSAFE = bytes.maketrans(b"+/", b"-_")
_HASH_LENGTH = 43  # base64url of 32 bytes, unpadded


def run_is_sound(
    run: Sequence[Mapping[str, Any]],
    first_seq: int,
    prev_hash: str,
    fields: frozenset[str],
    known_hashes: Mapping[int, str] | None = None,
) -> bool:
    """True when every entry of the run is in sequence from `first_seq`, linked from
    `prev_hash`, has exactly `fields` and hashes to its claimed `hash`; False when the
    per-entry check must decide (a bad entry, or one outside the plain shapes)."""
    if not run or set(map(type, run)) != {dict}:
        return False
    dicts = cast("Sequence[dict[str, Any]]", run)
    if not _plain_shapes(dicts, fields):
        return False
    seqs = list(map(_SEQ, run))
    if seqs != list(range(first_seq, first_seq + len(run))):
        return False
    bodies = list(map(dict.copy, dicts))
    claimed = list(map(dict.pop, bodies, repeat("hash")))
    prevs = list(map(_PREV, run))
    if prevs[0] != prev_hash or prevs[1:] != claimed[:-1]:
        return False
    if known_hashes is not None and list(map(known_hashes.get, seqs, claimed)) != claimed:
        return False
    return _hashes_match(bodies, claimed)


def _plain_shapes(run: Sequence[dict[str, Any]], fields: frozenset[str]) -> bool:
    """Exactly `fields`, plain scalars, and a `detail` dict of plain scalars (that no
    other member is a dict is told by the braces in the bytes)."""
    if not _same_fields(run, fields):
        return False
    details = list(map(_DETAIL, run))
    if set(map(type, details)) != {dict}:
        return False
    values = chain.from_iterable(map(dict.values, chain(run, details)))
    return _TOP_TYPES.issuperset(map(type, values))


def _same_fields(run: Sequence[dict[str, Any]], fields: frozenset[str]) -> bool:
    """Every entry has exactly `fields`: compared as one list when all list their keys in
    the first entry's order (a server writes them so), else entry by entry."""
    order = list(run[0])
    in_one_order = len(order) == len(fields) and fields.issuperset(order)
    if in_one_order and list(chain.from_iterable(run)) == order * len(run):
        return True
    return all(map(eq, map(dict.keys, run), repeat(fields)))


def _hashes_match(bodies: list[dict[str, Any]], claimed: list[Any]) -> bool:
    """Each body's SHA-256 of its RFC 8785 bytes, base64url, equals its claimed hash."""
    try:
        data = orjson.dumps(bodies, option=_OPTIONS)
        if set(map(len, claimed)) != {_HASH_LENGTH}:
            return False
        # Each claimed hash followed by "A" is 44 characters: the base64 of the digest
        # followed by a zero byte, so one base64 pass encodes every digest at once.
        expected = ("A".join(claimed) + "A").encode("ascii")
    except (orjson.JSONEncodeError, TypeError, UnicodeEncodeError):
        return False
    if not data.isascii() or data.count(b"{") != 2 * len(bodies):
        return False
    parts = data[len(_HEAD) + 1 : -1].split(_SEPARATOR)
    if len(parts) != len(bodies):
        return False
    digests = map(_DIGEST, map(hashlib.sha256, map(_HEAD.__add__, parts)))
    encoded = binascii.b2a_base64(b"\0".join(digests) + b"\0", newline=False)
    return encoded.translate(_URLSAFE) == expected

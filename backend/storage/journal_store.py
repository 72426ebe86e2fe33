"""Appending to and reading the journal chains (docs/journal-wire.md), and checkpoints."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, text
from sqlalchemy.orm import Session

from backend.errors import ConflictError
from backend.keys import SigningKey
from backend.storage.engine import chain_lock_key
from backend.storage.prepared import Db, Prepared
from backend.storage.tables import Base, Checkpoint, JournalRow
from procuration import jws, timeutil, wire
from procuration.errors import ProcurationError
from procuration.journal import GENESIS_HASH, NATIONAL, seal, verify_checkpoint
from procuration.models import CHECKPOINT_TYP, CheckpointPayload
from procuration.wire import JournalKind

Detail = Mapping[str, str | int | bool | None]


def chain_of(station: str | None) -> str:
    return station or NATIONAL


# Prepared statements (backend/storage/prepared.py): every validation and lookup appends.
_JOURNAL = Base.metadata.tables[JournalRow.__tablename__]
_HEAD = Prepared(
    select(_JOURNAL.c.seq, _JOURNAL.c.hash)
    .where(_JOURNAL.c.chain == bindparam("chain"))
    .order_by(_JOURNAL.c.seq.desc())
    .limit(1)
)
_INSERT = Prepared(
    insert(_JOURNAL),
    columns=[
        "chain", "seq", "at", "kind", "actor", "station", "reference", "detail_json",
        "prev_hash", "hash",
    ],
)  # fmt: skip
_LOCK = Prepared(text("SELECT pg_advisory_xact_lock(:key)"))
# What the lookup limit counts. A rejected validation counts too: its answer may tell
# whether a reference exists (docs/protocol.md v1.1 "Uniform refusals").
LOOKUP_KINDS = tuple(
    kind.value for kind in (*wire.LOOKUP_KINDS, wire.JournalKind.VALIDATION_REJECTED)
)
_RECENT = Prepared(
    select(func.count().label("hits"), func.min(_JOURNAL.c.at).label("first")).where(
        _JOURNAL.c.chain == bindparam("chain"),
        _JOURNAL.c.actor == bindparam("actor"),
        _JOURNAL.c.at > bindparam("since"),
        # Values bound here travel with the statement (Prepared: no expanding IN lists).
        or_(
            *(
                _JOURNAL.c.kind == bindparam(f"kind_{n}", kind)
                for n, kind in enumerate(LOOKUP_KINDS)
            )
        ),
    )
)


def recent_lookups(db: Db, chain: str, actor: str, since: str) -> tuple[int, str | None]:
    """How many lookups `actor` made in `chain` after `since`, and when the first was."""
    found = db.first(_RECENT, chain=chain, actor=actor, since=since)
    return int(found.hits), found.first


def head(target: Session | Db, chain: str) -> tuple[int, str]:
    """(size, head hash) of a chain; (0, genesis) when empty."""
    db = target if isinstance(target, Db) else Db.of(target)
    row = db.first(_HEAD, chain=chain)
    return (row.seq, row.hash) if row else (0, GENESIS_HASH)


def lock_chain(db: Db, chain: str) -> None:
    """Serializes appends to one journal chain until the transaction ends."""
    lock_name(db, chain)


def lock_name(db: Db, name: str) -> None:
    """Serializes the transactions that take the lock `name` until they end.

    SQLite already holds its single write lock (BEGIN IMMEDIATE); on PostgreSQL several
    backend instances may write at once, so a transaction-scoped advisory lock does it.
    """
    if db.is_postgresql:
        db.run(_LOCK, key=chain_lock_key(name))


def append(
    target: Session | Db,
    *,
    at: datetime,
    kind: JournalKind,
    station: str | None,
    actor: str | None = None,
    reference: str | None = None,
    detail: Detail | None = None,
) -> dict[str, Any]:
    """Seals and inserts one entry at the end of the station's chain (or `national`).

    Runs inside the caller's transaction, so the entry commits with the change it records.
    """
    db = target if isinstance(target, Db) else Db.of(target)
    kind = JournalKind(kind)  # a kind the client has no word for fails here, not on a screen
    chain = chain_of(station)
    lock_chain(db, chain)
    size, prev = head(db, chain)
    entry = seal(
        {
            "seq": size + 1,
            "at": timeutil.to_wire(at),
            "kind": kind.value,
            "actor": actor,
            "station": station,
            "reference": reference,
            "detail": dict(detail or {}),
            "prev_hash": prev,
        }
    )
    db.run(
        _INSERT,
        chain=chain,
        seq=entry["seq"],
        at=entry["at"],
        kind=kind.value,
        actor=actor,
        station=station,
        reference=reference,
        detail_json=json.dumps(entry["detail"], sort_keys=True),
        prev_hash=prev,
        hash=entry["hash"],
    )
    return entry


def as_entry(row: JournalRow) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "kind": row.kind,
        "actor": row.actor,
        "station": row.station,
        "reference": row.reference,
        "detail": json.loads(row.detail_json),
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


def entries(session: Session, chain: str, first: int, last: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(JournalRow)
        .where(JournalRow.chain == chain, JournalRow.seq >= first, JournalRow.seq <= last)
        .order_by(JournalRow.seq)
    )
    return [as_entry(row) for row in rows]


def hash_at(session: Session, chain: str, seq: int) -> str:
    if seq <= 0:
        return GENESIS_HASH
    found = session.scalar(
        select(JournalRow.hash).where(JournalRow.chain == chain, JournalRow.seq == seq)
    )
    return found or GENESIS_HASH


def chains(session: Session) -> Sequence[str]:
    """Chains with entries or with checkpoints (a chain whose rows were all deleted still
    has its checkpoints, which verification must report)."""
    with_entries = set(session.scalars(select(JournalRow.chain).distinct()))
    return sorted(with_entries | set(session.scalars(select(Checkpoint.chain).distinct())))


class CheckpointRefusedError(ConflictError):
    """409 `conflict`: the chain no longer extends a checkpoint signed before."""

    title = "Chain does not extend its checkpoint"


def sign_checkpoint(
    session: Session, chain: str, key: SigningKey, at: datetime, seen: str | None = None
) -> str:
    """Signs (size, head) of `chain` as it stands; kept in `checkpoints`, not in the chain
    (an entry per checkpoint would make every checkpoint stale at once).

    Refuses (CheckpointRefusedError) when the chain does not extend its latest checkpoint,
    or `seen`, a checkpoint kept outside the database: signing a rolled-back or rewritten
    chain would launder the tampering.
    """
    db = Db.of(session)
    lock_chain(db, chain)
    size, head_hash = head(db, chain)
    latest = latest_checkpoint(session, chain)
    for token in (latest.jws if latest else None, seen):
        if token is not None:
            _check_extends(session, chain, size, _signed_by(token, key))
    payload = CheckpointPayload(journal=chain, size=size, head=head_hash, at=timeutil.to_wire(at))
    token = jws.sign(payload.model_dump(), key.private, CHECKPOINT_TYP)
    session.add(Checkpoint(chain=chain, size=size, head=head_hash, at=payload.at, jws=token))
    session.flush()
    return token


def _signed_by(token: str, key: SigningKey) -> CheckpointPayload:
    try:
        return verify_checkpoint(token, {key.kid: key.private.public_key()})
    except ProcurationError as exc:
        raise CheckpointRefusedError(f"a previous checkpoint does not verify: {exc}") from exc


def _check_extends(session: Session, chain: str, size: int, previous: CheckpointPayload) -> None:
    if previous.journal != chain:
        raise CheckpointRefusedError(f"a checkpoint of {previous.journal} stored for {chain}")
    if size < previous.size or hash_at(session, chain, previous.size) != previous.head:
        raise CheckpointRefusedError(
            f"chain {chain} no longer extends its checkpoint of {previous.size} entries"
            f" signed at {previous.at}: refusing to sign it"
        )


def checkpoints(session: Session, chain: str) -> list[Checkpoint]:
    """Every checkpoint of `chain`, in the order they were stored."""
    return list(
        session.scalars(select(Checkpoint).where(Checkpoint.chain == chain).order_by(Checkpoint.id))
    )


def latest_checkpoint(session: Session, chain: str) -> Checkpoint | None:
    return session.scalar(
        select(Checkpoint)
        .where(Checkpoint.chain == chain)
        .order_by(Checkpoint.size.desc(), Checkpoint.id.desc())
        .limit(1)
    )


def covering_checkpoint(session: Session, chain: str, size: int) -> Checkpoint | None:
    """The earliest checkpoint covering `size` entries, else the latest one."""
    found = session.scalar(
        select(Checkpoint)
        .where(Checkpoint.chain == chain, Checkpoint.size >= size)
        .order_by(Checkpoint.size, Checkpoint.id)
        .limit(1)
    )
    return found or latest_checkpoint(session, chain)


def last_checkpoint_size(session: Session, chain: str) -> int:
    value = session.scalar(select(func.max(Checkpoint.size)).where(Checkpoint.chain == chain))
    return int(value or 0)


def seq_range(session: Session, chain: str, start: str, end: str) -> tuple[int, int]:
    """(first, last) seq of the chain's entries at `start` or later and before `end`; when
    there are none, (next, next - 1), `next` following the last entry before `end`."""
    low, high = session.execute(
        select(func.min(JournalRow.seq), func.max(JournalRow.seq)).where(
            JournalRow.chain == chain, JournalRow.at >= start, JournalRow.at < end
        )
    ).one()
    if low is not None:
        return int(low), int(high)
    before = session.scalar(
        select(func.max(JournalRow.seq)).where(JournalRow.chain == chain, JournalRow.at < end)
    )
    return int(before or 0) + 1, int(before or 0)

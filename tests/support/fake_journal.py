"""A generated station journal and an in-memory `JournalApi`, for tests, benchmarks, the
screenshots and the offline demo. The generated days hold no personal data either: officer
ids, random references and outcome codes, in the backend's own words (the wire enums of
`procuration.wire`, written with the detail members `backend/services` writes).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from procuration import jws
from procuration.journal import GENESIS_HASH, seal
from procuration.keys import kid_of
from procuration.models import (
    CHECKPOINT_TYP,
    CheckpointPayload,
    Decision,
    DocumentType,
    RefusalReason,
    RequestStatus,
)
from procuration.timeutil import to_wire
from procuration.wire import JournalAnchor, JournalKind, JournalPage

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFUSALS = tuple(RefusalReason)
DOCUMENTS = (DocumentType.CNI, DocumentType.PASSPORT, DocumentType.DRIVING_LICENCE)
# What a lookup of a request awaiting its officer journals (backend/services/requests.py).
LOOKED_UP = {"status": RequestStatus.SUBMITTED.value}


def _reference(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(6))


def _validation(rng: random.Random, decision: Decision, at: datetime, delay: int) -> dict[str, Any]:
    created = at - timedelta(seconds=delay)
    refused = decision is Decision.REFUSED
    return {
        "validation_id": f"{rng.getrandbits(64):016x}",
        "document_type": rng.choice(DOCUMENTS).value,
        "refusal_reason": rng.choice(REFUSALS).value if refused else None,
        "created_at": to_wire(created),
        "received_at": to_wire(at),
        "delay_s": delay,
        "offline": delay > 300,
    }


class _Builder:
    def __init__(self, station: str, first_seq: int, prev_hash: str) -> None:
        self.station = station
        self.entries: list[dict[str, Any]] = []
        self._seq, self._prev = first_seq, prev_hash

    def add(
        self, at: datetime, kind: JournalKind, actor: str, reference: str | None, detail: Any
    ) -> None:
        entry = seal(
            {
                "seq": self._seq,
                "at": to_wire(at),
                "kind": kind.value,
                "actor": actor,
                "station": self.station,
                "reference": reference,
                "detail": detail,
                "prev_hash": self._prev,
            }
        )
        self.entries.append(entry)
        self._seq += 1
        self._prev = entry["hash"]


def _visits(rng: random.Random, day: date, zone: tzinfo, size: int) -> list[tuple[Any, ...]]:
    """(time, kind, officer, reference, detail) events of an ordinary day, unsorted."""
    officers = [f"OPJ-{1000 + i}" for i in range(max(4, size // 2000))]
    start = datetime.combine(day, time(8, 30), zone)
    span = 10 * 3600
    events: list[tuple[Any, ...]] = []
    while len(events) < size:
        at = start + timedelta(seconds=rng.randrange(span))
        officer, reference = rng.choice(officers), _reference(rng)
        events.append((at, JournalKind.REQUEST_LOOKUP, officer, reference, LOOKED_UP))
        roll = rng.random()
        decision = Decision.VALIDATED if roll < 0.8 else Decision.REFUSED
        if roll < 0.9:
            delay = rng.choice((2, 3, 5, 2400)) if rng.random() < 0.02 else rng.randint(1, 9)
            done = at + timedelta(seconds=rng.randint(60, 240) + delay)
            detail = _validation(rng, decision, done, delay)
            kind = JournalKind.of_decision(decision)
            events.append((done, kind, officer, reference, detail))
    return events


def _anomalies(rng: random.Random, day: date, zone: tzinfo) -> list[tuple[Any, ...]]:
    """One of each anomaly the rules look for, at fixed times so the demo is stable."""
    events: list[tuple[Any, ...]] = []
    at = datetime.combine(day, time(10, 0), zone)
    for i in range(14):  # an officer who consults and never validates
        events.append(
            (
                at + timedelta(minutes=7 * i),
                JournalKind.REQUEST_LOOKUP,
                "APJ-2042",
                _reference(rng),
                LOOKED_UP,
            )
        )
    late = datetime.combine(day, time(21, 40), zone)
    events.append(
        (
            late,
            JournalKind.VALIDATION_VALIDATED,
            "OPJ-1001",
            "7KQ2MX",
            _validation(rng, Decision.VALIDATED, late, 3),
        )
    )
    shared = "H4TR9W"
    for i, officer in enumerate(("OPJ-1000", "OPJ-1002", "OPJ-1003")):
        events.append(
            (
                at + timedelta(hours=2, minutes=31 * i),
                JournalKind.REQUEST_LOOKUP,
                officer,
                shared,
                LOOKED_UP,
            )
        )
    burst = datetime.combine(day, time(15, 5), zone)
    for i in range(6):
        when = burst + timedelta(minutes=3 * i)
        events.append(
            (
                when,
                JournalKind.VALIDATION_REFUSED,
                "OPJ-1003",
                _reference(rng),
                _validation(rng, Decision.REFUSED, when, 2),
            )
        )
    browse = datetime.combine(day, time(16, 0), zone)
    for i in range(28):  # an officer who validates, yet browses 28 references in 54 minutes
        events.append(
            (
                browse + timedelta(minutes=2 * i),
                JournalKind.REQUEST_LOOKUP,
                "OPJ-1001",
                f"NS{i:04d}",  # fixed: the seeded references of the other events stay put
                LOOKED_UP,
            )
        )
    return events


def generate_day(
    day: date,
    zone: tzinfo,
    *,
    station: str = "PN-75-001",
    size: int = 600,
    seed: int = 7,
    first_seq: int = 1,
    prev_hash: str = GENESIS_HASH,
    with_anomalies: bool = True,
) -> list[dict[str, Any]]:
    """About `size` sealed entries of one station's day, chained after `prev_hash`."""
    rng = random.Random(seed)
    events = _visits(rng, day, zone, size)
    if with_anomalies:
        events += _anomalies(rng, day, zone)
    events.sort(key=lambda event: event[0])
    builder = _Builder(station, first_seq, prev_hash)
    for at, kind, officer, reference, detail in events:
        builder.add(at, kind, officer, reference, detail)
    return builder.entries


def sign_checkpoint(
    entries: list[dict[str, Any]], size: int, journal: str, key: Ed25519PrivateKey, at: datetime
) -> str:
    head = entries[size - 1]["hash"] if size else GENESIS_HASH
    payload = CheckpointPayload(journal=journal, size=size, head=head, at=to_wire(at))
    return jws.sign(payload.model_dump(), key, CHECKPOINT_TYP)


class FakeJournalApi:
    """The backend's journal endpoints over a list of entries tests may tamper with."""

    def __init__(self, station: str, key: Ed25519PrivateKey, zone: tzinfo) -> None:
        self.station = station
        self.key = key
        self.zone = zone
        self.entries: list[dict[str, Any]] = []
        self.checkpoints: list[str] = []
        self.checkpoint_sizes: list[int] = []

    def append_day(self, day: date, **options: Any) -> None:
        prev = self.entries[-1]["hash"] if self.entries else GENESIS_HASH
        self.entries += generate_day(
            day,
            self.zone,
            station=self.station,
            first_seq=len(self.entries) + 1,
            prev_hash=prev,
            **options,
        )
        self.sign(datetime.combine(day, time(23, 59), self.zone).astimezone(UTC))

    def sign(self, at: datetime, size: int | None = None) -> None:
        size = len(self.entries) if size is None else size
        self.checkpoints.append(sign_checkpoint(self.entries, size, self.station, self.key, at))
        self.checkpoint_sizes.append(size)

    def _answer(
        self, first: int, last: int, checkpoint: str | None, day: date | None
    ) -> JournalPage:
        prev = self.entries[first - 2]["hash"] if first > 1 else GENESIS_HASH
        return JournalPage(
            journal=self.station,
            day=day.isoformat() if day else None,
            anchor=JournalAnchor(first_seq=first, prev_hash=prev),
            entries=self.entries[first - 1 : last],
            checkpoint=checkpoint,
        )

    def fetch_day(self, day: date, station: str) -> JournalPage:
        seqs = [
            e["seq"]
            for e in self.entries
            if datetime.fromisoformat(e["at"]).astimezone(self.zone).date() == day
        ]
        if not seqs:
            return self._answer(
                len(self.entries) + 1, len(self.entries), self.latest_or_none(), day
            )
        covering = [i for i, size in enumerate(self.checkpoint_sizes) if size >= seqs[-1]]
        chosen = covering[0] if covering else len(self.checkpoints) - 1
        last = max(seqs[-1], self.checkpoint_sizes[chosen]) if self.checkpoints else seqs[-1]
        return self._answer(
            seqs[0], last, self.latest_or_none() if chosen < 0 else self.checkpoints[chosen], day
        )

    def fetch_range(self, from_seq: int, to_seq: int, station: str) -> JournalPage:
        return self._answer(max(from_seq, 1), to_seq, None, None)

    def latest_or_none(self) -> str | None:
        return self.checkpoints[-1] if self.checkpoints else None

    def latest_checkpoint(self, station: str) -> str:
        return self.checkpoints[-1]

    def journal_keys(self) -> Mapping[str, Ed25519PublicKey]:
        return {kid_of(self.key): self.key.public_key()}

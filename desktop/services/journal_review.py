"""The supervisor's review of a day: download, verify with the shared core, summarise.

The client trusts nothing the backend says about its own journal: it checks the chain and
the signed checkpoint itself (procuration.journal) and remembers, in its data directory, the
last checkpoint it verified for the station. A later answer that does not extend that
checkpoint (fewer entries, or a different entry at the remembered size) is a rollback or a
fork, reported with the entry where it shows.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from desktop.services.anomalies import (
    Anomaly,
    AnomalyRules,
    DaySummary,
    ReviewEntry,
    Rule,
    detect_anomalies,
    flags_by_seq,
    summarise,
    to_review_entries,
)
from desktop.services.anomaly_settings import RulesStore
from desktop.services.collector import collector_paused
from desktop.services.errors import StorageError
from procuration import timeutil
from procuration.errors import JournalError, SignatureError
from procuration.journal import (
    ChainAnchor,
    ContiguousHashes,
    check_progress,
    verify_checkpoint,
    verify_range,
)
from procuration.models import CheckpointPayload
from procuration.timeutil import from_wire
from procuration.wire import JournalPage

logger = logging.getLogger(__name__)
PARIS = timeutil.PARIS  # the day and every time shown are the stations' clock
MAX_RANGE = 200_000  # the backend's cap on one GET /v1/journal?from_seq=… answer


class JournalApi(Protocol):
    """What the review needs from the backend; each answer as the wire model reads it."""

    def fetch_day(self, day: date, station: str) -> JournalPage: ...

    def fetch_range(self, from_seq: int, to_seq: int, station: str) -> JournalPage: ...

    def latest_checkpoint(self, station: str) -> str: ...

    def journal_keys(self) -> Mapping[str, Ed25519PublicKey]: ...


@dataclass(frozen=True)
class IntegrityReport:
    """`ok` with the signed size and time, or the failure's reason and first bad entry."""

    ok: bool
    last_seq: int = 0
    signed_up_to: int = 0
    signed_at: datetime | None = None
    head: str = ""
    signature_valid: bool = False
    reason: str = ""
    bad_seq: int | None = None
    remembered_size: int | None = None


@dataclass(frozen=True)
class DayReview:
    """The day as shown. `integrity` is None until the verification, which runs after the
    table is shown, reports; until then nothing in the view or the exports may look
    verified."""

    station: str
    day: date
    entries: Sequence[ReviewEntry]
    summary: DaySummary
    anomalies: Sequence[Anomaly]
    flags: Mapping[int, tuple[Rule, ...]]
    integrity: IntegrityReport | None = None
    # matricule -> "grade name" of the officers the supervisor's PC knows (the journal
    # carries matricules only): see docs/decisions.md "Officers' names in the review".
    names: Mapping[str, str] = field(default_factory=dict)

    def officer(self, matricule: str) -> str:
        """ "Lt Durand (OPJ-1000)" when the name is known, else the matricule."""
        name = self.names.get(matricule)
        return f"{name} ({matricule})" if name else matricule

    @property
    def verified(self) -> bool:
        return self.integrity is not None and self.integrity.ok

    def with_integrity(self, integrity: IntegrityReport) -> DayReview:
        return replace(self, integrity=integrity)


class CheckpointMemory:
    """The last verified checkpoint per station, in one JSON file written atomically."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise StorageError(f"unreadable checkpoint memory: {exc}") from exc
        return data if isinstance(data, dict) else {}

    def load(self, station: str) -> CheckpointPayload | None:
        raw = self._read().get(station)
        return CheckpointPayload.model_validate(raw) if raw is not None else None

    def remember(self, checkpoint: CheckpointPayload) -> None:
        data = self._read()
        data[checkpoint.journal] = checkpoint.model_dump()
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self._path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, indent=1, sort_keys=True)
                stream.flush()
                os.fsync(stream.fileno())
            Path(temporary).replace(self._path)
        except OSError as exc:
            raise StorageError(f"cannot write checkpoint memory: {exc}") from exc


@dataclass(frozen=True)
class _Range:
    anchor: ChainAnchor
    entries: list[Mapping[str, Any]]
    checkpoint: str | None


@dataclass(frozen=True)
class DayDownload:
    """One day's answer from the backend, as downloaded and not yet trusted."""

    day: date
    fetched: _Range


def _parse(page: JournalPage) -> _Range:
    anchor = ChainAnchor(page.anchor.first_seq, page.anchor.prev_hash)
    return _Range(anchor, page.entries, page.checkpoint)


class JournalReviewService:
    """Reviews one station's days. Synchronous and blocking: the UI runs it off its thread."""

    def __init__(
        self,
        api: JournalApi,
        data_dir: Path,
        station: str,
        *,
        rules: AnomalyRules | None = None,
        zone: tzinfo = PARIS,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self._api = api
        self._memory = CheckpointMemory(data_dir / "journal-checkpoints.json")
        self._rules_store = RulesStore(data_dir)
        self.station = station
        self.rules = rules or self._rules_store.load()
        self._zone = zone
        self.names: Mapping[str, str] = dict(names or {})

    def today(self) -> date:
        return datetime.now(self._zone).date()

    def set_rules(self, rules: AnomalyRules) -> None:
        """Keeps the thresholds for the next reviews and saves them (StorageError)."""
        self._rules_store.save(rules)
        self.rules = rules

    def review_day(self, day: date) -> DayReview:
        """Download, summary and verification in one call (tests, scripts)."""
        download = self.download_day(day)
        return self.summarise_day(download).with_integrity(self.verify_download(download))

    def download_day(self, day: date) -> DayDownload:
        with collector_paused():
            return DayDownload(day, _parse(self._api.fetch_day(day, self.station)))

    def summarise_day(self, download: DayDownload) -> DayReview:
        """The table, totals and anomalies, integrity still unknown (None)."""
        with collector_paused():
            return self._summarise(download)

    def _summarise(self, download: DayDownload) -> DayReview:
        entries = to_review_entries(download.fetched.entries, download.day, self._zone)
        return self.reassess(
            DayReview(
                station=self.station,
                day=download.day,
                entries=entries,
                summary=summarise(entries),
                anomalies=(),
                flags={},
                names=self.names,
            )
        )

    def reassess(self, review: DayReview) -> DayReview:
        """The same day with the anomalies of the current thresholds."""
        anomalies = detect_anomalies(review.entries, self.rules)
        return replace(review, anomalies=anomalies, flags=flags_by_seq(anomalies))

    def verify_download(self, download: DayDownload) -> IntegrityReport:
        return self.verify(download.fetched)

    def verify(self, fetched: _Range) -> IntegrityReport:
        previous = self._memory.load(self.station)
        try:
            with collector_paused():
                return self._verify(fetched, previous)
        except (JournalError, SignatureError) as exc:
            logger.warning("journal of %s failed verification: %s", self.station, exc)
            seq = exc.seq if isinstance(exc, JournalError) else None
            return IntegrityReport(
                ok=False,
                reason=exc.reason,
                bad_seq=seq,
                remembered_size=previous.size if previous else None,
            )

    def _verify(self, fetched: _Range, previous: CheckpointPayload | None) -> IntegrityReport:
        anchor, entries = self._bridge(fetched, previous)
        token = fetched.checkpoint or self._api.latest_checkpoint(self.station)
        keys = self._api.journal_keys()
        verdict = verify_range(
            self.station, entries, anchor=anchor, checkpoint_token=token, journal_keys=keys
        )
        if previous is not None:
            self._check_memory(previous, verdict.checkpoint, entries, anchor, keys)
        if previous is None or verdict.checkpoint.size > previous.size:
            self._memory.remember(verdict.checkpoint)
        return IntegrityReport(
            ok=True,
            last_seq=verdict.last_seq,
            signed_up_to=verdict.signed_up_to,
            signed_at=from_wire(verdict.checkpoint.at).astimezone(self._zone),
            head=verdict.checkpoint.head,
            signature_valid=True,
            remembered_size=previous.size if previous else None,
        )

    def _bridge(
        self, fetched: _Range, previous: CheckpointPayload | None
    ) -> tuple[ChainAnchor, list[Mapping[str, Any]]]:
        """The day's range extended, when needed, to reach the remembered checkpoint."""
        anchor, entries = fetched.anchor, fetched.entries
        if previous is None or previous.size == 0:
            return anchor, entries
        last = anchor.first_seq - 1 + len(entries)
        if previous.size < anchor.first_seq - 1:
            before = self._fetch(previous.size, anchor.first_seq - 1)
            return before.anchor, [*before.entries, *entries]
        if previous.size > last:
            after = self._fetch(last + 1, previous.size)
            if not after.entries or int(after.entries[-1]["seq"]) < previous.size:
                raise JournalError("rolled-back", last + 1, f"was {previous.size} entries")
            return anchor, [*entries, *after.entries]
        return anchor, entries

    def _fetch(self, first: int, last: int) -> _Range:
        parts = []
        for start in range(first, last + 1, MAX_RANGE):
            parts.append(
                _parse(self._api.fetch_range(start, min(last, start + MAX_RANGE - 1), self.station))
            )
        return _Range(parts[0].anchor, [e for part in parts for e in part.entries], None)

    def _check_memory(
        self,
        previous: CheckpointPayload,
        current: CheckpointPayload,
        entries: Sequence[Mapping[str, Any]],
        anchor: ChainAnchor,
        keys: Mapping[str, Ed25519PublicKey],
    ) -> None:
        hashes = ContiguousHashes(entries, anchor.first_seq)
        if previous.size == anchor.first_seq - 1 and previous.head != anchor.prev_hash:
            raise JournalError("forked", previous.size)
        if current.size >= previous.size:
            check_progress(previous, current, hashes)
            return
        # An older day is signed by an older checkpoint: the journal must still have grown
        # since the one remembered, which the latest checkpoint tells.
        latest = verify_checkpoint(self._api.latest_checkpoint(self.station), keys)
        if latest.journal != self.station:
            raise SignatureError("wrong-context", f"checkpoint of journal {latest.journal}")
        check_progress(previous, latest, hashes)

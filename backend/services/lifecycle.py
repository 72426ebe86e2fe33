"""Expiry of unvalidated requests and the retention purge: personal data really erased."""

from __future__ import annotations

import logging
from datetime import timedelta

from backend.context import Backend
from backend.storage import journal_store
from backend.storage import lifecycle as store
from backend.storage.engine import checkpoint_wal, transaction
from procuration import timeutil
from procuration.wire import JournalKind

log = logging.getLogger(__name__)


def _forget_files(backend: Backend, references: list[str]) -> None:
    """After the commit: the mails (`.eml`) and QR images written for these requests."""
    removed = 0
    for reference in references:
        removed += backend.mailer.forget(reference)
        qr_image = backend.settings.data_dir / "qr" / f"{reference}.png"
        if qr_image.exists():
            qr_image.unlink()
            removed += 1
    if removed:
        log.info("%d files of %d erased requests deleted", removed, len(references))


def _checkpoint(backend: Backend) -> None:
    """After an erasure: the WAL file still holds the old pages (with the names) until the
    next checkpoint; copy it into the database now and truncate it."""
    if not checkpoint_wal(backend.engine):
        log.warning("WAL checkpoint after the purge was partial; it completes at the next one")


def expire(backend: Backend) -> int:
    """Requests not validated within their lifetime: marked expired, identity erased."""
    now = timeutil.to_wire(backend.now())
    with transaction(backend.sessions) as session:
        references = store.expirable(session, now)
        if not references:
            return 0
        store.mark_expired(session, references)
        store.erase(session, references, now)
        journal_store.append(
            session,
            at=backend.now(),
            kind=JournalKind.REQUEST_EXPIRED,
            station=None,
            detail={"count": len(references)},
        )
    _forget_files(backend, references)
    _checkpoint(backend)
    log.info("%d requests expired", len(references))
    return len(references)


def purge(backend: Backend) -> int:
    """Requests whose last day of validity is more than the retention period ago, whatever
    their status: a proxy decided or not (`transmitted` whose checks never ran, `invalid`,
    `cancelled`...), a request never validated that somehow escaped `expire`. The data of a
    request never outlives "1 year after the end of validity" (docs/decisions.md)."""
    moment = backend.now()
    cutoff = (moment - timedelta(days=backend.settings.retention_days)).date().isoformat()
    with transaction(backend.sessions) as session:
        references = store.purgeable(session, cutoff)
        if references:
            store.erase(session, references, timeutil.to_wire(moment))
        journal_store.append(
            session,
            at=moment,
            kind=JournalKind.PURGE,
            station=None,
            detail={"count": len(references)},
        )
    _forget_files(backend, references)
    _checkpoint(backend)
    log.info("%d proxies purged", len(references))
    return len(references)


def run_all(backend: Backend) -> tuple[int, int]:
    return expire(backend), purge(backend)

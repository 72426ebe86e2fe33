"""Per-caller and per-address limits of an endpoint that has no officer journal to count in
(request creation): counted in the database, so that they hold across worker processes and
instances (docs/backend.md "Worker processes")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.context import Backend
from backend.errors import RateLimitedError
from backend.storage import journal_store
from backend.storage import throttle as store
from backend.storage.engine import transaction
from backend.storage.prepared import Db
from procuration import timeutil
from procuration.canonical import sha256_b64url

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Author:
    """Who creates a request: `who` is journalled as the actor (an admin's matricule,
    `admin-token`, `cli`, `demo`, `portail`); `address` is the client's, None outside the API.
    `key` is who is counted when `who` is shared by many people (every voter of the portal
    is journalled as `portail`): a digest, never personal data."""

    who: str
    address: str | None = None
    key: str | None = None


def _buckets(author: Author) -> list[str]:
    # The address is counted by its digest: no client address is stored.
    buckets = [f"who:{author.key or author.who}"]
    if author.address is not None:
        buckets.append("addr:" + sha256_b64url(author.address.encode())[:22])
    return buckets


def count_request(backend: Backend, author: Author, now: datetime) -> None:
    """Counts one request creation by `author`, or RateLimitedError (counted in its own
    transaction, committed before the request is even checked: a refused body counts too)."""
    if author.address is None:  # the command line and the demo seeding: the operator
        return
    limit = backend.settings.request_rate_per_minute
    since = timeutil.to_wire(now - timedelta(seconds=WINDOW_SECONDS))
    with transaction(backend.sessions) as session:
        # Serializes the counting of every worker and instance (PostgreSQL advisory lock;
        # SQLite's single write lock).
        journal_store.lock_name(Db.of(session), "throttle:requests")
        for bucket in _buckets(author):
            hits, first = store.recent(session, bucket, since)
            if hits >= limit:
                elapsed = (now - timeutil.from_wire(first or since)).total_seconds()
                raise RateLimitedError(max(1, int(WINDOW_SECONDS - elapsed) + 1))
        for bucket in _buckets(author):
            store.forget_before(session, bucket, since)
            store.count(session, bucket, timeutil.to_wire(now))

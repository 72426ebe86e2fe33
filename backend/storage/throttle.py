"""The statements of the request-creation throttle (backend/services/throttle.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from backend.storage.tables import ThrottleHit


def recent(session: Session, bucket: str, since: str) -> Any:
    """(hits, first) of `bucket` after `since`: how many calls were counted, the oldest's time."""
    return session.execute(
        select(func.count().label("hits"), func.min(ThrottleHit.at).label("first")).where(
            ThrottleHit.bucket == bucket, ThrottleHit.at > since
        )
    ).one()


def count(session: Session, bucket: str, at: str) -> None:
    session.execute(insert(ThrottleHit).values(bucket=bucket, at=at))


def forget_before(session: Session, bucket: str, since: str) -> None:
    """Drops the hits of `bucket` that no window counts any more (the table stays small)."""
    session.execute(
        delete(ThrottleHit).where(ThrottleHit.bucket == bucket, ThrottleHit.at <= since)
    )

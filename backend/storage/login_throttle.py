"""The statements of the login backoff (backend/services/login_throttle.py), run in the
caller's ORM session. Keys are hashes: no matricule, no address is stored."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from backend.storage.tables import LoginFailure


def failures(session: Session, key: str, since: str) -> tuple[int, str | None, str | None]:
    """(count, first, last): the failures of `key` after `since` and their oldest and newest
    times."""
    count, first, last = session.execute(
        select(func.count(), func.min(LoginFailure.at), func.max(LoginFailure.at)).where(
            LoginFailure.key == key, LoginFailure.at > since
        )
    ).one()
    return int(count), first, last


def forget_before(session: Session, keys: Iterable[str], since: str) -> None:
    """Drops the failures of these keys at or before `since` (out of the window)."""
    session.execute(
        delete(LoginFailure).where(LoginFailure.key.in_(list(keys)), LoginFailure.at <= since)
    )


def forget(session: Session, key: str) -> None:
    """Drops every failure of `key`."""
    session.execute(delete(LoginFailure).where(LoginFailure.key == key))

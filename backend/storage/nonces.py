"""The login nonces' statements (backend/services/auth.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from backend.storage.tables import Nonce


def drop_expired(session: Session, now: str) -> None:
    """Deletes the nonces that expired before `now` (each is single-use and short-lived)."""
    session.execute(delete(Nonce).where(Nonce.expires_at < now))


def consume(session: Session, nonce: str) -> Any:
    """Deletes the nonce and returns its (kid, expires_at), or None when it is unknown or
    already used. One statement (DELETE ... RETURNING): of two logins racing with the same
    nonce, on two instances, exactly one gets the row."""
    return session.execute(
        delete(Nonce).where(Nonce.nonce == nonce).returning(Nonce.kid, Nonce.expires_at)
    ).first()

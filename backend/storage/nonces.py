"""The login nonces' statements (backend/services/auth.py)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from backend.storage.tables import Nonce


def drop_expired(session: Session, now: str) -> None:
    """Deletes the nonces that expired before `now` (each is single-use and short-lived)."""
    session.execute(delete(Nonce).where(Nonce.expires_at < now))

"""The trust list: the backend's issuer keys (request QR codes) and journal keys
(checkpoints), cached on disk with the time they were fetched.

Offline QR checks rely on it, so it must survive restarts; and a key revoked centrally must
stop being trusted within a bounded time, so a list older than `max_age` (48 h) is refused
for offline checks rather than used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ValidationError

from desktop.services.clock import Clock
from desktop.services.errors import TrustListError
from desktop.services.paths import write_private_file
from procuration import timeutil
from procuration.keys import kid_of, public_key_from_jwk
from procuration.models import WireTime
from procuration.wire import TrustList

log = logging.getLogger(__name__)

MAX_AGE = timedelta(hours=48)


@dataclass(frozen=True)
class TrustedKey:
    kid: str
    key: Ed25519PublicKey
    valid_from: datetime
    valid_until: datetime

    def valid_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment < self.valid_until


class _CachedList(BaseModel):
    """The file on disk: the list as the backend sent it and when it was fetched."""

    fetched_at: WireTime
    body: TrustList


class TrustStore:
    def __init__(self, path: Path, clock: Clock, *, max_age: timedelta = MAX_AGE) -> None:
        self._path = path
        self._clock = clock
        self._max_age = max_age
        self._cache: tuple[datetime, TrustList] | None = None

    def refresh(self, fetch: Callable[[], TrustList]) -> None:
        """Fetches the list (`ApiClient.trust`) and stores it; errors propagate untouched."""
        body = fetch()
        # Parse before storing: a malformed answer must not replace a good cached list.
        _parse(body, "issuer")
        _parse(body, "journal")
        fetched_at = self._clock.now()
        document = _CachedList(fetched_at=timeutil.to_wire(fetched_at), body=body)
        write_private_file(self._path, document.model_dump_json().encode("utf-8"))
        self._cache = (fetched_at, body)
        log.info("trust list refreshed")

    def fetched_at(self) -> datetime | None:
        loaded = self._load()
        return loaded[0] if loaded else None

    def age(self) -> timedelta | None:
        fetched = self.fetched_at()
        return None if fetched is None else self._clock.now() - fetched

    def issuer_keys(self) -> dict[str, Ed25519PublicKey]:
        """Issuer keys valid now, for offline QR checks; TrustListError when too old."""
        return self._keys("issuer")

    def journal_keys(self) -> dict[str, Ed25519PublicKey]:
        return self._keys("journal")

    def _keys(self, kind: Literal["issuer", "journal"]) -> dict[str, Ed25519PublicKey]:
        loaded = self._load()
        if loaded is None:
            raise TrustListError("no trust list yet", code="trust-missing")
        fetched_at, body = loaded
        now = self._clock.now()
        if now - fetched_at > self._max_age:
            raise TrustListError(f"trust list fetched {timeutil.to_wire(fetched_at)}")
        return {k.kid: k.key for k in _parse(body, kind) if k.valid_at(now)}

    def _load(self) -> tuple[datetime, TrustList] | None:
        if self._cache is None:
            try:
                document = _CachedList.model_validate_json(self._path.read_bytes())
            except FileNotFoundError:
                return None
            except (OSError, ValidationError):
                log.warning("unreadable trust list cache ignored")
                return None
            self._cache = (timeutil.from_wire(document.fetched_at), document.body)
        return self._cache


def _parse(body: TrustList, kind: Literal["issuer", "journal"]) -> list[TrustedKey]:
    """The keys of one kind; TrustListError when a key is not the Ed25519 key its `kid`
    names (the kid is the key's thumbprint)."""
    keys = []
    for entry in body.issuer_keys if kind == "issuer" else body.journal_keys:
        try:
            key = public_key_from_jwk({k: entry.jwk[k] for k in ("kty", "crv", "x")})
            if entry.kid != kid_of(key):
                raise ValueError("kid is not the key's thumbprint")
        except (KeyError, TypeError, ValueError) as exc:
            raise TrustListError(
                f"malformed key in trust list: {exc}", code="trust-missing"
            ) from exc
        valid = (timeutil.from_wire(entry.valid_from), timeutil.from_wire(entry.valid_until))
        keys.append(TrustedKey(entry.kid, key, *valid))
    return keys

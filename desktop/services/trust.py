"""The trust list: the backend's issuer keys (request QR codes) and journal keys
(checkpoints), cached on disk with the time they were fetched.

Offline QR checks rely on it, so it must survive restarts; and a key revoked centrally must
stop being trusted within a bounded time, so a list older than `max_age` (48 h) is refused
for offline checks rather than used.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from desktop.services.clock import Clock
from desktop.services.errors import TrustListError
from desktop.services.paths import write_private_file
from procuration import timeutil
from procuration.keys import kid_of, public_key_from_jwk

log = logging.getLogger(__name__)

MAX_AGE = timedelta(hours=48)
_VALID_FROM = ("valid_from", "not_before", "nbf")
_VALID_UNTIL = ("valid_until", "not_after", "exp")


@dataclass(frozen=True)
class TrustedKey:
    kid: str
    key: Ed25519PublicKey
    valid_from: datetime | None
    valid_until: datetime | None

    def valid_at(self, moment: datetime) -> bool:
        if self.valid_from is not None and moment < self.valid_from:
            return False
        return self.valid_until is None or moment < self.valid_until


class TrustStore:
    def __init__(self, path: Path, clock: Clock, *, max_age: timedelta = MAX_AGE) -> None:
        self._path = path
        self._clock = clock
        self._max_age = max_age
        self._cache: tuple[datetime, dict[str, Any]] | None = None

    def refresh(self, fetch: Callable[[], dict[str, Any]]) -> None:
        """Fetches the list (`ApiClient.trust`) and stores it; errors propagate untouched."""
        body = fetch()
        # Parse before storing: a malformed answer must not replace a good cached list.
        _parse(body, "issuer")
        fetched_at = self._clock.now()
        document = {"fetched_at": timeutil.to_wire(fetched_at), "body": body}
        write_private_file(self._path, json.dumps(document).encode("utf-8"))
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

    def _keys(self, kind: str) -> dict[str, Ed25519PublicKey]:
        loaded = self._load()
        if loaded is None:
            raise TrustListError("no trust list yet", code="trust-missing")
        fetched_at, body = loaded
        now = self._clock.now()
        if now - fetched_at > self._max_age:
            raise TrustListError(f"trust list fetched {timeutil.to_wire(fetched_at)}")
        return {k.kid: k.key for k in _parse(body, kind) if k.valid_at(now)}

    def _load(self) -> tuple[datetime, dict[str, Any]] | None:
        if self._cache is None:
            try:
                document = json.loads(self._path.read_text(encoding="utf-8"))
                self._cache = (timeutil.from_wire(document["fetched_at"]), document["body"])
            except FileNotFoundError:
                return None
            except (OSError, ValueError, KeyError, TypeError):
                log.warning("unreadable trust list cache ignored")
                return None
        return self._cache


def _parse(body: Mapping[str, Any], kind: str) -> list[TrustedKey]:
    """Accepts `{"issuer_keys": [...], "journal_keys": [...]}` (also `issuer`/`journal`),
    each key a JWK with `kid` and optional validity bounds, or `{"kid", "jwk", ...}`."""
    raw = body.get(f"{kind}_keys", body.get(kind, []))
    if not isinstance(raw, list):
        raise TrustListError(f"malformed trust list ({kind})", code="trust-missing")
    keys = []
    for entry in raw:
        try:
            jwk = entry.get("jwk", entry)
            key = public_key_from_jwk({k: jwk[k] for k in ("kty", "crv", "x")})
            kid = str(entry.get("kid") or kid_of(key))
            if kid != kid_of(key):
                raise ValueError("kid is not the key's thumbprint")
            keys.append(
                TrustedKey(kid, key, _bound(entry, _VALID_FROM), _bound(entry, _VALID_UNTIL))
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise TrustListError(
                f"malformed key in trust list: {exc}", code="trust-missing"
            ) from exc
    return keys


def _bound(entry: Mapping[str, Any], names: tuple[str, ...]) -> datetime | None:
    for name in names:
        value = entry.get(name)
        if isinstance(value, str):
            return timeutil.from_wire(value)
    return None

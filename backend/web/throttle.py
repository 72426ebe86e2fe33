"""Rate limits on the portals' login and request forms: a sliding window per key (the
client's address, the account typed, the mandant). Kept in the process: with N worker
processes a client gets at most N times the limit, which still stops guessing a password or
a TOTP code (docs/decisions.md, "Portals: login, sessions, second factor")."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field


@dataclass
class Throttle:
    limit: int
    window_seconds: float
    _hits: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, *keys: str) -> int:
        """0 and counts one attempt for each key when all are under the limit; else the
        seconds to wait before the next attempt (nothing counted)."""
        now = time.monotonic()
        with self._lock:
            longest = 0.0
            for key in keys:
                hits = self._hits[key]
                while hits and hits[0] <= now - self.window_seconds:
                    hits.popleft()
                if len(hits) >= self.limit:
                    longest = max(longest, hits[0] + self.window_seconds - now)
            if longest > 0:
                return int(longest) + 1
            for key in keys:
                self._hits[key].append(now)
            return 0


# An agent's password and code: 10 tries in 5 minutes per account, 50 per address (a
# mairie's agents may share one).
AGENT_ACCOUNT = Throttle(limit=10, window_seconds=300)
AGENT_ADDRESS = Throttle(limit=50, window_seconds=300)
# A voter's requests sent: 10 an hour per mandant, 60 per address.
VOTER_MANDANT = Throttle(limit=10, window_seconds=3600)
VOTER_ADDRESS = Throttle(limit=60, window_seconds=3600)
# A voter's checks against the roll before sending (each reads the roll for two people):
# 30 an hour per mandant, enough to correct a few typos, 120 per address.
LOOKUP_MANDANT = Throttle(limit=30, window_seconds=3600)
LOOKUP_ADDRESS = Throttle(limit=120, window_seconds=3600)

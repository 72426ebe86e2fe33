"""Rate limits on the voter portal's request form: a sliding window per key (the client's
address, the mandant). Kept in the process: with N worker processes a client gets at most N
times the limit. The commune agents' password and code use the login backoff counted in the
database instead (backend/services/login_throttle.py), per (account, address)."""

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


# A voter's requests sent: 10 an hour per mandant, 60 per address.
VOTER_MANDANT = Throttle(limit=10, window_seconds=3600)
VOTER_ADDRESS = Throttle(limit=60, window_seconds=3600)
# A voter's checks against the roll before sending (each reads the roll for two people):
# 30 an hour per mandant, enough to correct a few typos, 120 per address.
LOOKUP_MANDANT = Throttle(limit=30, window_seconds=3600)
LOOKUP_ADDRESS = Throttle(limit=120, window_seconds=3600)

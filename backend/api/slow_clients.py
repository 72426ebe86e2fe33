"""Connections that send a request slowly, or never finish it, are closed.

uvicorn closes an idle keep-alive connection after `timeout_keep_alive`, but a client that
sends half its headers (or half its body) and then waits holds a connection for as long as
it likes: 600 such connections were held for over a minute (issue 12). The protocol below
gives each request READ_SECONDS, from the connection (or the previous response), to arrive
whole; a server behind a reverse proxy gets the same from the proxy (README, docs/security.md).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

READ_SECONDS = 10.0
# Per worker process: connections plus requests in progress; beyond, uvicorn answers 503.
MAX_CONCURRENCY = 500
KEEP_ALIVE_SECONDS = 5


class ReadDeadlineProtocol(AutoHTTPProtocol):  # type: ignore[valid-type,misc]  # untyped
    """uvicorn's HTTP protocol (httptools, else h11) closing a connection whose request has
    not fully arrived `read_seconds` after the connection opened or the last response.
    A module-level class: `serve` passes it to worker processes, which unpickle it."""

    read_seconds = READ_SECONDS
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(self.read_seconds, self._expire, self.cycle)

    def _expire(self, armed: object) -> None:
        # Headers not complete (no new cycle) or the body still coming: a slow client.
        reading = self.cycle is armed or bool(getattr(self.cycle, "more_body", False))
        if reading and not self.transport.is_closing():
            self.transport.close()

"""The last resort for an unexpected exception: the 500 problem, and the connection kept.

Starlette's ServerErrorMiddleware answers an unexpected exception with the application's
handler, then raises it again (for the server's log); uvicorn then closes the connection
even though the answer was sent whole. A counter's kept-alive connection (and every request
it pipelines behind) would be cut by one bug. This middleware, inside it, answers and logs
without raising, so the connection lives on; only an exception after the answer started
(nothing left to say) still ends the connection.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.problems import problem
from procuration.wire import ProblemCode

log = logging.getLogger(__name__)


class LastResortMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            if started:
                raise
            log.exception("unexpected error", exc_info=exc)
            answer = problem(
                ProblemCode.INTERNAL, 500, "Internal error", "an unexpected error occurred"
            )
            await answer(scope, receive, send)

"""The two calls every counter makes all day, a lookup and a validation, served without the
framework's routing.

Starlette's router tries each route's pattern in turn (the API's and both portals'), and
every request then passes through FastAPI's exception, exit-stack and endpoint wrappers,
each wrapping `send` once more: a tenth of a lookup's CPU, for two routes that read their
parameters themselves anyway (routes_counter.py). This middleware, the innermost of ours
(inside the body limit and the last resort), recognises the two paths and calls the same
route functions directly; errors get the app's own exception handlers, so the answers are
byte for byte those of the routed call. Any other path, method or shape goes on to the app
unchanged: a wrong method (HEAD included) still gets 405, a trailing slash its redirect. So
does every request while FastAPI's OpenTelemetry instrumentation is on: its spans and metrics
name the route the router matched, which the shortcut would leave out.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.api import routes_counter

Endpoint = Callable[[Request], Awaitable[Response]]
Handler = Callable[[Request, Exception], Any]  # async, or plain (run in the thread pool)
_VALIDATIONS = "/v1/validations"
_REQUESTS = "/v1/requests/"


def _endpoint(scope: Scope) -> Endpoint | None:
    """The route function for this request, or None for the app to route it."""
    method, path = scope["method"], scope["path"]
    if scope.get("root_path") or scope.get("fastapi.telemetry") is not None:
        return None  # mounted under a prefix, or traced: leave it to the router
    if method == "POST" and path == _VALIDATIONS:
        return routes_counter.validate
    if method == "GET" and path.startswith(_REQUESTS):
        reference = path[len(_REQUESTS) :]
        if reference and "/" not in reference:  # the router's `{reference}`: [^/]+
            scope["path_params"] = {"reference": reference}
            return routes_counter.lookup
    return None


def _handler_for(request: Request, exc: Exception) -> Handler | None:
    """The app's handler for `exc`, as Starlette's exception middleware picks it: by status
    code for an HTTPException, else by class, the most specific first; None for an
    unexpected error (the `Exception` handler is the server-error middleware's), which the
    last resort answers."""
    handlers: dict[Any, Handler] = request.app.exception_handlers
    if isinstance(exc, HTTPException) and exc.status_code in handlers:
        return handlers[exc.status_code]
    for kind in type(exc).__mro__:
        if kind is Exception:
            return None
        if kind in handlers:
            return handlers[kind]
    return None


async def _handled(handler: Handler, request: Request, exc: Exception) -> Response:
    if inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(
        getattr(handler, "__call__", None)  # noqa: B004 - an object with an async __call__
    ):
        response: Response = await handler(request, exc)
    else:
        response = await run_in_threadpool(handler, request, exc)
    return response


class HotRoutesMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = _endpoint(scope) if scope["type"] == "http" else None
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await endpoint(request)
        except Exception as exc:
            handler = _handler_for(request, exc)
            if handler is None:
                raise
            response = await _handled(handler, request, exc)
        await response(scope, receive, send)

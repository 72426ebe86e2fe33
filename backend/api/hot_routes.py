"""The two calls every counter makes all day, a lookup and a validation, served without the
framework's routing.

Starlette's router tries each route's pattern in turn (the API's and both portals'), and
every request then passes through FastAPI's exception, exit-stack and endpoint wrappers,
each wrapping `send` once more: a tenth of a lookup's CPU, for two routes that read their
parameters themselves anyway (routes_counter.py). This middleware, the innermost of ours
(inside the body limit and the last resort), recognises the two paths and calls the same
route functions directly; errors get the app's own exception handlers, so the answers are
byte for byte those of the routed call. Any other path, method or shape goes on to the app
unchanged: a wrong method still gets 405, a trailing slash its redirect, HEAD its GET.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.api import routes_counter

Endpoint = Callable[[Request], Awaitable[Response]]
Handler = Callable[[Request, Exception], Awaitable[Response]]
_VALIDATIONS = "/v1/validations"
_REQUESTS = "/v1/requests/"


def _endpoint(scope: Scope) -> Endpoint | None:
    """The route function for this request, or None for the app to route it."""
    method, path = scope["method"], scope["path"]
    if scope.get("root_path"):
        return None  # mounted under a prefix: leave the matching to the router
    if method == "POST" and path == _VALIDATIONS:
        return routes_counter.validate
    if method == "GET" and path.startswith(_REQUESTS):
        reference = path[len(_REQUESTS) :]
        if reference and "/" not in reference:  # the router's `{reference}`: [^/]+
            scope["path_params"] = {"reference": reference}
            return routes_counter.lookup
    return None


def _handler_for(request: Request, exc: Exception) -> Handler | None:
    """The app's handler for `exc`, as its exception middleware would pick it (the most
    specific class first); None for an unexpected error, which the last resort answers."""
    handlers: dict[type[BaseException], Handler] = request.app.exception_handlers
    for kind in type(exc).__mro__:
        if kind is Exception:
            return None
        if kind in handlers:
            return handlers[kind]
    return None


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
            response = await handler(request, exc)
        await response(scope, receive, send)

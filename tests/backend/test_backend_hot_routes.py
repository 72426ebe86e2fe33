"""The lookup and the validation served past the router (backend/api/hot_routes.py) answer
exactly as the routed app does: same status, same headers that matter, same problem body,
for good calls and bad ones alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from backend_helpers import Client, World, create_request, login, payload, post_validation, sign
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse

from backend.api import hot_routes, routes_counter
from backend.api.app import create_app
from backend.api.hot_routes import HotRoutesMiddleware
from backend.context import Backend
from backend.services import validations

_HEADERS = ("content-type", "allow", "retry-after", "www-authenticate", "location")


def _routed_app(backend: Backend) -> FastAPI:
    """The same app without the shortcut: every call goes through the router."""
    app = create_app(backend, background=False)
    shortcut: Any = HotRoutesMiddleware
    app.user_middleware = [m for m in app.user_middleware if m.cls is not shortcut]
    return app


@pytest.fixture
def routed(backend: Backend) -> Iterator[Client]:
    client = Client(_routed_app(backend))
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def shortcuts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the shortcut served (a test must not pass by going through the router)."""
    served: list[str] = []
    find = hot_routes._endpoint

    def spied(scope: Any) -> Any:
        endpoint = find(scope)
        if endpoint is not None:
            served.append(scope["path"])
        return endpoint

    monkeypatch.setattr(hot_routes, "_endpoint", spied)
    return served


def _same(fast: httpx.Response, slow: httpx.Response) -> None:
    assert fast.status_code == slow.status_code, (fast.text, slow.text)
    for name in _HEADERS:
        assert fast.headers.get(name) == slow.headers.get(name), name
    assert fast.content == slow.content


def _both(fast: Client, slow: Client, method: str, url: str, **options: Any) -> httpx.Response:
    answer: httpx.Response = fast.request(method, url, **options)
    _same(answer, slow.request(method, url, **options))
    return answer


def test_lookups_answer_as_the_router_does(
    client: Client, routed: Client, world: World, backend: Backend, shortcuts: list[str]
) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    assert _both(client, routed, "GET", f"/v1/requests/{reference}", headers=headers).is_success
    assert _both(client, routed, "GET", "/v1/requests/ZZZZZZ", headers=headers).status_code == 404
    assert _both(client, routed, "GET", f"/v1/requests/{reference}").status_code == 401
    bad = {"Authorization": "Bearer not-a-session"}
    assert _both(client, routed, "GET", f"/v1/requests/{reference}", headers=bad).status_code == 401
    assert (
        shortcuts
        == [f"/v1/requests/{reference}", "/v1/requests/ZZZZZZ"] + [f"/v1/requests/{reference}"] * 2
    )
    # Shapes the shortcut leaves to the router: a second segment, a trailing slash, HEAD
    # (405 both ways: the routes take GET only).
    for url in (f"/v1/requests/{reference}/", "/v1/requests/", f"/v1/requests/{reference}/x"):
        _both(client, routed, "GET", url, headers=headers, follow_redirects=False)
    _both(client, routed, "HEAD", f"/v1/requests/{reference}", headers=headers)
    assert len(shortcuts) == 4


def test_validations_answer_as_the_router_does(
    client: Client, routed: Client, world: World, backend: Backend, shortcuts: list[str]
) -> None:
    headers = login(client, world)
    token = sign(world, payload(world, create_request(backend)))
    accepted = post_validation(client, headers, token)
    assert accepted.status_code == 201
    _same(accepted, post_validation(routed, headers, token))  # the stored answer, replayed
    jose = {**headers, "Content-Type": "application/jose"}
    _both(client, routed, "POST", "/v1/validations", content=token, headers=jose)  # no key
    keyed = {**jose, "Idempotency-Key": "x" * 65}
    _both(client, routed, "POST", "/v1/validations", content=token, headers=keyed)
    as_json = {**headers, "Content-Type": "application/json", "Idempotency-Key": "k"}
    _both(client, routed, "POST", "/v1/validations", content=token, headers=as_json)
    _both(client, routed, "POST", "/v1/validations", content="é", headers={**jose, **keyed})
    assert len(shortcuts) == 5
    answer = _both(client, routed, "PUT", "/v1/validations", content=token, headers=jose)
    assert answer.status_code == 405 and len(shortcuts) == 5


def test_handlers_by_status_code_and_plain_functions_are_used_as_the_router_would(
    client: Client,
    world: World,
    backend: Backend,
    monkeypatch: pytest.MonkeyPatch,
    shortcuts: list[str],
) -> None:
    """A handler registered for a status code, and one that is not a coroutine (Starlette
    runs it in the thread pool), answer on the shortcut as on the router."""
    fast, slow = create_app(backend, background=False), _routed_app(backend)
    for app in (fast, slow):
        app.add_exception_handler(418, _teapot)
        app.add_exception_handler(LookupError, _plain_lookup_error)
    fast_client, slow_client = Client(fast), Client(slow)
    try:
        headers = login(client, world)
        reference = create_request(backend)
        for error, status in ((HTTPException(418, "teapot"), 418), (KeyError("missing"), 409)):

            def failing(*_args: Any, error: Exception = error) -> Any:
                raise error
                yield  # a generator, as the real flow

            monkeypatch.setattr(routes_counter, "_lookup", failing)
            answer = _both(
                fast_client, slow_client, "GET", f"/v1/requests/{reference}", headers=headers
            )
            assert answer.status_code == status, answer.text
    finally:
        fast_client.close()
        slow_client.close()
    assert len(shortcuts) == 2


async def _teapot(_request: Any, _exc: Exception) -> JSONResponse:
    return JSONResponse({"teapot": True}, status_code=418)


def _plain_lookup_error(_request: Any, _exc: Exception) -> JSONResponse:
    return JSONResponse({"lookup": "plain"}, status_code=409)


def test_the_shortcut_steps_aside_when_the_request_is_traced() -> None:
    """FastAPI's OpenTelemetry spans name the route the router matched."""
    scope = {"type": "http", "method": "GET", "path": "/v1/requests/7K3QZ9"}
    assert hot_routes._endpoint(dict(scope)) is not None
    assert hot_routes._endpoint({**scope, "fastapi.telemetry": object()}) is None


def test_an_unexpected_error_is_the_same_500_problem(
    client: Client,
    routed: Client,
    world: World,
    backend: Backend,
    monkeypatch: pytest.MonkeyPatch,
    shortcuts: list[str],
) -> None:
    headers = login(client, world)
    token = sign(world, payload(world, create_request(backend)))

    def broken(*_args: Any) -> Any:
        raise RuntimeError("a bug")
        yield  # a generator, as the real flow

    monkeypatch.setattr(validations, "submit_flow", broken)
    answer = post_validation(client, headers, token)
    _same(answer, post_validation(routed, headers, token))
    assert answer.status_code == 500 and answer.json()["type"] == "urn:mpr:error:internal"
    assert shortcuts == ["/v1/validations"]

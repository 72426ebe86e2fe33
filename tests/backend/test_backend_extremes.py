"""Every endpoint answers 4xx, never 5xx, to extreme values (issue 12): the first and last
days of the calendar, integers beyond 32 and 64 bits, NUL, CR/LF and bidirectional
overrides in strings, in every path, query and body field its OpenAPI document declares,
for every role; and a signed validation carrying them."""

from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import quote

import pytest
from backend_helpers import (
    ADMIN,
    Client,
    World,
    create_request,
    login,
    payload,
    post_validation,
    raw_jws,
)

from backend.context import Backend

DATES = ["0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30"]
TIMES = ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]
TEXTS = ["a\x00b", "a\r\nb", "\u202eABC\u202c", "\u2066x\u2069", "", " " * 300]
INTEGERS: list[Any] = [2**31, 2**53, 2**63, 2**64, -(2**63) - 1, 10**40]
STRINGS = DATES + TIMES + TEXTS
EXTREMES: list[Any] = STRINGS + INTEGERS


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = spec["components"]["schemas"][name]
    return node


def _filled(spec: dict[str, Any], node: dict[str, Any], value: Any, depth: int = 0) -> Any:
    """A body of the schema's shape with `value` in every leaf (strings, numbers, dates)."""
    node = _resolve(spec, node)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node and depth < 6:
            return _filled(spec, node[key][0], value, depth + 1)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        return {
            name: _filled(spec, sub, value, depth + 1)
            for name, sub in node.get("properties", {}).items()
        }
    if kind == "array":
        return [_filled(spec, node.get("items", {}), value, depth + 1)]
    if kind == "boolean":
        return True
    return value


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    ]


def _calls(spec: dict[str, Any], method: str, path: str, operation: dict[str, Any]) -> Any:
    """(url, params, json body) for each extreme value in each declared place."""
    parameters = operation.get("parameters", [])
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    queried = [p["name"] for p in parameters if p["in"] == "query"]
    for value in EXTREMES:
        url = path
        for parameter in (p for p in parameters if p["in"] == "path"):
            url = url.replace("{" + parameter["name"] + "}", quote(str(value), safe=""))
        json_body = _filled(spec, body["schema"], value) if body else None
        # Each query parameter alone: a second one's refusal must not hide the first's.
        for query in [{name: str(value)} for name in queried] or [{}]:
            yield url, query, json_body


@pytest.fixture
def roles(client: Client, world: World) -> list[dict[str, str]]:
    create_request(world.backend)
    return [{}, ADMIN] + [login(client, world, m) for m in ("OPJ001", "SUP003", "COM004")]


def test_every_endpoint_answers_extreme_values_with_a_4xx(
    client: Client, world: World, backend: Backend, roles: list[dict[str, str]]
) -> None:
    spec = client.get("/openapi.json").json()
    failures = []
    for (method, path, operation), headers in itertools.product(_operations(spec), roles):
        if path == "/v1/auth/logout":
            continue  # would end the session the next calls use
        for url, query, body in _calls(spec, method, path, operation):
            answer = client.request(method, url, params=query, json=body, headers=headers)
            if answer.status_code >= 500:
                failures.append((method, url, query, body, answer.status_code))
    assert not failures, failures[:5]


def test_a_signed_validation_with_extreme_values_is_a_4xx(
    client: Client, world: World, backend: Backend
) -> None:
    headers = login(client, world)
    reference = create_request(backend)
    changes: list[dict[str, Any]] = [
        *({"created_at": value} for value in TIMES + TEXTS),
        *({"device_seq": value} for value in INTEGERS),
        *({field: value} for field in ("officer", "station", "reference") for value in TEXTS),
        {"identity_digest": "\x00" * 43},
    ]
    for change in changes:
        # Sorted and compact, as RFC 8785 would write it if it took integers beyond 2^53.
        raw = json.dumps(
            {**payload(world, reference), **change}, sort_keys=True, separators=(",", ":")
        )
        answer = post_validation(client, headers, raw_jws(world, raw.encode()))
        # A sequence beyond 32 bits but within 2^53-1 is lawful (a BIGINT column).
        lawful = change.get("device_seq") == 2**31
        assert answer.status_code == 201 if lawful else 400 <= answer.status_code < 500, (
            change,
            answer.text,
        )
    for day in DATES:
        answer = client.get(
            "/v1/journal", params={"day": day}, headers=login(client, world, "SUP003")
        )
        assert 400 <= answer.status_code < 500 or answer.status_code == 200, (day, answer.text)

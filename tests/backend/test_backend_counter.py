"""Idempotency, exactly-one-validation under concurrency, batch, limits."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from backend_helpers import (
    Client,
    FakeClock,
    World,
    create_request,
    login,
    payload,
    post_validation,
    query_plan,
    sign,
)
from sqlalchemy import func, select

from backend.api.app import create_app
from backend.context import Backend, open_backend
from backend.storage import journal_store
from backend.storage.engine import transaction
from backend.storage.tables import Validation


def test_same_key_same_body_returns_stored(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    token = sign(world, payload(world, reference))
    first = post_validation(client, headers, token)
    again = post_validation(client, headers, token)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()


def test_same_key_other_body_conflicts(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    body = payload(world, reference)
    assert post_validation(client, headers, sign(world, body)).status_code == 201
    other = sign(world, {**body, "device_seq": body["device_seq"] + 1})
    answer = post_validation(client, headers, other)
    assert answer.status_code == 422
    assert answer.json()["type"] == "urn:mpr:error:idempotency-conflict"


def test_in_flight_key_answers_409(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    body = payload(world, reference)
    assert backend.in_flight.enter(body["validation_id"])
    answer = post_validation(client, headers, sign(world, body))
    assert answer.status_code == 409
    assert answer.json()["type"] == "urn:mpr:error:in-flight"


def test_second_validation_names_first(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    first = login(client, world, "OPJ001")
    assert post_validation(client, first, sign(world, payload(world, reference))).status_code == 201
    other = login(client, world, "APJ002")
    answer = post_validation(
        client, other, sign(world, payload(world, reference, "APJ002"), "APJ002")
    )
    assert answer.status_code == 409
    problem = answer.json()
    assert problem["type"] == "urn:mpr:error:already-validated"
    assert problem["station"] == "PN-75-001"
    assert problem["officer_name"] == "Claire Lefèvre"
    assert problem["validated_at"] == "2026-06-12T09:00:00Z"


def test_concurrent_validations_exactly_one_wins(
    client: Client, world: World, backend: Backend
) -> None:
    reference = create_request(backend)
    officers = ["OPJ001", "APJ002", "OPJ005"]
    headers = {m: login(client, world, m) for m in officers}
    tokens = [(m, sign(world, payload(world, reference, m), m)) for m in officers * 4]
    barrier = threading.Barrier(len(tokens))

    def fire(item: tuple[str, str]) -> int:
        barrier.wait()
        return int(post_validation(client, headers[item[0]], item[1]).status_code)

    with ThreadPoolExecutor(len(tokens)) as pool:
        statuses = list(pool.map(fire, tokens))
    assert sorted(statuses) == [201] + [409] * (len(tokens) - 1)
    with transaction(backend.sessions) as session:
        count = session.scalar(
            select(func.count()).select_from(Validation).where(Validation.reference == reference)
        )
    assert count == 1


def test_lookup_rate_limited(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    for _ in range(30):
        assert client.get(f"/v1/requests/{reference}", headers=headers).status_code == 200
    limited = client.get(f"/v1/requests/{reference}", headers=headers)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["type"] == "urn:mpr:error:rate-limited"


def test_lookup_limit_holds_across_worker_processes(
    client: Client, world: World, backend: Backend, clock: FakeClock
) -> None:
    """Two workers (each its own connections and writer) share one limit: the count is read
    from the journal, not from a process's memory; it slides with the minute."""
    reference = create_request(backend)
    headers = login(client, world)
    other_worker = open_backend(backend.settings, clock=clock)
    other = Client(create_app(other_worker, background=False))
    try:
        for index in range(30):
            answer = (client if index % 2 else other).get(
                f"/v1/requests/{reference}", headers=headers
            )
            assert answer.status_code == 200
        assert other.get(f"/v1/requests/{reference}", headers=headers).status_code == 429
        assert client.get(f"/v1/requests/{reference}", headers=headers).status_code == 429
        clock.advance(seconds=61)
        assert other.get(f"/v1/requests/{reference}", headers=headers).status_code == 200
    finally:
        other.close()
        other_worker.close()


def test_lookup_count_reads_only_the_index(backend: Backend) -> None:
    """The limit is checked at every lookup under the chain's lock: it must not scan the
    station's journal (nor read its rows) to count one officer's last minute."""
    params = {
        "chain": "PN-75-001",
        "actor": "OPJ001",
        "since": "2026-06-01T10:00:00Z",
    }
    with backend.readers() as session, session.begin():
        plan = query_plan(session.connection(), journal_store._RECENT, params)
    assert "ix_journal_lookups" in plan, plan
    assert "SCAN journal" not in plan and "Seq Scan" not in plan, plan
    if backend.engine.dialect.name == "sqlite":
        assert "COVERING INDEX" in plan, plan


def test_body_limit_with_and_without_content_length(client: Client, world: World) -> None:
    big = b"x" * (64 * 1024 + 1)
    answer = client.post(
        "/v1/devices/enroll", content=big, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413

    def chunks() -> Any:
        for _ in range(70):
            yield b"y" * 1024

    streamed = client.post(
        "/v1/devices/enroll",
        content=_AsyncChunks(chunks()),
        headers={"Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    assert "content-length" not in streamed.request.headers
    assert streamed.json()["type"] == "urn:mpr:error:payload-too-large"


class _AsyncChunks:
    def __init__(self, source: Any) -> None:
        self.source = source

    def __aiter__(self) -> Any:
        return self

    async def __anext__(self) -> bytes:
        try:
            return bytes(next(self.source))
        except StopIteration:
            raise StopAsyncIteration from None


def test_health(client: Client) -> None:
    assert client.get("/health").json() == {"status": "ok"}

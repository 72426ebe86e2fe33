"""The batch endpoint: answers in order, and never lets a later item of a device overtake
an earlier one that failed for a reason that may pass (it would become a `replay`)."""

from __future__ import annotations

from typing import Any

import pytest
from backend_helpers import Client, World, create_request, login, payload, post_validation, sign

from backend.context import Backend
from backend.errors import (
    AlreadyValidatedError,
    AppError,
    BadSignatureError,
    ExpiredError,
    InFlightError,
    RateLimitedError,
    ReplayError,
)
from backend.services.batch import is_retryable
from backend.storage.engine import StorageError


def _batch(client: Client, headers: dict[str, str], items: list[str]) -> list[dict[str, Any]]:
    answer = client.post("/v1/validations/batch", json=items, headers=headers)
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()
    assert len(results) == len(items)
    return results


def test_batch_answers_each_item_in_order(client: Client, world: World, backend: Backend) -> None:
    first, second = create_request(backend), create_request(backend)
    headers = login(client, world)
    good = sign(world, payload(world, first))
    items = [good, "garbage", sign(world, payload(world, second)), good]
    results = _batch(client, headers, items)
    assert [r["status"] for r in results] == [201, 400, 201, 201]
    assert results[0]["body"] == results[3]["body"]
    assert results[1]["body"]["type"] == "urn:mpr:error:bad-signature"
    too_many = client.post("/v1/validations/batch", json=["x"] * 101, headers=headers)
    assert too_many.status_code == 422


def test_in_flight_item_stops_the_batch_and_nothing_is_lost(
    client: Client, world: World, backend: Backend
) -> None:
    references = [create_request(backend) for _ in range(3)]
    headers = login(client, world)
    bodies = [payload(world, reference) for reference in references]  # device_seq 1, 2, 3
    tokens = [sign(world, body) for body in bodies]
    assert backend.in_flight.enter(bodies[1]["validation_id"])  # a concurrent retry of item 1
    results = _batch(client, headers, tokens)
    assert [r["status"] for r in results] == [201, 409, 425]
    assert results[1]["body"]["type"] == "urn:mpr:error:in-flight"
    assert results[2]["body"]["type"] == "urn:mpr:error:not-processed"
    assert results[2]["body"]["blocked_by"] == 1
    backend.in_flight.leave(bodies[1]["validation_id"])
    # The outbox resends what was not acknowledged: both pass, in device_seq order.
    again = _batch(client, headers, tokens[1:])
    assert [r["status"] for r in again] == [201, 201]


def test_definitive_rejection_does_not_stop_the_batch(
    client: Client, world: World, backend: Backend
) -> None:
    taken, free = create_request(backend), create_request(backend)
    colleague = login(client, world, "OPJ005")
    first = sign(world, payload(world, taken, "OPJ005"), "OPJ005")
    assert post_validation(client, colleague, first).status_code == 201
    headers = login(client, world)
    items = [sign(world, payload(world, taken)), sign(world, payload(world, free))]
    results = _batch(client, headers, items)
    assert [r["status"] for r in results] == [409, 201]
    assert results[0]["body"]["type"] == "urn:mpr:error:already-validated"


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (InFlightError("busy"), True),
        (StorageError("locked"), True),
        (RateLimitedError(3), True),
        (AppError("unexpected"), True),
        (ReplayError("seq"), False),
        (AlreadyValidatedError("taken"), False),
        (ExpiredError("gone"), False),
        (BadSignatureError("sig"), False),
    ],
)
def test_which_failures_stop_a_batch(error: AppError, retryable: bool) -> None:
    assert is_retryable(error) is retryable

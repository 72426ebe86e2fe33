"""Every rejection of docs/protocol.md, each through the HTTP API, each journalled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from backend_helpers import (
    MANDANT,
    Client,
    World,
    create_request,
    login,
    payload,
    post_validation,
    sign,
)
from sqlalchemy import select

from backend.context import Backend
from backend.services import admin
from backend.storage.engine import transaction
from backend.storage.tables import JournalRow
from procuration import jws, timeutil
from procuration.canonical import b64url


def _problem(answer: Any, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = answer.json()
    assert body["type"] == f"urn:mpr:error:{code}"
    return body


def _rejections_journalled(backend: Backend) -> list[str]:
    with transaction(backend.sessions) as session:
        rows = session.scalars(select(JournalRow).where(JournalRow.kind == "validation.rejected"))
        return [row.detail_json for row in rows]


def test_unknown_kid(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    from procuration import keys as core_keys

    stranger = core_keys.generate_private_key()
    token = jws.sign(payload(world, reference), stranger, "mpr-validation")
    _problem(post_validation(client, headers, token), 403, "unknown-key")
    assert "unknown-key" in _rejections_journalled(backend)[0]


def test_revoked_kid(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world, "OPJ005")
    token = sign(world, payload(world, reference), "OPJ001")
    admin.revoke_device(backend, world.kid("OPJ001"))
    _problem(post_validation(client, headers, token), 403, "revoked-key")


def test_key_of_another_officer(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    token = sign(world, payload(world, reference, "OPJ001"), "OPJ005")
    _problem(post_validation(client, headers, token), 403, "wrong-officer-key")


def test_not_habilitated_at_created_at(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    admin.habilitate(backend, "OPJ005", "2025-01-01", "2025-12-31", "TJ")
    token = sign(world, payload(world, reference, "OPJ005"), "OPJ005")
    _problem(post_validation(client, headers, token), 403, "not-habilitated")


@pytest.mark.parametrize(
    ("shift", "code"), [(timedelta(minutes=6), "clock-skew"), (-timedelta(hours=73), "too-old")]
)
def test_created_at_window(
    client: Client, world: World, backend: Backend, shift: timedelta, code: str
) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    created = timeutil.to_wire(backend.now() + shift)
    token = sign(world, payload(world, reference, created_at=created))
    _problem(post_validation(client, headers, token), 422, code)


def test_created_at_within_allowances_accepted(
    client: Client, world: World, backend: Backend
) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    created = timeutil.to_wire(backend.now() + timedelta(minutes=4))
    token = sign(world, payload(world, reference, created_at=created))
    assert post_validation(client, headers, token).status_code == 201


def test_device_seq_not_above_last(client: Client, world: World, backend: Backend) -> None:
    first, second = create_request(backend), create_request(backend)
    headers = login(client, world)
    assert post_validation(client, headers, sign(world, payload(world, first))).status_code == 201
    stale = payload(world, second, device_seq=1)  # equal to the last accepted
    _problem(post_validation(client, headers, sign(world, stale)), 409, "replay")


def test_identity_digest_mismatch(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    other = b64url(bytes(32))
    token = sign(world, payload(world, reference, identity_digest=other))
    _problem(post_validation(client, headers, token), 422, "identity-mismatch")


def test_wrong_typ_and_ctx(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    token = sign(world, payload(world, reference), typ="mpr-request")
    _problem(post_validation(client, headers, token), 422, "wrong-context")
    token = sign(world, payload(world, reference, ctx="maprocuration/request/v1"))
    _problem(post_validation(client, headers, token), 422, "wrong-context")


def test_inconsistent_payload(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    body = payload(world, reference, refusal_reason="other")  # validated with a reason
    _problem(post_validation(client, headers, sign(world, body)), 422, "validation")


def test_bad_signature(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    token = sign(world, payload(world, reference))
    head, body, signature = token.split(".")
    forged = f"{head}.{body}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BA'}"
    _problem(post_validation(client, headers, forged), 400, "bad-signature")
    _problem(post_validation(client, headers, "not-a-jws", key="x"), 400, "bad-signature")


def test_unknown_and_expired_reference(
    client: Client, world: World, backend: Backend, clock: Any
) -> None:
    headers = login(client, world)
    token = sign(world, payload(world, "7K3QZ9"))
    _problem(post_validation(client, headers, token), 404, "unknown-reference")
    reference = create_request(backend)
    clock.advance(days=62)
    headers = login(client, world)
    token = sign(world, payload(world, reference))
    _problem(post_validation(client, headers, token), 410, "expired")


def test_requires_officer_session(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    token = sign(world, payload(world, reference))
    _problem(post_validation(client, {}, token), 401, "unauthenticated")
    supervisor = login(client, world, "SUP003")
    _problem(post_validation(client, supervisor, token), 403, "forbidden")
    assert MANDANT.birth_name not in str(_rejections_journalled(backend))


def test_station_must_be_the_officers_own(client: Client, world: World, backend: Backend) -> None:
    """OPJ001 serves at PN-75-001: a payload naming another (known) station is refused."""
    reference = create_request(backend)
    headers = login(client, world)
    token = sign(world, payload(world, reference, station="GN-92-050"))
    _problem(post_validation(client, headers, token), 403, "wrong-station")
    assert any("wrong-station" in detail for detail in _rejections_journalled(backend))
    token = sign(world, payload(world, reference))
    assert post_validation(client, headers, token).status_code == 201

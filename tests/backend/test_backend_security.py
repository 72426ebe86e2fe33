"""Holes of the attack review (issue 12) that one backend instance shows: who creates a
request, its throttle, strict signed payloads, backdated times, enumeration of references
through validations, the delivering session. Across instances: test_backend_instances.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backend_helpers import (
    ADMIN,
    PASSWORD,
    Client,
    FakeClock,
    World,
    create_request,
    enrol,
    login,
    payload,
    post_validation,
    raw_jws,
    request_body,
    sign,
)
from sqlalchemy import text

from backend.api.app import create_app
from backend.config import Settings
from backend.context import Backend, open_backend
from backend.services import admin, auth
from procuration import timeutil
from procuration.canonical import canonical_json
from procuration.models import Role

SEQ_BEYOND_32_BITS = 2**31 + 7


def _post_request(client: Client, headers: dict[str, str] | None = None, **extra: Any) -> Any:
    return client.post("/v1/requests", json=request_body(), headers=headers or {}, **extra)


def _admin_session(client: Client, world: World) -> dict[str, str]:
    admin.add_officer(
        world.backend,
        admin.NewOfficer("ADM009", "Service informatique", "Ingénieur", Role.ADMIN, PASSWORD),
    )
    enrol(world, "ADM009")
    return login(client, world, "ADM009")


def test_anonymous_and_officers_cannot_create_requests(client: Client, world: World) -> None:
    assert _post_request(client).status_code == 401
    assert _post_request(client, {"Authorization": "Bearer forged"}).status_code == 401
    for matricule in ("OPJ001", "COM004"):
        assert _post_request(client, login(client, world, matricule)).status_code == 403


def test_an_admin_token_or_an_admin_session_creates_a_journalled_request(
    client: Client, world: World, backend: Backend
) -> None:
    assert _post_request(client, ADMIN).status_code == 201
    assert _post_request(client, _admin_session(client, world)).status_code == 201
    with backend.engine.connect() as connection:
        actors = connection.execute(
            text("SELECT actor FROM journal WHERE kind = 'request.created' ORDER BY seq")
        ).scalars()
        assert list(actors) == ["admin-token", "ADM009"]


def _limit_reached(client: Client, headers: dict[str, str], limit: int) -> Any:
    for _ in range(limit):
        assert _post_request(client, headers).status_code == 201
    return _post_request(client, headers)


def test_request_creation_is_limited_per_caller_across_instances(
    db_url: str, tmp_path: Path, clock: FakeClock, world: World
) -> None:
    """Counted in the database: a second instance on the same database sees the count."""
    settings = Settings(
        data_dir=tmp_path / "other",
        db_url=db_url,
        request_rate_per_minute=3,
        admin_token_sha256=auth.token_hash("second admin token"),
    )
    token = {"Authorization": "Bearer second admin token"}
    instances = [open_backend(settings, clock=clock) for _ in range(2)]
    clients = [Client(create_app(instance, background=False)) for instance in instances]
    try:
        for client in clients:  # 2 on one instance, 1 on the other, then the 4th anywhere
            assert _post_request(client, token).status_code == 201
        assert _post_request(clients[0], token).status_code == 201
        refused = _post_request(clients[1], token)
        assert refused.status_code == 429
        assert refused.json()["type"] == "urn:mpr:error:rate-limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 61
        clock.advance(seconds=61)
        assert _post_request(clients[1], token).status_code == 201
    finally:
        for client in clients:
            client.close()
        for instance in instances:
            instance.close()


def test_request_creation_is_limited_per_client_address(
    client: Client, world: World, backend: Backend
) -> None:
    limit = backend.settings.request_rate_per_minute
    assert _limit_reached(client, ADMIN, limit).status_code == 429
    # Another admin calling from the same address is refused too.
    assert _post_request(client, _admin_session(client, world)).status_code == 429


def _lax(world: World, reference: str) -> list[bytes]:
    """Payloads a lax parser reads as a valid validation, each signed as it is."""
    good = payload(world, reference)
    canonical = canonical_json(good)
    without_ctx = {k: v for k, v in good.items() if k != "ctx"}
    checks = dict(good["id_document"])
    return [
        json.dumps(good).encode(),  # other spacing
        json.dumps(good, sort_keys=True, indent=1).encode(),
        canonical[:-1] + b',"decision":"validated"}',  # duplicate key
        canonical_json(without_ctx),
        canonical_json({**good, "device_seq": str(good["device_seq"])}),
        canonical_json({**good, "id_document": {**checks, "photo_matches": "yes"}}),
        canonical_json({**good, "id_document": {**checks, "name_matches": 1}}),
        canonical.replace(b'"device_seq":%d' % good["device_seq"], b'"device_seq":%d' % 2**53),
    ]


def test_signed_payloads_are_accepted_only_in_their_strict_canonical_form(
    client: Client, world: World
) -> None:
    reference = create_request(world.backend)
    headers = login(client, world)
    for raw in _lax(world, reference):
        answer = post_validation(client, headers, raw_jws(world, raw))
        assert answer.status_code == 422, (raw, answer.text)
    assert (
        post_validation(client, headers, sign(world, payload(world, reference))).status_code == 201
    )


def test_extreme_times_and_sequences_are_4xx_and_a_64_bit_sequence_is_stored(
    client: Client, world: World
) -> None:
    reference = create_request(world.backend)
    headers = login(client, world)
    for created_at in ("9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"):
        token = sign(world, payload(world, reference, created_at=created_at))
        assert post_validation(client, headers, token).status_code == 422
    token = sign(world, payload(world, reference, device_seq=SEQ_BEYOND_32_BITS))
    assert post_validation(client, headers, token).status_code == 201
    token = sign(
        world, payload(world, create_request(world.backend), device_seq=SEQ_BEYOND_32_BITS)
    )
    assert post_validation(client, headers, token).json()["type"] == "urn:mpr:error:replay"


def test_a_validation_signed_before_the_request_existed_is_refused(
    client: Client, world: World, clock: FakeClock
) -> None:
    signed_at = timeutil.to_wire(clock())
    clock.advance(hours=1)
    reference = create_request(world.backend)
    clock.advance(seconds=30)
    token = sign(world, payload(world, reference, created_at=signed_at))
    answer = post_validation(client, login(client, world), token)
    assert answer.status_code == 422
    assert answer.json()["type"] == "urn:mpr:error:backdated"


def test_the_delivering_session_is_recorded_and_journalled(
    client: Client, world: World, backend: Backend
) -> None:
    reference = create_request(backend)
    token = sign(world, payload(world, reference))  # signed by OPJ001
    assert post_validation(client, login(client, world, "OPJ005"), token).status_code == 201
    with backend.engine.connect() as connection:
        delivered = connection.execute(
            text("SELECT officer, delivered_by, delivered_kid FROM validations")
        ).one()
        detail = connection.execute(
            text("SELECT detail_json FROM journal WHERE kind = 'validation.validated'")
        ).scalar_one()
    assert tuple(delivered) == ("OPJ001", "OPJ005", world.kid("OPJ005"))
    assert json.loads(detail)["delivered_by"] == "OPJ005"


def test_a_session_past_its_habilitation_learns_nothing_from_a_validation(
    client: Client, world: World
) -> None:
    """Habilitation ended: the same 403 for a real, a validated and an unknown reference."""
    reference = create_request(world.backend)
    headers = login(client, world, "OPJ005")
    # The judge's designation ended yesterday; the session opened before it was recorded.
    admin.habilitate(world.backend, "OPJ005", "2026-01-01", "2026-06-11", "TJ Paris 2026/17")
    for ref in (reference, "ZZZZZZ"):
        token = sign(world, payload(world, ref, "OPJ005"))
        answer = post_validation(client, headers, token)
        assert answer.status_code == 403, answer.text
        assert answer.json()["type"] == "urn:mpr:error:not-habilitated"


def test_an_officer_over_the_lookup_limit_cannot_probe_references_by_validating(
    client: Client, world: World, backend: Backend
) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    for _ in range(backend.settings.lookup_rate_per_minute):
        assert client.get(f"/v1/requests/{reference}", headers=headers).status_code == 200
    for ref in (reference, "ZZZZZZ"):
        answer = post_validation(client, headers, sign(world, payload(world, ref)))
        assert answer.status_code == 429, answer.text


def test_rejected_validations_count_with_the_lookups(
    client: Client, world: World, backend: Backend
) -> None:
    headers = login(client, world)
    for _ in range(backend.settings.lookup_rate_per_minute):
        answer = post_validation(client, headers, sign(world, payload(world, "ZZZZZZ")))
        assert answer.status_code == 404
    assert client.get("/v1/requests/ZZZZZZ", headers=headers).status_code == 429
    answer = post_validation(client, headers, sign(world, payload(world, "ZZZZZY")))
    assert answer.status_code == 429


def test_another_commune_cannot_tell_a_foreign_reference_from_an_unknown_one(
    client: Client, world: World, backend: Backend
) -> None:
    admin.add_officer(
        backend,
        admin.NewOfficer(
            "COM008", "Mairie de Nanterre", "Agent", Role.COMMUNE, PASSWORD, None, "92050"
        ),
    )
    enrol(world, "COM008")
    headers = login(client, world, "COM008")
    reference = create_request(backend)
    answers = [
        client.post(
            f"/v1/proxies/{ref}/decision",
            json={"decision": "accepted", "reason": ""},
            headers=headers,
        )
        for ref in (reference, "ZZZZZZ")
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()

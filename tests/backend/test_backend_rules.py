"""Rules of docs/domain.md that no other test file names: a reference is never reused while
its row exists, and only a habilitated OPJ or APJ validates (a mairie's account may not)."""

from __future__ import annotations

import json

import pytest
from backend_helpers import (
    Client,
    World,
    create_request,
    login,
    payload,
    post_validation,
    sign,
)
from sqlalchemy import select

from backend.api.app import create_app
from backend.context import Backend
from backend.services import requests
from backend.storage import lifecycle as lifecycle_store
from backend.storage.engine import transaction
from backend.storage.tables import JournalRow
from procuration import reference as reference_codec
from procuration.wire import JournalKind


def test_a_reference_is_never_reused_while_its_row_exists(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = create_request(world.backend)
    purged = create_request(world.backend)
    with transaction(world.backend.sessions) as session:
        lifecycle_store.erase(session, [purged], "2026-06-12T09:00:00Z")  # a tombstone
    fresh = next(r for r in iter(reference_codec.generate, None) if r not in (live, purged))
    drawn = iter([live, purged, fresh])
    monkeypatch.setattr(reference_codec, "generate", lambda: next(drawn))
    with transaction(world.backend.sessions) as session:
        assert requests.fresh_reference(session) == fresh


def test_a_mairie_account_can_neither_look_up_nor_validate(client: Client, world: World) -> None:
    reference = create_request(world.backend)
    mairie = login(client, world, "COM004")
    assert client.get(f"/v1/requests/{reference}", headers=mairie).status_code == 403
    # Even carrying a validation an officer signed: the delivering session must be an
    # OPJ's or an APJ's.
    token = sign(world, payload(world, reference))
    answer = post_validation(client, mairie, token)
    assert answer.status_code == 403, answer.text
    assert (
        client.get(f"/v1/requests/{reference}", headers=login(client, world)).json()["status"]
        == "submitted"
    )


def test_every_read_of_a_communes_proxies_through_the_api_is_journalled(
    client: Client, world: World
) -> None:
    create_request(world.backend)
    mairie = login(client, world, "COM004")
    assert client.get("/v1/communes/75056/proxies", headers=mairie).status_code == 200
    assert client.get("/v1/communes/75056/register.csv", headers=mairie).status_code == 200
    with world.backend.engine.connect() as connection:
        rows = connection.execute(
            select(JournalRow.actor, JournalRow.detail_json).where(
                JournalRow.kind == JournalKind.COMMUNE_CONSULTED
            )
        ).all()
    read = [
        (actor, json.loads(detail)["what"], json.loads(detail)["commune"]) for actor, detail in rows
    ]
    assert read == [("COM004", "api.list", "75056"), ("COM004", "api.register.csv", "75056")]


def test_a_bug_answers_the_500_problem_and_the_connection_lives_on(backend: Backend) -> None:
    app = create_app(backend, background=False)

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/v1/broken", broken)
    # The transport raises what leaves the application: after its 500, the server would
    # have closed the connection (uvicorn does on any exception that leaves the application).
    test_client = Client(app)
    try:
        answer = test_client.get("/v1/broken")
        assert answer.status_code == 500
        assert answer.json()["type"] == "urn:mpr:error:internal"
        assert test_client.get("/health").status_code == 200
    finally:
        test_client.close()

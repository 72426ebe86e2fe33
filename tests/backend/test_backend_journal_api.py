"""The journal over HTTP: what a supervisor downloads is signed up to now, an admin cannot
sign for a station that does not exist, and no day makes the server fail."""

from __future__ import annotations

import pytest
from backend_helpers import PASSWORD, Client, World, create_request, enrol, login

from backend.context import Backend
from backend.services import admin
from backend.storage import journal_store
from backend.storage.engine import transaction
from procuration.journal import verify_checkpoint
from procuration.models import Role


def _admin(client: Client, world: World) -> dict[str, str]:
    admin.add_officer(
        world.backend, admin.NewOfficer("ADM009", "Admin", "Ingénieur", Role.ADMIN, PASSWORD)
    )
    enrol(world, "ADM009")
    return login(client, world, "ADM009")


def test_the_downloaded_checkpoint_covers_the_chain_as_it_stands(
    client: Client, world: World, backend: Backend
) -> None:
    supervisor = login(client, world, "SUP003")
    assert client.post("/v1/journal/checkpoint", headers=supervisor).status_code == 200
    officer = login(client, world)
    client.get(f"/v1/requests/{create_request(backend)}", headers=officer)  # the tail grows
    answer = client.get("/v1/journal/checkpoint", headers=supervisor)
    assert answer.status_code == 200
    keys = {backend.keys.journal.kid: backend.keys.journal.private.public_key()}
    signed = verify_checkpoint(answer.json()["checkpoint"], keys)
    with transaction(backend.sessions) as session:
        assert (signed.size, signed.head) == journal_store.head(session, "PN-75-001")


def test_an_admin_cannot_sign_for_a_station_that_does_not_exist(
    client: Client, world: World, backend: Backend
) -> None:
    headers = _admin(client, world)
    answer = client.post("/v1/journal/checkpoint?station=PN-00-404", headers=headers)
    assert answer.status_code == 404
    with transaction(backend.sessions) as session:
        assert "PN-00-404" not in journal_store.chains(session)
    assert client.post("/v1/journal/checkpoint?station=PN-75-001", headers=headers).is_success


@pytest.mark.parametrize(
    "day", ["0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "1999-12-31", "2200-01-01"]
)
def test_a_day_out_of_range_is_a_validation_error_on_day(
    client: Client, world: World, day: str
) -> None:
    answer = client.get("/v1/journal", params={"day": day}, headers=login(client, world, "SUP003"))
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["type"] == "urn:mpr:error:validation" and problem["field"] == "day"

"""Expiry, retention purge (personal data really gone from the database), journal guards."""

from __future__ import annotations

import pytest
from backend_helpers import (
    MANDANT,
    Client,
    FakeClock,
    World,
    create_request,
    login,
    payload,
    post_validation,
    request_body,
    sign,
)
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from backend.context import Backend
from backend.mailer import FileMailer
from backend.services import journal, lifecycle, register, requests
from backend.services.schemas import RequestCreate
from backend.verify import verify_all


def _dump(backend: Backend) -> str:
    with backend.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM requests")).all()
        rows += connection.execute(text("SELECT * FROM validations")).all()
    return repr(rows)


def test_unvalidated_request_expires_and_is_erased(
    world: World, backend: Backend, clock: FakeClock
) -> None:
    create_request(backend)
    clock.advance(days=60)
    assert lifecycle.expire(backend) == 0
    clock.advance(days=2)
    assert lifecycle.expire(backend) == 1
    assert MANDANT.birth_name not in _dump(backend)
    assert "expired" in _dump(backend)


def test_validated_proxy_purged_one_year_after_validity(
    client: Client, world: World, backend: Backend, clock: FakeClock
) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    assert (
        post_validation(client, headers, sign(world, payload(world, reference))).status_code == 201
    )
    register.run_checks(backend)
    clock.advance(days=365 + 354)  # validity ends 2027-05-31; retention runs a year past it
    assert lifecycle.purge(backend) == 0
    clock.advance(days=20)
    assert lifecycle.purge(backend) == 1
    dump = _dump(backend)
    assert MANDANT.birth_name not in dump and MANDANT.first_names not in dump
    assert MANDANT.birth_date not in dump and "elodie@example.fr" not in dump
    assert reference in dump  # the reference stays, never to be reused
    journal.sign_grown(backend)  # a chain without any checkpoint does not verify
    assert all(result.startswith("ok") for result in verify_all(backend).values())


def _mails(backend: Backend, reference: str) -> list[bytes]:
    assert isinstance(backend.mailer, FileMailer)
    return [path.read_bytes() for path in backend.mailer.files_for(reference)]


def test_purge_deletes_the_mails_of_the_request(
    client: Client, world: World, backend: Backend, clock: FakeClock
) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    post_validation(client, headers, sign(world, payload(world, reference)))
    register.run_checks(backend)
    assert len(_mails(backend, reference)) == 2  # received, then validated
    kept = _create_later_request(backend)  # another request, not yet due for purge
    clock.advance(days=365 + 374)
    assert lifecycle.purge(backend) == 1
    assert _mails(backend, reference) == []
    assert _mails(backend, kept)  # a request that is not purged keeps its mail
    folder = backend.settings.data_dir / "outbox-mail"
    leftovers = b"".join(path.read_bytes() for path in folder.glob("*.eml"))
    assert reference.encode() not in leftovers


def _create_later_request(backend: Backend) -> str:
    """A request for a period a year after the one of `request_body`."""
    body = request_body()
    body["scope"] = {"kind": "period", "start": "2027-06-01", "end": "2028-05-31"}
    return requests.create(backend, RequestCreate.model_validate(body)).reference


def test_expiry_deletes_the_mails_of_the_request(
    world: World, backend: Backend, clock: FakeClock
) -> None:
    reference = create_request(backend)
    assert _mails(backend, reference)
    clock.advance(days=62)
    assert lifecycle.expire(backend) == 1
    assert _mails(backend, reference) == []


def test_journal_is_insert_only(world: World, backend: Backend) -> None:
    for statement in ("UPDATE journal SET kind = 'x'", "DELETE FROM journal"):
        with pytest.raises(DBAPIError), backend.engine.begin() as connection:
            connection.execute(text(statement))


def test_supervisor_reads_own_station_day(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    officer = login(client, world)
    client.get(f"/v1/requests/{reference}", headers=officer)
    supervisor = login(client, world, "SUP003")
    assert client.post("/v1/journal/checkpoint", headers=supervisor).status_code == 200
    day = client.get("/v1/journal?day=2026-06-12", headers=supervisor).json()
    assert day["journal"] == "PN-75-001"
    kinds = [entry["kind"] for entry in day["entries"]]
    assert "request.lookup" in kinds and kinds[-1] == "auth.login"
    assert day["checkpoint"]
    other = client.get("/v1/journal?day=2026-06-12&station=GN-92-050", headers=supervisor)
    assert other.status_code == 403

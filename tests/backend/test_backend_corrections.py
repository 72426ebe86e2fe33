"""The commune's corrections: a "not on the roll" verdict overridden with a reason code,
journalled as codes only, the L73 cap still applying."""

from __future__ import annotations

import json

import httpx
import pytest
from backend_helpers import (
    MANDANT,
    MANDATAIRE,
    PASSWORD,
    Client,
    Person,
    World,
    create_request,
    enrol,
    login,
    payload,
    post_validation,
    sign,
)
from sqlalchemy import select

from backend.cli import main
from backend.context import Backend
from backend.mailer import FileMailer
from backend.services import admin, elections, register
from backend.storage.engine import transaction
from backend.storage.tables import JournalRow
from procuration.elections import Election
from procuration.models import Role

MUNICIPAL = Election.model_validate(
    {
        "id": "municipales-2027",
        "label": "Municipales",
        "rounds": [
            {"round": 1, "polling_day": "2027-03-14"},
            {"round": 2, "polling_day": "2027-03-21"},
        ],
    }
)

# Registered in Paris by the commune last week; the roll extract does not have her yet.
NEWCOMER = Person("OKONKWO-BERTIN", "Adaeze Louise", "1991-07-22")


def _validated(
    client: Client, world: World, backend: Backend, mandant: Person, mandataire: Person
) -> str:
    reference = create_request(backend, mandant, mandataire)
    headers = login(client, world)
    token = sign(world, payload(world, reference, identity_digest=mandant.digest()))
    assert post_validation(client, headers, token).status_code == 201
    register.run_checks(backend)
    return reference


def _decide(client: Client, headers: dict[str, str], reference: str, **body: str) -> httpx.Response:
    return client.post(f"/v1/proxies/{reference}/decision", json=body, headers=headers)


def _journal(backend: Backend, kind: str) -> list[JournalRow]:
    with transaction(backend.sessions) as session:
        return list(session.scalars(select(JournalRow).where(JournalRow.kind == kind)))


def test_commune_corrects_a_not_on_the_roll_verdict(
    client: Client, world: World, backend: Backend
) -> None:
    reference = _validated(client, world, backend, NEWCOMER, MANDATAIRE)
    mairie = login(client, world, "COM004")
    listed = client.get("/v1/communes/75056/proxies", headers=mairie).json()
    assert [(p["status"], p["reason"]) for p in listed] == [("invalid", "mandant-not-on-roll")]
    answer = _decide(client, mairie, reference, decision="accepted", correction="roll-out-of-date")
    assert answer.status_code == 200
    assert answer.json() == {"reference": reference, "status": "accepted_by_commune"}
    listed = client.get("/v1/communes/75056/proxies", headers=mairie).json()
    assert [(p["status"], p["reason"]) for p in listed] == [
        ("accepted_by_commune", "roll-out-of-date")
    ]
    (entry,) = _journal(backend, "commune.corrected")
    assert entry.actor == "COM004" and entry.reference == reference
    assert json.loads(entry.detail_json) == {
        "commune": "75056",
        "verdict": "mandant-not-on-roll",
        "correction": "roll-out-of-date",
    }
    assert isinstance(backend.mailer, FileMailer)
    mails = [path.read_bytes() for path in backend.mailer.files_for(reference)]
    assert any(b"a enregistr=C3=A9 votre procuration" in mail for mail in mails)


def test_a_correction_is_refused_where_it_does_not_apply(
    client: Client, world: World, backend: Backend
) -> None:
    invalid = _validated(client, world, backend, NEWCOMER, MANDATAIRE)
    mairie = login(client, world, "COM004")
    refusal = _decide(client, mairie, invalid, decision="refused", reason="pas sur la liste")
    assert refusal.status_code == 409  # void already
    unknown_code = _decide(client, mairie, invalid, decision="accepted", correction="because")
    assert unknown_code.status_code == 422
    free_text = _decide(
        client, mairie, invalid, decision="accepted", correction="homonym-error",
        reason="Mme OKONKWO-BERTIN est bien inscrite",
    )  # fmt: skip
    assert free_text.status_code == 422
    established = _validated(client, world, backend, MANDANT, MANDATAIRE)
    on_established = _decide(
        client, mairie, established, decision="accepted", correction="roll-out-of-date"
    )
    assert on_established.status_code == 409
    officer = login(client, world, "OPJ001")
    as_officer = _decide(client, officer, invalid, decision="accepted", correction="homonym-error")
    assert as_officer.status_code == 403
    assert _journal(backend, "commune.corrected") == []


def test_the_l73_cap_cannot_be_corrected_away(
    client: Client, world: World, backend: Backend
) -> None:
    # L73 is judged per polling day: the two periods share the calendar's municipal days.
    elections.add_election(backend, MUNICIPAL)
    first = _validated(client, world, backend, MANDANT, MANDATAIRE)
    # The same mandataire, for a newcomer: the cap voids it; no correction lifts that.
    capped = _validated(client, world, backend, NEWCOMER, MANDATAIRE)
    mairie = login(client, world, "COM004")
    statuses = {p["reference"]: (p["status"], p["reason"]) for p in _list(client, mairie)}
    assert statuses[first] == ("established", None)
    assert statuses[capped] == ("invalid", "mandant-not-on-roll")
    answer = _decide(client, mairie, capped, decision="accepted", correction="roll-out-of-date")
    assert answer.status_code == 409
    assert answer.json()["verdict"] == "cap-france"
    assert {p["reference"]: p["status"] for p in _list(client, mairie)}[capped] == "invalid"


def _list(client: Client, headers: dict[str, str]) -> list[dict[str, object]]:
    answer: list[dict[str, object]] = client.get(
        "/v1/communes/75056/proxies", headers=headers
    ).json()
    return answer


def test_correction_from_the_command_line(
    client: Client, world: World, backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = _validated(client, world, backend, NEWCOMER, MANDATAIRE)
    where = ["--data-dir", str(backend.settings.data_dir), "--db", backend.settings.db_url]
    command = ["commune", "correct", "--reference", reference.lower(), "--as", "COM004"]
    assert main([*command, "--reason", "registration-just-recorded", *where]) == 0
    assert capsys.readouterr().out == "accepted_by_commune\n"
    assert main([*command, "--reason", "registration-just-recorded", *where]) == 1
    assert "only a 'not on the roll' verdict" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*command, "--reason", "the mayor said so", *where])


def test_another_commune_cannot_tell_a_proxy_exists(
    client: Client, world: World, backend: Backend
) -> None:
    reference = _validated(client, world, backend, NEWCOMER, MANDATAIRE)
    nanterre = admin.NewOfficer(
        "COM092", "Mairie de Nanterre", "Agent", Role.COMMUNE, PASSWORD, None, "92050"
    )
    admin.add_officer(backend, nanterre)
    enrol(world, "COM092")
    headers = login(client, world, "COM092")
    body = {"decision": "accepted", "correction": "roll-out-of-date"}
    theirs = _decide(client, headers, reference, **body)
    unknown = _decide(client, headers, "7K3QZ9", **body)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json()["type"] == unknown.json()["type"] == "urn:mpr:error:unknown-reference"
    refusal = _decide(client, headers, reference, decision="refused", reason="?")
    assert refusal.status_code == 404

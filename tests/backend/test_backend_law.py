"""The law at the backend's edges (issue #11): the election calendar, the scope and civil
status checked at request creation, and the L73 cap judged per polling day on one identity
key for a person (the roll's folded key)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from backend_helpers import (
    ADMIN,
    MANDANT,
    Client,
    FakeClock,
    Person,
    World,
    payload,
    request_body,
    roll_line,
    sign,
)
from sqlalchemy import text

from backend.context import Backend
from backend.demo.seed import REQUEST_COUNT, seed_demo
from backend.errors import ScopeError
from backend.services import admin, commune, elections, register, requests, validations
from backend.services.schemas import RequestCreate
from backend.storage.engine import transaction
from backend.storage.names import person_key
from backend.storage.prepared import Db
from procuration.elections import Election

# The test clock stands on 2026-06-12 (backend_helpers.START).
EUROPEAN = Election.model_validate(
    {
        "id": "europeennes-2026",
        "label": "Européennes",
        "rounds": [{"round": 1, "polling_day": "2026-06-28"}],
    }
)
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
PAST = Election.model_validate(
    {
        "id": "presidentielle-2001",
        "label": "Ancienne",
        "rounds": [{"round": 1, "polling_day": "2001-04-22"}],
    }
)
ZOE = Person("LEFÈVRE", "Zoé", "1990-02-03", "13055")
ZOE_PLAIN = Person("LEFEVRE", "Zoe", "1990-02-03", "13055")
OTHER_MANDANT = Person("MARTIN", "Louis", "1970-07-14")
THIRD_MANDANT = Person("BERNARD", "Inès", "1965-05-05")


@pytest.fixture
def calendar_world(world: World) -> World:
    for election in (EUROPEAN, MUNICIPAL, PAST):
        elections.add_election(world.backend, election)
    admin.add_commune(world.backend, "13055", "Marseille")
    admin.add_electors(
        world.backend,
        [roll_line(ZOE), roll_line(OTHER_MANDANT), roll_line(THIRD_MANDANT)],
    )
    return world


def _create(backend: Backend, body: dict[str, Any]) -> str:
    return requests.create(backend, RequestCreate.model_validate(body)).reference


def _body(scope: dict[str, Any], mandant: Person = MANDANT, mandataire: Person = ZOE) -> Any:
    body = request_body(mandant, mandataire)
    body["scope"] = scope
    return body


def _establish(world: World, reference: str, mandant: Person) -> None:
    officer = commune.officer_named(world.backend, "OPJ001")
    token = sign(world, payload(world, reference, identity_digest=mandant.digest()))
    validations.submit(world.backend, officer, token, None)
    register.run_checks(world.backend)


def _status(backend: Backend, reference: str) -> tuple[str, str | None]:
    with backend.engine.connect() as connection:
        row = connection.execute(
            text("SELECT status, status_reason FROM requests WHERE reference = :r"),
            {"r": reference},
        ).one()
    return row[0], row[1]


def test_elections_are_listed_without_authentication(client: Client, calendar_world: World) -> None:
    answer = client.get("/v1/elections")
    assert answer.status_code == 200, answer.text
    listed = {item["id"]: item for item in answer.json()}
    assert listed["municipales-2027"] == {
        "id": "municipales-2027",
        "label": "Municipales",
        "rounds": [
            {"round": 1, "polling_day": "2027-03-14"},
            {"round": 2, "polling_day": "2027-03-21"},
        ],
    }
    assert answer.json()[0]["id"] == "presidentielle-2001"  # earliest first


@pytest.mark.parametrize(
    ("scope", "field"),
    [
        ({"kind": "election", "election": "nope-2027", "rounds": [1]}, "scope.election"),
        ({"kind": "election", "election": "presidentielle-2001", "rounds": [1]}, "scope.election"),
        ({"kind": "election", "election": "europeennes-2026", "rounds": [2]}, "scope.rounds"),
        ({"kind": "election", "election": "municipales-2027", "rounds": [2, 1]}, "scope.rounds"),
        ({"kind": "period", "start": "2026-06-11", "end": "2026-12-31"}, "scope.start"),
        ({"kind": "period", "start": "2026-07-01", "end": "2026-06-30"}, "scope.end"),
        ({"kind": "period", "start": "2026-07-01", "end": "2126-07-01"}, "scope.end"),
        ({"kind": "period", "start": "2026-07-01", "end": "2027-07-01"}, "scope.end"),
        ({"kind": "period", "start": "2027-02-30", "end": "2027-03-31"}, "scope.start"),
        ({"kind": "period", "start": "2026-07-01", "end": "0000-00-00"}, "scope.end"),
    ],
)
def test_scopes_the_law_refuses_are_a_422_naming_the_field(
    client: Client, calendar_world: World, scope: dict[str, Any], field: str
) -> None:
    answer = client.post("/v1/requests", json=_body(scope), headers=ADMIN)
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["type"] == "urn:mpr:error:scope"
    assert problem["field"] == field


def test_a_period_of_one_year_from_today_and_an_election_to_come_are_accepted(
    calendar_world: World,
) -> None:
    backend = calendar_world.backend
    year = {"kind": "period", "start": "2026-06-12", "end": "2027-06-11"}
    assert _create(backend, _body(year))
    election = {"kind": "election", "election": "municipales-2027", "rounds": [1, 2]}
    reference = _create(backend, _body(election))
    with backend.engine.connect() as connection:
        last_day, shown = connection.execute(
            text("SELECT last_day, scope_json FROM requests WHERE reference = :r"),
            {"r": reference},
        ).one()
    # Retention counts from the last polling day; the officer sees the label and rounds.
    assert last_day == "2027-03-21"
    assert json.loads(shown)["election"] == "Municipales"
    assert json.loads(shown)["rounds"] == "both"


def test_a_mandant_cannot_be_their_own_mandataire_however_spelled(calendar_world: World) -> None:
    myself = Person("dupont-moreau", "ELODIE MARIE", MANDANT.birth_date, "92050")
    with pytest.raises(ScopeError) as caught:
        _create(calendar_world.backend, _body(request_body()["scope"], MANDANT, myself))
    assert caught.value.extensions["field"] == "mandataire"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_name", "DUPONT\x00"),
        ("birth_name", "DUPONT\r\nBcc: x@example.fr"),
        ("first_names", "Élodie\u202e"),  # right-to-left override
        ("first_names", "Еlodie"),  # Cyrillic capital IE, a look-alike of E
        ("birth_place", "Lyon\t3e"),
        ("usage_name", ""),
        ("email", "elodie@example.fr\r\nBcc: x@example.fr"),
        ("email", "elodie\x00@example.fr"),
    ],
)
def test_civil_status_fields_outside_the_whitelist_are_422(
    client: Client, calendar_world: World, field: str, value: str
) -> None:
    body = request_body()
    body[field] = value
    answer = client.post("/v1/requests", json=body, headers=ADMIN)
    assert answer.status_code == 422, answer.text


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("birth_date",), "2027-02-30"),
        (("birth_date",), "0000-00-00"),
        (("birth_date",), "2026-06-13"),  # tomorrow
        (("birth_date",), "1890-01-01"),
        (("mandataire", "birth_date"), "9999-12-31"),
    ],
)
def test_birth_dates_that_do_not_exist_or_are_absurd_are_422(
    client: Client, calendar_world: World, path: tuple[str, ...], value: str
) -> None:
    body = request_body()
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    answer = client.post("/v1/requests", json=body, headers=ADMIN)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == ".".join(path)


def test_a_decomposed_accent_is_stored_as_the_letter_it_is(calendar_world: World) -> None:
    body = request_body()
    body["first_names"] = "E\u0301lodie Marie"  # "É" typed as E + combining acute
    reference = _create(calendar_world.backend, body)
    with calendar_world.backend.engine.connect() as connection:
        stored = connection.execute(
            text("SELECT first_names FROM requests WHERE reference = :r"), {"r": reference}
        ).scalar_one()
    assert stored == "Élodie Marie"


def test_same_mandataire_spelled_two_ways_same_period_second_is_void(
    calendar_world: World,
) -> None:
    period = {"kind": "period", "start": "2026-06-12", "end": "2027-05-31"}
    first = _create(calendar_world.backend, _body(period, MANDANT, ZOE))
    _establish(calendar_world, first, MANDANT)
    second = _create(calendar_world.backend, _body(period, OTHER_MANDANT, ZOE_PLAIN))
    _establish(calendar_world, second, OTHER_MANDANT)
    assert _status(calendar_world.backend, first) == ("established", None)
    assert _status(calendar_world.backend, second) == ("invalid", "cap-france")


def test_proxies_for_different_polling_days_never_collide(calendar_world: World) -> None:
    european = {"kind": "election", "election": "europeennes-2026", "rounds": [1]}
    municipal = {"kind": "election", "election": "municipales-2027", "rounds": [1, 2]}
    first = _create(calendar_world.backend, _body(european, MANDANT, ZOE))
    _establish(calendar_world, first, MANDANT)
    second = _create(calendar_world.backend, _body(municipal, OTHER_MANDANT, ZOE_PLAIN))
    _establish(calendar_world, second, OTHER_MANDANT)
    assert _status(calendar_world.backend, first)[0] == "established"
    assert _status(calendar_world.backend, second)[0] == "established"


def test_a_period_collides_with_an_election_on_a_day_it_covers(calendar_world: World) -> None:
    municipal = {"kind": "election", "election": "municipales-2027", "rounds": [2]}
    spring = {"kind": "period", "start": "2027-03-15", "end": "2027-04-30"}  # holds 03-21
    first = _create(calendar_world.backend, _body(municipal, MANDANT, ZOE))
    _establish(calendar_world, first, MANDANT)
    second = _create(calendar_world.backend, _body(spring, OTHER_MANDANT, ZOE_PLAIN))
    _establish(calendar_world, second, OTHER_MANDANT)
    assert _status(calendar_world.backend, second) == ("invalid", "cap-france")


def test_cancelling_frees_the_days_but_a_void_proxy_stays_void(
    calendar_world: World, clock: FakeClock
) -> None:
    backend = calendar_world.backend
    european = {"kind": "election", "election": "europeennes-2026", "rounds": [1]}
    held = _create(backend, _body(european, MANDANT, ZOE))
    _establish(calendar_world, held, MANDANT)
    void = _create(backend, _body(european, OTHER_MANDANT, ZOE_PLAIN))
    _establish(calendar_world, void, OTHER_MANDANT)
    with transaction(backend.sessions) as session:
        assert register.release(Db.of(session), held, backend.now())
        assert not register.release(Db.of(session), void, backend.now())  # not held
    assert _status(backend, held) == ("cancelled", "resiliation")
    assert _status(backend, void) == ("invalid", "cap-france")
    clock.advance(minutes=5)
    later = _create(backend, _body(european, THIRD_MANDANT, ZOE))
    _establish(calendar_world, later, THIRD_MANDANT)
    assert _status(backend, later) == ("established", None)


def test_the_cap_key_is_the_rolls_folded_key(calendar_world: World) -> None:
    reference = _create(calendar_world.backend, _body(request_body()["scope"], MANDANT, ZOE_PLAIN))
    with calendar_world.backend.engine.connect() as connection:
        key = connection.execute(
            text("SELECT mandataire_key FROM requests WHERE reference = :r"), {"r": reference}
        ).scalar_one()
    assert key == person_key("Lefèvre", "ZOÉ", "1990-02-03") == person_key(*_spelling(ZOE))


def _spelling(person: Person) -> tuple[str, str, str]:
    return (f" {person.birth_name.lower()} ", person.first_names.upper(), person.birth_date)


def test_election_cli_adds_and_lists(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from backend.cli import main

    base = ["--data-dir", str(tmp_path / "data")]
    added = main(
        [
            *base,
            "election",
            "add",
            "--id",
            "legislatives-2027",
            "--label",
            "Législatives 2027",
            "--round1",
            "2027-06-13",
            "--round2",
            "2027-06-20",
        ]
    )
    assert added == 0 and capsys.readouterr().out == "legislatives-2027\n"
    assert (
        main([*base, "election", "add", "--id", "x", "--label", "X", "--round1", "2027-02-30"]) == 1
    )
    assert "invalid election" in capsys.readouterr().err
    assert main([*base, "election", "list"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert listed == [
        {
            "id": "legislatives-2027",
            "label": "Législatives 2027",
            "rounds": [
                {"round": 1, "polling_day": "2027-06-13"},
                {"round": 2, "polling_day": "2027-06-20"},
            ],
        }
    ]


def test_migration_0004_rekeys_the_cap_of_existing_requests(db_url: str) -> None:
    from importlib import resources

    from alembic import command
    from alembic.config import Config

    from backend.storage.engine import make_engine, migrate

    engine = make_engine(db_url)
    try:
        config = Config(str(resources.files("backend.migrations") / "alembic.ini"))
        config.set_main_option("script_location", str(resources.files("backend.migrations")))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0003")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO requests (reference, status, created_at, expires_at,"
                    " commune_insee, scope_json, last_day, mandataire_birth_name,"
                    " mandataire_first_names, mandataire_birth_date, mandataire_key)"
                    " VALUES ('7K3QZ9', 'established', '2026-06-12T09:00:00Z',"
                    " '2026-08-12T09:00:00Z', '75056', :scope, '2027-04-25',"
                    " 'LEFÈVRE', 'Zoé', '1990-02-03', 'old-upper-case-digest')"
                ),
                {
                    "scope": '{"kind":"election","election":"présidentielle 2027",'
                    '"rounds":"both","election_date":"2027-04-25"}'
                },
            )
        migrate(engine)
        with engine.begin() as connection:
            key, spec = connection.execute(
                text("SELECT mandataire_key, scope_spec FROM requests")
            ).one()
        assert key == person_key("LEFEVRE", "ZOE", "1990-02-03")
        assert spec is None  # resolved from its displayed scope (procuration.elections)
    finally:
        engine.dispose()


def test_the_demo_seeds_the_calendar_and_requests_the_law_allows_on_any_day(
    backend: Backend, clock: FakeClock
) -> None:
    clock.moment = datetime(2027, 5, 1, 9, 0, tzinfo=UTC)  # the presidential election is past
    seed_demo(backend)
    calendar = {e.id: e for e in elections.list_elections(backend)}
    assert [r.polling_day for r in calendar["presidentielle-2027"].rounds] == [
        "2027-04-11",
        "2027-04-25",
    ]
    assert "municipales-2026" in calendar
    with backend.engine.connect() as connection:
        created = connection.execute(
            text("SELECT count(*) FROM requests WHERE kind = 'proxy'")
        ).scalar_one()
        pending = connection.execute(
            text("SELECT status FROM requests WHERE kind = 'resiliation'")
        ).all()
    assert created == REQUEST_COUNT
    # And a résiliation waiting at the counter, so that `make run` shows one (L75).
    assert [tuple(row) for row in pending] == [("submitted",)]

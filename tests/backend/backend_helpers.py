"""A small world for backend tests: stations, officers with enrolled keys, a roll."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import anyio.from_thread
import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from sqlalchemy import Connection, text

from backend.context import Backend
from backend.services import admin, auth, requests
from backend.services.checks import PARIS
from backend.services.schemas import RequestCreate
from backend.storage.prepared import Prepared
from procuration import jws, timeutil
from procuration import keys as core_keys
from procuration.canonical import b64url, b64url_decode, canonical_json
from procuration.login import sign_nonce
from procuration.models import VALIDATION_TYP, Role, identity_digest

START = datetime(2026, 6, 12, 9, 0, 0, tzinfo=UTC)
STATION = "PN-75-001"
OTHER_STATION = "GN-92-050"
PASSWORD = "correct horse battery"
# The admin API token the test backends accept (Settings.admin_token_sha256): the only
# credential, besides an admin's session, that creates requests over HTTP.
ADMIN_TOKEN = "test-admin-token-not-a-secret"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


class Client:
    """A synchronous client over httpx.ASGITransport (starlette's Client warns about
    httpx, and the suite turns warnings into errors). Safe to call from many threads."""

    def __init__(self, app: FastAPI) -> None:
        self._portal_manager = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_manager.__enter__()
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            return await self._client.request(method, url, **options)

        return self._portal.call(call)

    def get(self, url: str, **options: Any) -> httpx.Response:
        return self.request("GET", url, **options)

    def post(self, url: str, **options: Any) -> httpx.Response:
        return self.request("POST", url, **options)

    def close(self) -> None:
        self._portal.call(self._client.aclose)
        self._portal_manager.__exit__(None, None, None)


class FakeClock:
    def __init__(self, start: datetime = START) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@dataclass
class Person:
    birth_name: str
    first_names: str
    birth_date: str
    insee: str = "75056"

    def digest(self) -> str:
        return identity_digest(self.birth_name, self.first_names, self.birth_date)


@dataclass
class World:
    backend: Backend
    keys: dict[str, Ed25519PrivateKey] = field(default_factory=dict)
    seqs: dict[str, int] = field(default_factory=dict)

    def kid(self, matricule: str) -> str:
        return core_keys.kid_of(self.keys[matricule])

    def next_seq(self, matricule: str) -> int:
        self.seqs[matricule] = self.seqs.get(matricule, 0) + 1
        return self.seqs[matricule]


MANDANT = Person("DUPONT-MOREAU", "Élodie Marie", "1984-03-09")
MANDATAIRE = Person("N'DIAYE", "Jean-Baptiste", "1979-11-30", "92050")

OFFICERS = [
    admin.NewOfficer("OPJ001", "Claire Lefèvre", "Capitaine", Role.OPJ, PASSWORD, STATION),
    admin.NewOfficer("APJ002", "Karim Benali", "Brigadier", Role.APJ, PASSWORD, OTHER_STATION),
    admin.NewOfficer("SUP003", "Anne Roux", "Commandant", Role.SUPERVISOR, PASSWORD, STATION),
    admin.NewOfficer("COM004", "Mairie de Paris", "Agent", Role.COMMUNE, PASSWORD, None, "75056"),
    admin.NewOfficer("OPJ005", "Paul Girard", "Lieutenant", Role.OPJ, PASSWORD, STATION),
]


def enrol(world: World, matricule: str) -> str:
    key = core_keys.generate_private_key()
    code = auth.issue_enrolment_code(world.backend, matricule)
    world.keys[matricule] = key
    return auth.enroll(world.backend, code, core_keys.public_jwk(key), f"PC {matricule}")


def build_world(backend: Backend) -> World:
    admin.add_station(backend, STATION, "Commissariat Paris 1er")
    admin.add_station(backend, OTHER_STATION, "Brigade de Nanterre")
    admin.add_commune(backend, "75056", "Paris")
    admin.add_commune(backend, "92050", "Nanterre")
    for officer in OFFICERS:
        admin.add_officer(backend, officer)
    for matricule in ("OPJ001", "APJ002", "OPJ005"):
        admin.habilitate(backend, matricule, "2026-01-01", "2026-12-31", "TJ Paris 2026/17")
    world = World(backend)
    for officer in OFFICERS:
        enrol(world, officer.matricule)
    admin.add_electors(backend, [roll_line(MANDANT), roll_line(MANDATAIRE)])
    return world


def roll_line(person: Person, **extra: str) -> dict[str, str]:
    return {
        "insee": person.insee,
        "birth_name": person.birth_name,
        "first_names": person.first_names,
        "birth_date": person.birth_date,
        **extra,
    }


def period_from(today: date) -> dict[str, str]:
    """A period starting `today` (a period may not start in the past) and ending on
    2027-05-31 while that is less than a year away (the lifecycle tests count on it)."""
    end = max(date(2027, 5, 31), today + timedelta(days=30))
    return {"kind": "period", "start": today.isoformat(), "end": end.isoformat()}


START_DAY = START.date()


def request_body(
    mandant: Person = MANDANT, mandataire: Person = MANDATAIRE, today: date = START_DAY
) -> dict[str, Any]:
    return {
        "birth_name": mandant.birth_name,
        "usage_name": None,
        "first_names": mandant.first_names,
        "birth_date": mandant.birth_date,
        "birth_place": "Lyon 3e",
        "sex": "F",
        "email": "elodie@example.fr",
        "commune_insee": mandant.insee,
        "scope": period_from(today),
        "mandataire": {
            "birth_name": mandataire.birth_name,
            "first_names": mandataire.first_names,
            "birth_date": mandataire.birth_date,
            "commune_insee": mandataire.insee,
        },
    }


def create_request(
    backend: Backend, mandant: Person = MANDANT, mandataire: Person = MANDATAIRE
) -> str:
    today = backend.now().astimezone(PARIS).date()
    body = RequestCreate.model_validate(request_body(mandant, mandataire, today))
    return requests.create(backend, body).reference


def payload(
    world: World, reference: str, matricule: str = "OPJ001", **changes: Any
) -> dict[str, Any]:
    base: dict[str, Any] = {
        "ctx": "maprocuration/validation/v1",
        "validation_id": str(uuid.uuid4()),
        "reference": reference,
        "decision": "validated",
        "refusal_reason": None,
        "id_document": {
            "type": "cni",
            "name_matches": True,
            "birth_date_matches": True,
            "photo_matches": True,
        },
        "officer": matricule,
        "station": STATION if matricule != "APJ002" else OTHER_STATION,
        "device_seq": world.next_seq(matricule),
        "created_at": timeutil.to_wire(world.backend.now()),
        "identity_digest": MANDANT.digest(),
    }
    base.update(changes)
    return base


def sign(
    world: World, body: dict[str, Any], matricule: str = "OPJ001", typ: str = VALIDATION_TYP
) -> str:
    return jws.sign(body, world.keys[matricule], typ)


def raw_jws(world: World, payload_bytes: bytes, matricule: str = "OPJ001") -> str:
    """A JWS over exactly `payload_bytes` (jws.sign would canonicalize them)."""
    header = {"alg": "Ed25519", "kid": world.kid(matricule), "typ": VALIDATION_TYP}
    signing_input = f"{b64url(canonical_json(header))}.{b64url(payload_bytes)}"
    signature = world.keys[matricule].sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def login(client: Client, world: World, matricule: str = "OPJ001") -> dict[str, str]:
    kid = world.kid(matricule)
    nonce = client.post("/v1/auth/challenge", json={"kid": kid}).json()["nonce"]
    answer = client.post(
        "/v1/auth/login",
        json={
            "matricule": matricule,
            "password": PASSWORD,
            "kid": kid,
            "nonce": nonce,
            "nonce_signature": sign_nonce(nonce, kid, world.keys[matricule]),
        },
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def post_validation(
    client: Client, headers: dict[str, str], token: str, key: str | None = None
) -> Any:
    validation_id = key or json.loads(b64url_decode(token.split(".")[1]))["validation_id"]
    return client.post(
        "/v1/validations",
        content=token,
        headers={**headers, "Content-Type": "application/jose", "Idempotency-Key": validation_id},
    )


def query_plan(connection: Connection, statement: Prepared, params: dict[str, Any]) -> str:
    """The query plan of the exact SQL text the service runs."""
    compiled = statement.compiled(connection.dialect)
    values = compiled.parameters(params)
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled.sql}", tuple(values))
        return " ".join(str(row[-1]) for row in rows)
    # A tiny test table is cheapest to scan: forbid that to see whether the index serves.
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    rows = connection.exec_driver_sql(f"EXPLAIN {compiled.sql}", values)
    return " ".join(str(row[0]) for row in rows)

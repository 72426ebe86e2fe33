"""Two `serve` processes on one PostgreSQL database, hit at the same moment: the rules that
must hold across instances hold (issue 12): one validation per reference, the same
validation resent to both gets the stored answer from both, a login nonce and an enrolment
code are used once, the lookup limit and the L73 cap are counted once for both."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from backend_helpers import (
    MANDANT,
    MANDATAIRE,
    PASSWORD,
    STATION,
    Person,
    create_request,
    roll_line,
)
from conftest import POSTGRES_URL
from sqlalchemy import create_engine, text

from backend.config import Settings
from backend.context import open_backend
from backend.services import admin, auth, elections
from procuration import jws, keys, timeutil
from procuration.canonical import b64url_decode
from procuration.elections import Election
from procuration.login import sign_nonce
from procuration.models import VALIDATION_TYP, Role

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="MPR_TEST_POSTGRES_URL not set"),
]
CLI = str(Path(sys.executable).parent / "guichet-backend")
LOOKUP_LIMIT = 8
OTHER_MANDANT = Person("MARTIN", "Louise", "1990-05-17")
HOLDER = Person("LEFÈVRE", "Zoé", "1985-02-03", "92050")  # the mandataire both name
RACES = 6


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(data_dir: Path, db_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {
        **os.environ,
        "MPR_DB_URL": db_url,
        "MPR_LOOKUP_RATE_PER_MINUTE": str(LOOKUP_LIMIT),
        "MPR_WORKERS": "1",
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [CLI, "serve", "--data-dir", str(data_dir), "--port", str(port), "--workers", "1"]
    with (data_dir / "server.log").open("ab") as log:
        server = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return server, url
        except httpx.TransportError:
            time.sleep(0.05)
        assert server.poll() is None, (data_dir / "server.log").read_text()
    raise AssertionError("the backend did not answer /health")


@pytest.fixture(scope="module")
def schema_url() -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@dataclass
class Instances:
    urls: list[str]
    db_url: str
    data_dir: Path
    references: list[str] = field(default_factory=list)

    def code(self, matricule: str) -> str:
        backend = open_backend(Settings(data_dir=self.data_dir, db_url=self.db_url))
        try:
            return auth.issue_enrolment_code(backend, matricule, 60)
        finally:
            backend.close()

    def query(self, sql: str, **params: Any) -> list[Any]:
        engine = create_engine(self.db_url)
        try:
            with engine.connect() as connection:
                return list(connection.execute(text(sql), params))
        finally:
            engine.dispose()


def _seed(data_dir: Path, db_url: str) -> list[str]:
    backend = open_backend(Settings(data_dir=data_dir, db_url=db_url))
    try:
        admin.add_station(backend, STATION, "Commissariat")
        admin.add_commune(backend, "75056", "Paris")
        admin.add_commune(backend, "92050", "Nanterre")
        for matricule in ("OPJ001", "OPJ005", "OPJ006", "OPJ007"):
            new = admin.NewOfficer(matricule, "Officier", "Capitaine", Role.OPJ, PASSWORD, STATION)
            admin.add_officer(backend, new)
            admin.habilitate(backend, matricule, "2000-01-01", "2099-12-31", "TJ")
        people = (MANDANT, MANDATAIRE, OTHER_MANDANT, HOLDER)
        admin.add_electors(backend, [roll_line(person) for person in people])
        # A polling day inside every request's period: the L73 cap is judged on it.
        day = (timeutil.now() + timedelta(days=14)).date().isoformat()
        election = {
            "id": "test-2026",
            "label": "Test",
            "rounds": [{"round": 1, "polling_day": day}],
        }
        elections.add_election(backend, Election.model_validate(election))
        references = [create_request(backend) for _ in range(2 * RACES + 1)]
        references.append(create_request(backend, MANDANT, HOLDER))
        references.append(create_request(backend, OTHER_MANDANT, HOLDER))
        return references
    finally:
        backend.close()


@pytest.fixture(scope="module")
def instances(schema_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instances]:
    root = tmp_path_factory.mktemp("instances")
    references = _seed(root / "a", schema_url)
    servers = []
    try:
        for name in ("a", "b"):  # one after the other: each migrates the database first
            servers.append(_serve(root / name, schema_url))
        yield Instances([url for _, url in servers], schema_url, root / "a", references)
    finally:
        for server, _ in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)


class Officer:
    """An enrolled device and a session, on one instance."""

    def __init__(self, url: str, matricule: str, code: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=20)
        self.matricule, self.key, self.seq = matricule, keys.generate_private_key(), 0
        enrolled = self.client.post(
            "/v1/devices/enroll",
            json={"code": code, "public_jwk": keys.public_jwk(self.key), "label": "pc"},
        )
        assert enrolled.status_code == 201, enrolled.text
        self.kid = enrolled.json()["kid"]
        self.headers = {"Authorization": f"Bearer {self.login(self.client)}"}

    def login(self, client: httpx.Client, nonce: str | None = None) -> str:
        nonce = nonce or self.challenge()
        answer = client.post("/v1/auth/login", json=self.login_body(nonce))
        assert answer.status_code == 200, answer.text
        return str(answer.json()["token"])

    def challenge(self) -> str:
        return str(self.client.post("/v1/auth/challenge", json={"kid": self.kid}).json()["nonce"])

    def login_body(self, nonce: str) -> dict[str, str]:
        return {
            "matricule": self.matricule,
            "password": PASSWORD,
            "kid": self.kid,
            "nonce": nonce,
            "nonce_signature": sign_nonce(nonce, self.kid, self.key),
        }

    def signed(self, reference: str, mandant: Person = MANDANT) -> str:
        self.seq += 1
        body = {
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
            "officer": self.matricule,
            "station": STATION,
            "device_seq": self.seq,
            "created_at": timeutil.to_wire(timeutil.now()),
            "identity_digest": mandant.digest(),
        }
        return jws.sign(body, self.key, VALIDATION_TYP)

    def send(self, token: str, client: httpx.Client | None = None) -> httpx.Response:
        key = _validation_id(token)
        headers = {**self.headers, "Content-Type": "application/jose", "Idempotency-Key": key}
        return (client or self.client).post("/v1/validations", content=token, headers=headers)


def _validation_id(token: str) -> str:
    return str(json.loads(b64url_decode(token.split(".")[1]))["validation_id"])


def _at_once(*calls: Callable[[], Any]) -> list[Any]:
    with ThreadPoolExecutor(len(calls)) as pool:
        return [future.result() for future in [pool.submit(call) for call in calls]]


@pytest.fixture(scope="module")
def officers(instances: Instances) -> Iterator[list[Officer]]:
    enrolled = [
        Officer(url, matricule, instances.code(matricule))
        for url, matricule in zip(instances.urls, ("OPJ001", "OPJ005"), strict=True)
    ]
    yield enrolled
    for officer in enrolled:
        officer.client.close()


def test_one_validation_per_reference_across_instances(
    instances: Instances, officers: list[Officer]
) -> None:
    for reference in instances.references[:RACES]:
        tokens = [officer.signed(reference) for officer in officers]
        answers = _at_once(
            *(lambda o=o, t=t: o.send(t) for o, t in zip(officers, tokens, strict=True))
        )
        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    rows = instances.query(
        "SELECT reference, count(*) FROM validations WHERE decision = 'validated' "
        "GROUP BY reference"
    )
    counted = {reference: count for reference, count in rows}
    assert all(counted[ref] == 1 for ref in instances.references[:RACES])


def test_the_same_validation_sent_to_both_instances_gets_the_stored_answer_from_both(
    instances: Instances, officers: list[Officer]
) -> None:
    officer, other = officers
    for reference in instances.references[RACES : 2 * RACES]:
        token = officer.signed(reference)
        answers = _at_once(
            lambda t=token: officer.send(t), lambda t=token: officer.send(t, other.client)
        )
        assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
        assert answers[0].json() == answers[1].json()


def test_a_login_nonce_opens_one_session_across_instances(
    instances: Instances, officers: list[Officer]
) -> None:
    officer, other = officers
    nonce = officer.challenge()
    body = officer.login_body(nonce)
    clients = [officer.client, other.client] * 3
    answers = _at_once(*(lambda c=c: c.post("/v1/auth/login", json=body) for c in clients))
    assert sorted(a.status_code for a in answers) == [200, 401, 401, 401, 401, 401]


def test_an_enrolment_code_enrols_one_device_across_instances(
    instances: Instances, officers: list[Officer]
) -> None:
    code = instances.code("OPJ006")
    devices = [keys.generate_private_key() for _ in range(4)]
    clients = [officer.client for officer in officers] * 2
    answers = _at_once(
        *(
            lambda c=c, k=k: c.post(
                "/v1/devices/enroll",
                json={"code": code, "public_jwk": keys.public_jwk(k), "label": "pc"},
            )
            for c, k in zip(clients, devices, strict=True)
        )
    )
    assert sorted(a.status_code for a in answers) == [201, 403, 403, 403]


def test_the_lookup_limit_is_counted_once_for_both_instances(
    instances: Instances, officers: list[Officer]
) -> None:
    # A fresh officer's session, used on both instances at once.
    looker = Officer(instances.urls[0], "OPJ007", instances.code("OPJ007"))
    reference = instances.references[2 * RACES]
    clients = [officers[0].client, officers[1].client] * LOOKUP_LIMIT
    answers = _at_once(
        *(lambda c=c: c.get(f"/v1/requests/{reference}", headers=looker.headers) for c in clients)
    )
    looker.client.close()
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * LOOKUP_LIMIT + [429] * LOOKUP_LIMIT


def test_the_l73_cap_holds_when_both_instances_validate_at_once(
    instances: Instances, officers: list[Officer]
) -> None:
    """Two mandants name the same mandataire; their validations reach the two instances at
    once; each instance runs the register checks: one proxy established, one void."""
    officer, other = officers
    first, second = instances.references[-2:]
    answers = _at_once(
        lambda: officer.send(officer.signed(first)),
        lambda: other.send(other.signed(second, OTHER_MANDANT)),
    )
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        rows = instances.query(
            "SELECT status, status_reason FROM requests WHERE reference IN (:a, :b)",
            a=first,
            b=second,
        )
        if all(status != "transmitted" for status, _ in rows):
            break
        time.sleep(0.2)
    assert sorted(tuple(row) for row in rows) == [("established", None), ("invalid", "cap-france")]

"""Enrolment codes, login nonces and session timeouts, with the injected clock; and the
commune's endpoints (own INSEE code only)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from backend_helpers import (
    PASSWORD,
    Client,
    FakeClock,
    World,
    create_request,
    login,
    payload,
    post_validation,
    sign,
)

from backend.context import Backend
from backend.services import admin, auth, register
from procuration import keys
from procuration.login import sign_nonce


def _enroll(client: Client, code: str) -> int:
    jwk = keys.public_jwk(keys.generate_private_key())
    answer = client.post(
        "/v1/devices/enroll", json={"code": code, "public_jwk": jwk, "label": "PC"}
    )
    return answer.status_code


def test_enrolment_code_is_single_use(client: Client, world: World, backend: Backend) -> None:
    code = auth.issue_enrolment_code(backend, "OPJ001")
    assert _enroll(client, code.lower()) == 201  # typed in lower case: same code
    assert _enroll(client, code) == 403


def test_enrolment_code_expires_after_15_minutes(
    client: Client, world: World, backend: Backend, clock: FakeClock
) -> None:
    early, late = (auth.issue_enrolment_code(backend, "OPJ001") for _ in range(2))
    clock.advance(minutes=14, seconds=59)
    assert _enroll(client, early) == 201
    clock.advance(seconds=1)
    assert _enroll(client, late) == 403


def _login_with(client: Client, world: World, nonce: str) -> int:
    kid = world.kid("OPJ001")
    body = {
        "matricule": "OPJ001",
        "password": PASSWORD,
        "kid": kid,
        "nonce": nonce,
        "nonce_signature": sign_nonce(nonce, kid, world.keys["OPJ001"]),
    }
    return client.post("/v1/auth/login", json=body).status_code


def _nonce(client: Client, world: World) -> str:
    answer = client.post("/v1/auth/challenge", json={"kid": world.kid("OPJ001")})
    nonce: str = answer.json()["nonce"]
    return nonce


def test_nonce_is_single_use(client: Client, world: World) -> None:
    nonce = _nonce(client, world)
    assert _login_with(client, world, nonce) == 200
    assert _login_with(client, world, nonce) == 401


def test_nonce_expires_after_60_seconds(client: Client, world: World, clock: FakeClock) -> None:
    nonce = _nonce(client, world)
    clock.advance(seconds=60)
    assert _login_with(client, world, nonce) == 401


def test_session_idle_timeout(client: Client, world: World, clock: FakeClock) -> None:
    headers = login(client, world)
    clock.advance(minutes=14)
    assert client.get("/v1/trust", headers=headers).status_code == 200  # activity renews
    clock.advance(minutes=14)
    assert client.get("/v1/trust", headers=headers).status_code == 200
    clock.advance(minutes=15)
    answer = client.get("/v1/trust", headers=headers)
    assert answer.status_code == 401 and "idle" in answer.json()["detail"]


def test_session_absolute_timeout(client: Client, world: World, clock: FakeClock) -> None:
    headers = login(client, world)
    answer = client.get("/v1/trust", headers=headers)
    while answer.status_code == 200 and clock.moment.hour < 20:  # steady activity
        clock.advance(minutes=10)
        answer = client.get("/v1/trust", headers=headers)
    assert clock.moment.hour == 19  # logged in at 09:00
    assert answer.status_code == 401 and "absolute" in answer.json()["detail"]
    again = client.get("/v1/trust", headers=headers)
    assert again.status_code == 401 and "ended" in again.json()["detail"]


def _established(client: Client, world: World, backend: Backend) -> str:
    reference = create_request(backend)
    headers = login(client, world)
    assert (
        post_validation(client, headers, sign(world, payload(world, reference))).status_code == 201
    )
    register.run_checks(backend)
    return reference


def test_commune_sees_and_decides_its_own_proxies_only(
    client: Client, world: World, backend: Backend
) -> None:
    reference = _established(client, world, backend)
    commune = login(client, world, "COM004")  # Paris, 75056
    listed = client.get("/v1/communes/75056/proxies", headers=commune).json()
    assert [item["reference"] for item in listed] == [reference]
    assert client.get("/v1/communes/92050/proxies", headers=commune).status_code == 403
    officer = login(client, world, "OPJ001")
    assert client.get("/v1/communes/75056/proxies", headers=officer).status_code == 403
    decision = {"decision": "accepted", "reason": ""}
    path = f"/v1/proxies/{reference}/decision"
    assert client.post(path, json=decision, headers=officer).status_code == 403
    answer = client.post(path, json=decision, headers=commune)
    assert answer.json() == {"reference": reference, "status": "accepted_by_commune"}
    again = client.post(path, json=decision, headers=commune)
    assert again.status_code == 409 and again.json()["type"] == "urn:mpr:error:invalid-state"


def test_register_csv_reads_back(client: Client, world: World, backend: Backend) -> None:
    reference = _established(client, world, backend)
    commune = login(client, world, "COM004")
    answer = client.get("/v1/communes/75056/register.csv", headers=commune)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["reference"] for row in rows] == [reference]
    assert rows[0]["nom_naissance"] == "DUPONT-MOREAU" and rows[0]["prenoms"] == "Élodie Marie"
    assert client.get("/v1/communes/92050/register.csv", headers=commune).status_code == 403


def test_login_habilitation_is_judged_on_the_paris_day(
    client: Client, world: World, backend: Backend, clock: FakeClock
) -> None:
    """At 00:30 in Paris (22:30 UTC the day before) a habilitation that starts today
    admits the officer, and one that ended yesterday refuses them: the Paris day, as for
    a validation, not the UTC date."""
    clock.moment = datetime(2026, 6, 14, 22, 30, tzinfo=UTC)  # 2026-06-15 00:30 in Paris
    admin.habilitate(backend, "OPJ001", "2026-06-15", "2026-12-31", "TJ Paris 2026/18")
    assert client.get("/v1/trust", headers=login(client, world)).status_code == 200
    admin.habilitate(backend, "OPJ001", "2026-01-01", "2026-06-14", "TJ Paris 2026/19")
    kid = world.kid("OPJ001")
    nonce = client.post("/v1/auth/challenge", json={"kid": kid}).json()["nonce"]
    answer = client.post(
        "/v1/auth/login",
        json={
            "matricule": "OPJ001",
            "password": PASSWORD,
            "kid": kid,
            "nonce": nonce,
            "nonce_signature": sign_nonce(nonce, kid, world.keys["OPJ001"]),
        },
    )
    assert answer.status_code == 403, answer.text
    assert answer.json()["type"] == "urn:mpr:error:not-habilitated"


def test_a_session_that_outlives_the_habilitation_can_no_longer_look_up(
    client: Client, world: World, backend: Backend, clock: FakeClock
) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    assert client.get(f"/v1/requests/{reference}", headers=headers).status_code == 200
    yesterday = (clock() - timedelta(days=1)).date().isoformat()
    admin.habilitate(backend, "OPJ001", "2026-01-01", yesterday, "TJ Paris 2026/20")
    answer = client.get(f"/v1/requests/{reference}", headers=headers)
    assert answer.status_code == 403
    assert answer.json()["type"] == "urn:mpr:error:not-habilitated"


def test_an_unreadable_lookup_is_journalled_without_its_text(
    client: Client, world: World, backend: Backend
) -> None:
    headers = login(client, world)
    assert client.get("/v1/requests/=HYPERLINK(x)", headers=headers).status_code in {404, 422}
    supervisor = login(client, world, "SUP003")
    chain = client.get("/v1/journal", params={"from_seq": 1}, headers=supervisor)
    unknown = [e for e in chain.json()["entries"] if e["kind"] == "request.lookup_unknown"]
    assert len(unknown) == 1 and unknown[0]["reference"].startswith("sha256:")
    assert "HYPERLINK" not in chain.text

"""Résiliation (L75, docs/protocol.md v1.1): requested for an established proxy, looked up
as a résiliation, signed under its own typ and ctx, and once validated the proxy is
`cancelled`, its cap slot free, the commune and the mandataire told."""

from __future__ import annotations

import email
from typing import Any

import pytest
from backend_helpers import (
    ADMIN,
    MANDANT,
    MANDATAIRE,
    Client,
    Person,
    World,
    create_request,
    login,
    payload,
    post_validation,
    request_body,
    roll_line,
    sign,
)
from sqlalchemy import text

from backend.context import Backend
from backend.errors import ExpiredError
from backend.mailer import FileMailer
from backend.services import admin, commune, register, requests, resiliation, validations
from backend.services.checks import PARIS
from backend.services.schemas import RequestCreate
from procuration import qr
from procuration.models import RESILIATION_CTX, RESILIATION_TYP, VALIDATION_TYP

OTHER_MANDANT = Person("MARTIN", "Louis", "1970-07-14")


def _status(backend: Backend, reference: str) -> str:
    with backend.engine.connect() as connection:
        return str(
            connection.execute(
                text("SELECT status FROM requests WHERE reference = :r"), {"r": reference}
            ).scalar_one()
        )


def _validate(world: World, reference: str, **changes: Any) -> Any:
    """The signed decision on `reference` by OPJ001, submitted as the route would."""
    typ = changes.pop("typ", VALIDATION_TYP)
    officer = commune.officer_named(world.backend, "OPJ001")
    token = sign(world, payload(world, reference, **changes), typ=typ)
    return validations.submit(world.backend, officer, token, None)


def _established(world: World, mandant: Person = MANDANT) -> str:
    today = world.backend.now().astimezone(PARIS).date()
    body = request_body(mandant, MANDATAIRE, today)
    body["mandataire"]["email"] = "jean-baptiste@example.fr"
    reference = requests.create(world.backend, RequestCreate.model_validate(body)).reference
    _validate(world, reference, identity_digest=mandant.digest())
    register.run_checks(world.backend)
    assert _status(world.backend, reference) == "established"
    return reference


def _resiliate(world: World, reference: str) -> Any:
    return _validate(world, reference, ctx=RESILIATION_CTX, typ=RESILIATION_TYP)


def _mails(backend: Backend, reference: str) -> list[email.message.Message]:
    outbox = FileMailer(backend.settings.data_dir / "outbox-mail")
    return [email.message_from_bytes(path.read_bytes()) for path in outbox.files_for(reference)]


def _text(message: email.message.Message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    return "".join(
        part.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
        for part in parts
        if part.get_content_type() == "text/plain"
    )


@pytest.fixture
def mailed_world(world: World) -> World:
    admin.add_commune(world.backend, "75056", "Paris", email="mairie@paris.example.fr")
    return world


def test_an_anonymous_caller_cannot_ask_for_a_resiliation(
    client: Client, mailed_world: World
) -> None:
    proxy = _established(mailed_world)
    answer = client.post(f"/v1/proxies/{proxy}/resiliation")
    assert answer.status_code == 401, answer.text
    assert answer.json()["type"] == "urn:mpr:error:unauthenticated"


def test_a_resiliation_gets_its_own_reference_mail_and_signed_qr(
    client: Client, mailed_world: World
) -> None:
    proxy = _established(mailed_world)
    answer = client.post(f"/v1/proxies/{proxy.lower()}/resiliation", headers=ADMIN)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["reference"] != proxy and len(created["reference"]) == 6
    issuer = mailed_world.backend.keys.issuer
    scanned = qr.classify(created["qr"])
    assert isinstance(scanned, qr.SignedRequest)
    signed = qr.verify_request(
        scanned, {issuer.kid: issuer.private.public_key()}, mailed_world.backend.now()
    )
    assert signed.kind == "resiliation"
    assert signed.cancels is not None and signed.cancels.reference == proxy
    assert signed.mandataire is not None and signed.mandataire.birth_name == "N'DIAYE"
    (mail,) = _mails(mailed_world.backend, created["reference"])
    assert "résiliation" in str(
        email.header.make_header(email.header.decode_header(mail["Subject"]))
    )
    assert mail["To"] == "elodie@example.fr"


def test_the_lookup_says_resiliation_and_which_proxy_it_ends(
    client: Client, mailed_world: World
) -> None:
    proxy = _established(mailed_world)
    created = client.post(f"/v1/proxies/{proxy}/resiliation", headers=ADMIN).json()
    headers = login(client, mailed_world)
    shown = client.get(f"/v1/requests/{created['reference']}", headers=headers).json()
    assert shown["kind"] == "resiliation"
    assert shown["status"] == "submitted"
    assert shown["cancels"]["reference"] == proxy
    assert shown["cancels"]["status"] == "established"
    assert shown["cancels"]["scope"]["kind"] == "period"
    assert shown["mandataire"] == {
        "birth_name": "N'DIAYE",
        "first_names": "Jean-Baptiste",
        "birth_date": "1979-11-30",
        "commune": {"insee": "92050", "name": "Nanterre"},
    }
    of_proxy = client.get(f"/v1/requests/{proxy}", headers=headers).json()
    assert (of_proxy["kind"] == "proxy" and "cancels" not in of_proxy) or not of_proxy["cancels"]
    assert of_proxy["mandataire"]["commune"]["name"] == "Nanterre"


@pytest.mark.parametrize(
    ("state", "status", "code"),
    [
        ("unknown", 404, "unknown-reference"),
        ("submitted", 409, "invalid-state"),
        ("cancelled", 410, "expired"),
        ("a-resiliation", 404, "unknown-reference"),
    ],
)
def test_a_resiliation_is_refused_unless_the_proxy_is_in_force(
    client: Client, mailed_world: World, state: str, status: int, code: str
) -> None:
    backend = mailed_world.backend
    if state == "unknown":
        reference = "7K3QZ9"
    elif state == "submitted":
        reference = create_request(backend)
    else:
        proxy = _established(mailed_world)
        reference = client.post(f"/v1/proxies/{proxy}/resiliation", headers=ADMIN).json()[
            "reference"
        ]
        if state == "cancelled":
            _resiliate(mailed_world, reference)
            reference = proxy
    answer = client.post(f"/v1/proxies/{reference}/resiliation", headers=ADMIN)
    assert answer.status_code == status, answer.text
    assert answer.json()["type"] == f"urn:mpr:error:{code}"


@pytest.mark.parametrize(
    ("target", "ctx", "typ"),
    [
        ("resiliation", "maprocuration/validation/v1", VALIDATION_TYP),  # a proxy's signature
        ("proxy", RESILIATION_CTX, RESILIATION_TYP),  # a résiliation's signature
        ("resiliation", "maprocuration/validation/v1", RESILIATION_TYP),  # typ and ctx disagree
    ],
)
def test_a_payload_whose_ctx_is_not_the_references_kind_is_wrong_context(
    client: Client, mailed_world: World, target: str, ctx: str, typ: str
) -> None:
    proxy = _established(mailed_world)
    resiliation = client.post(f"/v1/proxies/{proxy}/resiliation", headers=ADMIN).json()["reference"]
    if target == "proxy":
        proxy_reference = create_request(mailed_world.backend, OTHER_MANDANT)
        reference, digest = proxy_reference, OTHER_MANDANT.digest()
    else:
        reference, digest = resiliation, MANDANT.digest()
    headers = login(client, mailed_world)
    body = payload(mailed_world, reference, ctx=ctx, identity_digest=digest)
    answer = post_validation(client, headers, sign(mailed_world, body, typ=typ))
    assert answer.status_code == 422, answer.text
    assert answer.json()["type"] == "urn:mpr:error:wrong-context"
    assert _status(mailed_world.backend, proxy) == "established"


def test_a_validated_resiliation_cancels_the_proxy_and_tells_everyone(
    client: Client, mailed_world: World
) -> None:
    backend = mailed_world.backend
    proxy = _established(mailed_world)
    resiliation = client.post(f"/v1/proxies/{proxy}/resiliation", headers=ADMIN).json()["reference"]
    headers = login(client, mailed_world)
    body = payload(mailed_world, resiliation, ctx=RESILIATION_CTX)
    answer = post_validation(client, headers, sign(mailed_world, body, typ=RESILIATION_TYP))
    assert answer.status_code == 201, answer.text
    assert _status(backend, proxy) == "cancelled"
    assert _status(backend, resiliation) == "established"
    to_mandant = _mails(backend, resiliation)[-1]
    assert to_mandant["To"] == "elodie@example.fr"
    assert f"procuration {proxy} est résiliée" in _text(to_mandant)
    told = {mail["To"]: _text(mail) for mail in _mails(backend, proxy)}
    assert "Retirez-la du registre" in told["mairie@paris.example.fr"]
    assert "Élodie Marie DUPONT-MOREAU" in told["jean-baptiste@example.fr"]
    kinds = _journal_kinds(backend)
    assert kinds.index("resiliation.validated") < kinds.index("register.cancelled")
    # The commune sees it cancelled, and cannot decide on the résiliation itself.
    officer = commune.officer_named(backend, "COM004")
    listed = {item["reference"]: item["status"] for item in commune.list_proxies(
        backend, officer, "75056")}  # fmt: skip
    assert listed == {proxy: "cancelled"}


def test_the_other_waiting_resiliations_end_with_the_proxy(
    client: Client, mailed_world: World
) -> None:
    proxy = _established(mailed_world)
    asked = [
        client.post(f"/v1/proxies/{proxy}/resiliation", headers=ADMIN).json()["reference"]
        for _ in range(2)
    ]  # a lost mail, asked again
    headers = login(client, mailed_world)
    body = payload(mailed_world, asked[0], ctx=RESILIATION_CTX)
    answer = post_validation(client, headers, sign(mailed_world, body, typ=RESILIATION_TYP))
    assert answer.status_code == 201, answer.text
    assert _status(mailed_world.backend, asked[1]) == "expired"


def test_a_communes_reason_must_show_as_itself(client: Client, mailed_world: World) -> None:
    proxy = _established(mailed_world)
    mairie = login(client, mailed_world, "COM004")
    for reason in ("A\u0000B", "ligne\nsuivante", "\u202eesrevne"):
        answer = client.post(
            f"/v1/proxies/{proxy}/decision",
            json={"decision": "refused", "reason": reason},
            headers=mairie,
        )
        assert answer.status_code == 422, answer.text
    answer = client.post(
        f"/v1/proxies/{proxy}/decision",
        json={"decision": "refused", "reason": "Électeur radié le 3 mars (décès)."},
        headers=mairie,
    )
    assert answer.status_code == 200, answer.text


def _journal_kinds(backend: Backend) -> list[str]:
    with backend.engine.connect() as connection:
        rows = connection.execute(text("SELECT kind FROM journal ORDER BY at, chain, seq"))
        return [str(row[0]) for row in rows]


def test_a_cancelled_proxy_frees_its_cap_slot(client: Client, mailed_world: World) -> None:
    backend = mailed_world.backend
    admin.add_electors(backend, [roll_line(OTHER_MANDANT)])
    proxy = _established(mailed_world)
    resiliation = client.post(f"/v1/proxies/{proxy}/resiliation", headers=ADMIN).json()["reference"]
    _resiliate(mailed_world, resiliation)
    # Same mandataire, same days: void while the first proxy held the slot (L73).
    assert _established(mailed_world, OTHER_MANDANT)


def test_a_refused_resiliation_leaves_the_proxy_and_is_journalled_as_such(
    client: Client, mailed_world: World
) -> None:
    proxy = _established(mailed_world)
    resiliation = client.post(f"/v1/proxies/{proxy}/resiliation", headers=ADMIN).json()["reference"]
    _validate(
        mailed_world,
        resiliation,
        ctx=RESILIATION_CTX,
        typ=RESILIATION_TYP,
        decision="refused",
        refusal_reason="not-the-mandant",
        id_document={
            "type": "cni",
            "name_matches": False,
            "birth_date_matches": False,
            "photo_matches": False,
        },
    )
    assert _status(mailed_world.backend, proxy) == "established"
    assert _status(mailed_world.backend, resiliation) == "refused_by_officer"
    assert "resiliation.refused" in _journal_kinds(mailed_world.backend)


def test_a_resiliation_of_a_proxy_the_commune_refused_since_is_expired(
    client: Client, mailed_world: World
) -> None:
    backend = mailed_world.backend
    proxy = _established(mailed_world)
    resiliation = client.post(f"/v1/proxies/{proxy}/resiliation", headers=ADMIN).json()["reference"]
    commune.decide(backend, commune.officer_named(backend, "COM004"), proxy, False, "doublon")
    headers = login(client, mailed_world)
    body = payload(mailed_world, resiliation, ctx=RESILIATION_CTX)
    answer = post_validation(client, headers, sign(mailed_world, body, typ=RESILIATION_TYP))
    assert answer.status_code == 410, answer.text
    assert answer.json()["request_status"] == "refused_by_commune"
    assert _status(backend, resiliation) == "submitted"


def test_the_batch_takes_resiliations_too(client: Client, mailed_world: World) -> None:
    proxy = _established(mailed_world)
    resiliation = client.post(f"/v1/proxies/{proxy}/resiliation", headers=ADMIN).json()["reference"]
    headers = login(client, mailed_world)
    body = payload(mailed_world, resiliation, ctx=RESILIATION_CTX)
    answer = client.post(
        "/v1/validations/batch",
        json=[sign(mailed_world, body, typ=RESILIATION_TYP)],
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    assert [item["status"] for item in answer.json()] == [201]
    assert _status(mailed_world.backend, proxy) == "cancelled"


def test_the_cli_requests_a_resiliation_and_writes_its_qr(
    mailed_world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from backend import cli_admin
    from backend.cli import build_parser

    backend = mailed_world.backend
    proxy = _established(mailed_world)
    args = build_parser().parse_args(["request", "resiliation", "--reference", proxy])
    assert cli_admin.request_resiliation(args, backend) == 0
    reference = capsys.readouterr().out.strip()
    assert (backend.settings.data_dir / "qr" / f"{reference}.png").is_file()
    assert _status(backend, reference) == "submitted"
    with backend.engine.connect() as connection:
        row = connection.execute(
            text("SELECT kind, cancels FROM requests WHERE reference = :r"), {"r": reference}
        ).one()
    assert tuple(row) == ("resiliation", proxy)


def test_a_certified_identity_cancels_online_without_a_counter(mailed_world: World) -> None:
    backend = mailed_world.backend
    proxy = _established(mailed_world)
    created = resiliation.request(backend, proxy, certified=True)
    assert _status(backend, proxy) == "cancelled"
    assert _status(backend, created.reference) == "established"
    # No "go to a counter" mail: the one the mandant gets says it is done.
    to_mandant = _mails(backend, created.reference)
    assert len(to_mandant) == 1
    assert f"procuration {proxy} est résiliée" in _text(to_mandant[0])
    assert "Présentez-vous" not in _text(to_mandant[0])
    kinds = _journal_kinds(backend)
    assert kinds.index("validation.online") < kinds.index("register.cancelled")
    # The same proxy cannot be cancelled twice.
    with pytest.raises(ExpiredError):
        resiliation.request(backend, proxy, certified=True)

"""Deterministic demo data, created through the real services with an injected clock.

Three stations, officers of every role (one habilitation expired, one device revoked), 200
requests with varied French identities, an electoral roll for five real communes with cap
violations, and yesterday's activity at PN-75-001 with anomalies a supervisor should spot:
an officer who looks up many requests and validates none, a validation at 03:00 and a burst
of refusals.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from backend.context import Backend
from backend.demo import names, voters
from backend.demo.people import Identity, make_identities, request_body
from backend.services import (
    admin,
    auth,
    commune,
    elections,
    journal,
    register,
    requests,
    resiliation,
    throttle,
    validations,
)
from backend.services.checks import PARIS
from backend.services.schemas import RequestCreate
from backend.storage.engine import transaction
from backend.storage.tables import Flag, ProxyRequest
from backend.web.identity import CERTIFIED_ACR
from backend.web.webkey import totp_secret
from procuration import jws, timeutil
from procuration import keys as core_keys
from procuration.elections import Election
from procuration.models import VALIDATION_TYP, RequestStatus, Role

REQUEST_COUNT = 200
# The calendar (docs/decisions.md "Demo election calendar"): the 2027 presidential election
# (dates not yet fixed by decree: plausible Sundays), and the 2026 dates the demo and the
# client's fixtures already show.
DEMO_ELECTIONS = [
    Election.model_validate(item)
    for item in (
        {
            "id": "municipales-2026",
            "label": "Élections municipales 2026",
            "rounds": [
                {"round": 1, "polling_day": "2026-03-15"},
                {"round": 2, "polling_day": "2026-03-22"},
            ],
        },
        {
            "id": "partielle-2026",
            "label": "Élection partielle 2026 (démonstration)",
            "rounds": [
                {"round": 1, "polling_day": "2026-06-14"},
                {"round": 2, "polling_day": "2026-06-21"},
            ],
        },
        {
            "id": "presidentielle-2027",
            "label": "Élection présidentielle 2027",
            "rounds": [
                {"round": 1, "polling_day": "2027-04-11"},
                {"round": 2, "polling_day": "2027-04-25"},
            ],
        },
    )
]
ACTIVITY_STATION = "PN-75-001"


@dataclass
class MovableClock:
    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


@dataclass
class DemoOfficer:
    matricule: str
    name: str
    grade: str
    role: Role
    station: str | None
    commune: str | None = None
    habilitation: tuple[str, str] | None = None
    revoked_device: bool = False
    password: str = ""


@dataclass
class Seeded:
    officers: list[DemoOfficer]
    keys: dict[str, Ed25519PrivateKey] = field(default_factory=dict)
    seqs: dict[str, int] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    identities: list[tuple[Identity, Identity]] = field(default_factory=list)


def _officers(today: datetime) -> list[DemoOfficer]:
    year = today.year
    valid = (f"{year - 1}-01-01", f"{year + 1}-12-31")
    expired = (f"{year - 2}-01-01", f"{year - 1}-06-30")
    return [
        DemoOfficer("100001", "Claire Lefèvre", "Capitaine", Role.OPJ, "PN-75-001", None, valid),
        DemoOfficer("100002", "Karim Benali", "Brigadier-chef", Role.APJ, "PN-75-001", None, valid),
        DemoOfficer("100003", "Anne Roux", "Commandant", Role.SUPERVISOR, "PN-75-001"),
        DemoOfficer("100004", "Paul Girard", "Lieutenant", Role.OPJ, "PN-75-001", None, expired),
        DemoOfficer(
            "100005",
            "Julie Marchand",
            "Gardien de la paix",
            Role.APJ,
            "PN-75-001",
            None,
            valid,
            revoked_device=True,
        ),
        DemoOfficer("200001", "Hélène Da Costa", "Capitaine", Role.OPJ, "PN-69-003", None, valid),
        DemoOfficer("200002", "Mathis N'Guessan", "Brigadier", Role.APJ, "PN-69-003", None, valid),
        DemoOfficer(
            "300001", "Yannick Le Goff", "Adjudant-chef", Role.OPJ, "GN-33-063", None, valid
        ),
        DemoOfficer("300002", "Sarah Ould-Ahmed", "Gendarme", Role.APJ, "GN-33-063", None, valid),
        DemoOfficer("300003", "Thierry Baumann", "Major", Role.SUPERVISOR, "GN-33-063"),
        DemoOfficer(
            "M75056", "Mairie de Paris, service des élections", "Agent", Role.COMMUNE, None, "75056"
        ),
        DemoOfficer(
            "M69123", "Mairie de Lyon, service des élections", "Agent", Role.COMMUNE, None, "69123"
        ),
        DemoOfficer("ADMIN01", "Service informatique", "Ingénieur", Role.ADMIN, None),
    ]


def _setup_people(backend: Backend, rng: random.Random, today: datetime) -> Seeded:
    for code, label in names.STATIONS.items():
        admin.add_station(backend, code, label)
    for insee, label in names.COMMUNES.items():
        admin.add_commune(backend, insee, label, email=f"mairie.{insee}@example.fr")
    seeded = Seeded(_officers(today))
    # One password per role, hashed once: argon2id is meant to be slow, 13 times is seconds.
    passwords = {role: f"demo-{role.value}-{rng.randrange(1000, 9999)}" for role in Role}
    hashes = {role: auth.hash_password(password) for role, password in passwords.items()}
    for officer in seeded.officers:
        officer.password = passwords[officer.role]
        admin.add_officer(
            backend,
            admin.NewOfficer(
                officer.matricule,
                officer.name,
                officer.grade,
                officer.role,
                officer.password,
                officer.station,
                officer.commune,
                password_hash=hashes[officer.role],
            ),
        )
        if officer.habilitation is not None:
            admin.habilitate(
                backend,
                officer.matricule,
                *officer.habilitation,
                f"TJ {officer.station} {today.year}/{rng.randrange(10, 99)}",
            )
        if officer.role in (Role.OPJ, Role.APJ, Role.SUPERVISOR):
            key = core_keys.generate_private_key()
            code = auth.issue_enrolment_code(backend, officer.matricule)
            kid = auth.enroll(backend, code, core_keys.public_jwk(key), "Poste démo")
            seeded.keys[officer.matricule] = key
            if officer.revoked_device:
                admin.revoke_device(backend, kid)
    return seeded


def _seed_calendar(backend: Backend) -> None:
    """The demo's elections that the calendar lacks (a demo seeded before it existed)."""
    known = {election.id for election in elections.list_elections(backend)}
    for election in DEMO_ELECTIONS:
        if election.id not in known:
            elections.add_election(backend, election)


def _create_requests(backend: Backend, rng: random.Random, seeded: Seeded) -> None:
    today = backend.now().astimezone(PARIS).date()
    pairs = make_identities(rng, REQUEST_COUNT)
    roll = []
    for index, (mandant, mandataire) in enumerate(pairs):
        if index % 40 != 7:  # a few mandants missing from the roll
            roll.append(mandant.roll_line())
        if index % 50 != 11:  # and a few mandataires
            extra = {"proxies_france": "1"} if index % 25 == 3 else {}  # cap violations
            roll.append(mandataire.roll_line(**extra))
    roll += voters.roll_lines()  # the voter portal's demo identities and their mandataires
    admin.add_electors(backend, roll)
    for mandant, mandataire in pairs:
        body = RequestCreate.model_validate(request_body(rng, mandant, mandataire, today))
        # Created as the administrator would (PROTOCOL.md v1.1: an admin or a mandant).
        created = requests.create(backend, body, throttle.Author("ADMIN01"))
        seeded.references.append(created.reference)
        seeded.identities.append((mandant, mandataire))


def clean(index: int) -> bool:
    """A request free of roll and cap issues (see the rules in _create_requests)."""
    shared = index % 30 == 29  # make_identities reuses the previous mandataire there
    return index % 40 != 7 and index % 50 != 11 and index % 25 != 3 and not shared


def _sign(
    seeded: Seeded,
    matricule: str,
    reference: str,
    identity: Identity,
    at: datetime,
    *,
    refusal: str | None = None,
) -> str:
    seeded.seqs[matricule] = seeded.seqs.get(matricule, 0) + 1
    officer = next(o for o in seeded.officers if o.matricule == matricule)
    body: dict[str, Any] = {
        "ctx": "maprocuration/validation/v1",
        "validation_id": str(uuid.uuid4()),
        "reference": reference,
        "decision": "refused" if refusal else "validated",
        "refusal_reason": refusal,
        "id_document": {
            "type": "cni",
            "name_matches": refusal is None,
            "birth_date_matches": True,
            "photo_matches": True,
        },
        "officer": matricule,
        "station": officer.station,
        "device_seq": seeded.seqs[matricule],
        "created_at": timeutil.to_wire(at),
        "identity_digest": identity.digest(),
    }
    return jws.sign(body, seeded.keys[matricule], VALIDATION_TYP)


def _counter(
    backend: Backend,
    clock: MovableClock,
    seeded: Seeded,
    matricule: str,
    index: int,
    *,
    refusal: str | None = None,
) -> None:
    """One counter visit: lookup, then a signed validation or refusal a minute later."""
    officer = commune.officer_named(backend, matricule)
    requests.lookup(backend, officer, seeded.references[index])
    clock.moment += timedelta(minutes=1)
    token = _sign(
        seeded,
        matricule,
        seeded.references[index],
        seeded.identities[index][0],
        clock.moment,
        refusal=refusal,
    )
    validations.submit(backend, officer, token, None)


def _pending_resiliation(backend: Backend, seeded: Seeded) -> dict[str, str]:
    """A résiliation waiting at the counter for the first proxy the demo established in
    Paris (whose demo commune agent is M75056), so that `make run` shows one:
    {"reference": the résiliation's, "cancels": the proxy's, "commune": its INSEE code}."""
    with transaction(backend.sessions) as session:
        proxy = session.scalars(
            select(ProxyRequest.reference)
            .where(
                ProxyRequest.reference.in_(seeded.references),
                ProxyRequest.status == RequestStatus.ESTABLISHED.value,
                ProxyRequest.commune_insee == "75056",
            )
            .order_by(ProxyRequest.validated_at, ProxyRequest.reference)
            .limit(1)
        ).first()
    if proxy is None:
        return {}
    created = resiliation.request(backend, proxy)
    return {"reference": created.reference, "cancels": proxy, "commune": "75056"}


def _local(day: datetime, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day.date(), time(hour, minute), PARIS)


def _day_of_activity(backend: Backend, clock: MovableClock, seeded: Seeded, day: datetime) -> None:
    clock.moment = _local(day, 3, 2)
    _counter(backend, clock, seeded, "100001", 100)  # the 03:00 validation
    for visit, index in enumerate(range(101, 117)):  # an ordinary day
        clock.moment = _local(day, 8 + visit // 2, 10 + 20 * (visit % 2))
        _counter(backend, clock, seeded, "100001" if visit % 3 else "100002", index)
    snooper = commune.officer_named(backend, "100002")
    clock.moment = _local(day, 14, 0)
    for index in range(120, 148):  # many lookups, no validation
        requests.lookup(backend, snooper, seeded.references[index])
        clock.moment += timedelta(minutes=2)
    clock.moment = _local(day, 16, 40)
    reasons = ["identity-mismatch", "document-unacceptable", "not-the-mandant", "other"]
    for number, index in enumerate(range(150, 157)):  # a burst of refusals
        _counter(backend, clock, seeded, "100001", index, refusal=reasons[number % 4])


_DEMO_CODE_MINUTES = 7 * 24 * 60
_DEVICE_ROLES = {"opj", "apj", "supervisor"}


def _enrolment_codes(backend: Backend, officers: list[dict[str, Any]]) -> dict[str, str]:
    """A fresh single-use code for every officer who logs in on a counter PC: a device key
    is enrolled to one officer, so each demo officer enrols the demo PC on first login."""
    return {
        o["matricule"]: auth.issue_enrolment_code(backend, o["matricule"], _DEMO_CODE_MINUTES)
        for o in officers
        if o["role"] in _DEVICE_ROLES
    }


def _portals(backend: Backend, document: dict[str, Any]) -> dict[str, Any]:
    """The portals' demo logins: each commune agent's TOTP secret, the voters' identities."""
    officers = [
        {**o, "totp_secret": totp_secret(backend.settings, o["matricule"])}
        if o["role"] == Role.COMMUNE.value
        else o
        for o in document["officers"]
    ]
    shown = [
        {
            "sub": v["sub"],
            "name": f"{v['given_name']} {v['family_name']}",
            "certified": v["acr"] in CERTIFIED_ACR,
        }
        for v in voters.VOTERS
    ]
    return {**document, "officers": officers, "voters": shown}


def _write_demo_json(backend: Backend, document: dict[str, Any]) -> Path:
    document = _portals(backend, document)
    codes = _enrolment_codes(backend, document["officers"])
    document["enrolment_codes"] = codes
    document["enrolment_code"] = codes[document["officers"][0]["matricule"]]
    document["server_url"] = backend.settings.server_url
    path = backend.settings.data_dir / "demo.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
    return path


def _demo_json(
    backend: Backend, seeded: Seeded, live: list[str], resiliations: list[dict[str, str]]
) -> Path:
    document = {
        "server_url": backend.settings.server_url,
        "officers": [
            {
                "matricule": o.matricule,
                "password": o.password,
                "role": o.role.value,
                "name": o.name,
                "station": o.station or o.commune,
            }
            for o in seeded.officers
        ],
        "references": live,
        "resiliations": resiliations,
    }
    return _write_demo_json(backend, document)


def seed_demo(backend: Backend, seed: int = 2026) -> Path:
    """Seeds once (later runs only refresh the enrolment codes); returns demo.json's path."""
    _seed_calendar(backend)
    with transaction(backend.sessions) as session:
        flag = session.get(Flag, "demo")
    if flag is not None:
        saved = json.loads(flag.value)
        return _refresh(backend, saved)
    rng = random.Random(seed)  # noqa: S311 - demo data must be reproducible, not secret
    real_clock = backend.clock
    today = real_clock()
    clock = MovableClock(today - timedelta(days=3))
    backend.clock = clock
    try:
        seeded = _setup_people(backend, rng, today)
        _create_requests(backend, rng, seeded)
        _day_of_activity(backend, clock, seeded, today - timedelta(days=1))
        register.run_checks(backend)
        journal.sign_grown(backend)
    finally:
        backend.clock = real_clock
    pending = _pending_resiliation(backend, seeded)
    live = [seeded.references[i] for i in range(REQUEST_COUNT) if clean(i) and i < 100][:10]
    path = _demo_json(backend, seeded, live, [pending] if pending else [])
    with transaction(backend.sessions) as session:
        session.add(Flag(name="demo", value=path.read_text("utf-8")))
    return path


def _refresh(backend: Backend, saved: dict[str, Any]) -> Path:
    """Codes are single-use: every start of the demo issues fresh ones."""
    return _write_demo_json(backend, saved)

"""Fakes for the counter client's services tests: an in-memory keyring and a fake backend
served through httpx.MockTransport (no sockets, no threads)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from keyring.backend import KeyringBackend
from keyring.compat import properties

from procuration import jws, qr, timeutil
from procuration.keys import generate_private_key, kid_of, public_jwk, public_key_from_jwk
from procuration.login import nonce_signature_valid
from procuration.models import (
    OfficerInfo,
    RequestKind,
    RequestQrPayload,
    ValidationPayload,
    identity_digest,
)
from procuration.wire import Challenge, LoggedIn, TrustedKey, TrustList
from tests.support.clock import START


def trusted_key(key: Ed25519PrivateKey, **bounds: str) -> TrustedKey:
    """The backend's description of one of its keys (procuration.wire.TrustedKey)."""
    valid = {"valid_from": "2026-01-01T00:00:00Z", "valid_until": "2028-01-01T00:00:00Z"}
    return TrustedKey(kid=kid_of(key), jwk=public_jwk(key), **{**valid, **bounds})


def trust_list(issuer: Ed25519PrivateKey, **bounds: str) -> TrustList:
    return TrustList(
        issuer_keys=[trusted_key(issuer, **bounds)],
        journal_keys=[],
        fetched_at=timeutil.to_wire(START),
    )


REFERENCE = "7K3QZ9"
RESILIATION_REFERENCE = "R3S1QZ"
CANCELLED_REFERENCE = "P40XY2"
MANDATAIRE = {
    "birth_name": "N'DIAYE",
    "first_names": "Jean-Baptiste",
    "birth_date": "1979-11-30",
    "commune": {"insee": "92050", "name": "Nanterre"},
}
PERIOD = {"kind": "period", "start": "2026-06-12", "end": "2027-05-31"}
IDENTITY = {
    "birth_name": "DUPONT",
    "usage_name": None,
    "first_names": "Marie Élise",
    "birth_date": "1980-02-29",
    "birth_place": "Lyon",
    "sex": "F",
}


class MemoryKeyring(KeyringBackend):
    """The in-memory vault tests inject; never discovered by keyring itself."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805
        raise RuntimeError("test backend")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def problem(status: int, code: str, **extra: Any) -> httpx.Response:
    body = {"type": f"urn:mpr:error:{code}", "title": code, "status": status, **extra}
    return httpx.Response(status, json=body, headers={"Content-Type": "application/problem+json"})


class FakeBackend:
    """Just enough of docs/protocol.md: enrolment, login, trust, lookup, validations (+ batch).

    Idempotent on validation_id and strict on device_seq, like the real one.
    """

    def __init__(self) -> None:
        self.issuer = generate_private_key()
        self.online = True
        self.devices: dict[str, str] = {}  # kid -> public x
        self.owners: dict[str, str] = {}  # kid -> matricule the key is enrolled to
        # Enrolment codes, code -> matricule; single-use like the real ones.
        self.codes: dict[str, str] = {"ABCD-EF01": "123456"}
        self.last_seq: dict[str, int] = {}
        self.accepted: dict[str, dict[str, Any]] = {}  # validation_id -> response
        self.validated_refs: dict[str, str] = {}
        self.requests_seen: list[str] = []
        self.officer = {
            "matricule": "123456",
            "name": "Jeanne Martin",
            "grade": "Brigadier",
            "role": "opj",
            "station": "PN-75-001",
            "habilitation_until": "2027-01-31",
        }
        self.password = "s3cret"
        self.officers: dict[str, dict[str, str]] = {"123456": self.officer}
        self.token = "tok-1"  # the one valid session token (changed: the old one ended)
        self.busy_for: int | None = None  # answer validations 503 with this Retry-After
        # validation_id -> (typ, ctx) of what was signed: a résiliation has its own.
        self.signed_as: dict[str, tuple[str, str]] = {}

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def qr_text(self, now: datetime = START) -> str:
        payload = RequestQrPayload(
            reference=REFERENCE, birth_name=IDENTITY["birth_name"],
            first_names=IDENTITY["first_names"], birth_date=IDENTITY["birth_date"],
            commune="75056", iat=timeutil.to_wire(now - timedelta(days=1)),
            exp=timeutil.to_wire(now + timedelta(days=30)),
        )  # fmt: skip
        return qr.encode_request(payload, self.issuer)

    def resiliation_qr_text(self, now: datetime = START) -> str:
        """A résiliation's signed QR code: the mandant, and the proxy it ends."""
        payload = RequestQrPayload.model_validate(
            {
                "kind": "resiliation",
                "reference": RESILIATION_REFERENCE,
                "birth_name": IDENTITY["birth_name"],
                "first_names": IDENTITY["first_names"],
                "birth_date": IDENTITY["birth_date"],
                "commune": "75056",
                "iat": timeutil.to_wire(now - timedelta(days=1)),
                "exp": timeutil.to_wire(now + timedelta(days=30)),
                "mandataire": MANDATAIRE,
                "cancels": {"reference": CANCELLED_REFERENCE, "scope": PERIOD},
            }
        )
        return qr.encode_request(payload, self.issuer)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests_seen.append(f"{request.method} {request.url.path}")
        if not self.online:
            raise httpx.ConnectError("connection refused", request=request)
        route = getattr(self, "_" + _route(request), None)
        if route is None:
            return problem(404, "not-found")
        if (
            request.url.path.startswith("/v1/")
            and not request.url.path.startswith(
                ("/v1/devices", "/v1/auth/challenge", "/v1/auth/login")
            )
            and request.headers.get("Authorization") != f"Bearer {self.token}"
        ):
            return problem(401, "unauthenticated")
        return route(request)  # type: ignore[no-any-return]

    def _get_health(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"status": "ok"})

    def _post_devices_enroll(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        matricule = self.codes.pop(body["code"], None)
        if matricule is None:
            return problem(403, "forbidden")
        key = public_key_from_jwk(body["public_jwk"])
        self.devices[kid_of(key)] = body["public_jwk"]["x"]
        self.owners[kid_of(key)] = matricule
        return httpx.Response(201, json={"kid": kid_of(key)})

    def add_officer(self, matricule: str, name: str, code: str) -> None:
        """Another officer of the same station, with their own enrolment code."""
        self.officers[matricule] = {**self.officer, "matricule": matricule, "name": name}
        self.codes[code] = matricule

    def _post_auth_challenge(self, request: httpx.Request) -> httpx.Response:
        kid = json.loads(request.content)["kid"]
        if kid not in self.devices:
            return problem(401, "unauthenticated")
        answer = Challenge(nonce="n-" + kid[:8], expires_at=timeutil.to_wire(START))
        return httpx.Response(200, json=answer.model_dump())

    def _post_auth_login(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        x = self.devices[body["kid"]]
        key = public_key_from_jwk({"kty": "OKP", "crv": "Ed25519", "x": x})
        proof = nonce_signature_valid(body["nonce"], body["kid"], body["nonce_signature"], key)
        # Like the real backend: a key enrolled to another officer is refused as a wrong
        # password would be (no hint which of the two was wrong).
        owner = self.owners.get(body["kid"]) == body["matricule"]
        if not proof or not owner or body["password"] != self.password:
            return problem(401, "unauthenticated")
        answer = LoggedIn(
            token=self.token,
            expires_at="2026-06-12T21:00:00Z",
            officer=OfficerInfo.model_validate(self.officers[body["matricule"]]),
        )
        return httpx.Response(200, json=answer.model_dump())

    def _post_auth_logout(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(204)

    def _get_trust(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=trust_list(self.issuer).model_dump())

    def _get_requests(self, request: httpx.Request) -> httpx.Response:
        asked = request.url.path.rsplit("/", 1)[-1]
        if asked == RESILIATION_REFERENCE:
            return httpx.Response(200, json=resiliation_lookup_body())
        if asked != REFERENCE:
            return problem(404, "unknown-reference")
        return httpx.Response(200, json=lookup_body())

    def _busy(self) -> httpx.Response:
        # The real backend's answer when its database is busy (docs/backend.md).
        answer = problem(503, "storage")
        answer.headers["Retry-After"] = str(self.busy_for)
        return answer

    def _post_validations(self, request: httpx.Request) -> httpx.Response:
        if self.busy_for is not None:
            return self._busy()
        token = request.content.decode()
        if request.headers.get("Idempotency-Key") is None:
            return problem(422, "validation")
        status, body = self.accept(token)
        return httpx.Response(status, json=body)

    def _post_validations_batch(self, request: httpx.Request) -> httpx.Response:
        if self.busy_for is not None:
            return self._busy()
        results = []
        for token in json.loads(request.content):
            status, body = self.accept(token)
            results.append({"status": status, "body": body})
        return httpx.Response(200, json=results)

    def accept(self, token: str) -> tuple[int, dict[str, Any]]:
        header = jws.unverified_header(token)
        kid, typ = header["kid"], str(header.get("typ"))
        key = public_key_from_jwk({"kty": "OKP", "crv": "Ed25519", "x": self.devices[kid]})
        kind = RequestKind.RESILIATION if typ == RequestKind.RESILIATION.typ else RequestKind.PROXY
        payload = ValidationPayload.model_validate(jws.verify(token, {kid: key}, kind.typ).payload)
        self.signed_as[payload.validation_id] = (typ, payload.ctx)
        if payload.kind is not kind or (payload.reference == RESILIATION_REFERENCE) != (
            kind is RequestKind.RESILIATION
        ):
            return 422, {"type": "urn:mpr:error:wrong-context", "status": 422}
        if payload.validation_id in self.accepted:
            return 201, self.accepted[payload.validation_id]
        if payload.device_seq <= self.last_seq.get(kid, 0):
            return 409, {"type": "urn:mpr:error:replay", "status": 409}
        if payload.reference in self.validated_refs:
            return 409, {"type": "urn:mpr:error:already-validated", "status": 409,
                         "officer_name": "Paul Durand", "station": "GN-69-002",
                         "validated_at": "2026-06-12T08:00:00Z"}  # fmt: skip
        self.last_seq[kid] = payload.device_seq
        self.validated_refs[payload.reference] = payload.validation_id
        response = {"validation_id": payload.validation_id, "reference": payload.reference,
                    "status": "transmitted", "received_at": "2026-06-12T09:00:01Z"}  # fmt: skip
        self.accepted[payload.validation_id] = response
        return 201, response


def _route(request: httpx.Request) -> str:
    parts = [p for p in request.url.path.split("/") if p and p != "v1"]
    if parts and parts[0] == "requests":
        parts = parts[:1]
    return request.method.lower() + "_" + "_".join(parts)


def resiliation_lookup_body() -> dict[str, Any]:
    """The backend's answer for a résiliation: its kind, the mandataire, what it cancels."""
    return {
        **lookup_body(),
        "reference": RESILIATION_REFERENCE,
        "kind": "resiliation",
        "scope": PERIOD,
        "mandataire": MANDATAIRE,
        "cancels": {"reference": CANCELLED_REFERENCE, "scope": PERIOD, "status": "established"},
    }


def lookup_body() -> dict[str, Any]:
    return {
        "reference": REFERENCE,
        "status": "submitted",
        "expires_at": "2026-08-12T09:00:00Z",
        "identity": IDENTITY,
        "identity_digest": identity_digest(
            IDENTITY["birth_name"] or "",
            IDENTITY["first_names"] or "",
            IDENTITY["birth_date"] or "",
        ),
        "commune": {"insee": "75056", "name": "Paris"},
        "scope": {
            "kind": "election",
            "election": "Législatives",
            "rounds": "both",
            "election_date": "2026-06-21",
        },
    }

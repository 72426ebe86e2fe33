"""Small predicates shared by the validation and lifecycle services."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from backend.caller import Caller
from backend.storage.tables import Officer
from procuration import keys as core_keys
from procuration import timeutil
from procuration.canonical import b64url_decode
from procuration.models import VALIDATING_ROLES, Role

PARIS = ZoneInfo("Europe/Paris")


def local_day(moment: datetime) -> str:
    """The day in metropolitan France: habilitations and journal days are local days."""
    return moment.astimezone(PARIS).date().isoformat()


def habilitated_at(officer: Officer | Caller, wire_time: str) -> bool:
    return habilitated_on(
        officer.role, officer.habilitation_from, officer.habilitation_until, wire_time
    )


def habilitated_on(role: str, start: str | None, until: str | None, wire_time: str) -> bool:
    """Whether an officer of `role`, habilitated from `start` to `until` (local days), may
    validate at `wire_time`."""
    if Role(role) not in VALIDATING_ROLES:
        return False
    if start is None or until is None:
        return False
    day = local_day(timeutil.from_wire(wire_time))
    return start <= day <= until


def public_key(public_x: str) -> Ed25519PublicKey:
    return core_keys.public_key_from_jwk({"kty": "OKP", "crv": "Ed25519", "x": public_x})


def unverified_validation_id(token: str) -> str | None:
    """The validation_id a token claims, for journalling and in-flight keys only."""
    try:
        _, payload, _ = token.split(".")
        value = json.loads(b64url_decode(payload)).get("validation_id")
    except (ValueError, AttributeError):
        return None
    return value[:36] if isinstance(value, str) else None

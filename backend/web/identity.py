"""The mandant's civil identity, from the identity provider's verified claims only
(FranceConnect's claim names), checked against the civil-status whitelist."""

from __future__ import annotations

from typing import Any

from procuration import civil
from procuration.elections import parse_day

# eIDAS "substantial" or "high": a certified identity (France Identité), which may give a
# proxy fully online (décret 2025-1059; docs/decisions.md "Fully online path").
CERTIFIED_ACR = frozenset({"eidas2", "eidas3"})


class IdentityError(ValueError):
    """Claims that cannot make a civil identity (which claim, never its value)."""


def _text(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value:
        raise IdentityError(f"claim {name} missing")
    return value


def identity_from_claims(
    claims: dict[str, Any], communes: dict[str, str]
) -> tuple[dict[str, Any], bool]:
    """(the identity a request is made with, whether it is certified)."""
    try:
        birth_name = civil.check_name(_text(claims, "family_name"))
        first_names = civil.check_first_names(_text(claims, "given_name"))
        birth_date = _text(claims, "birthdate")
        parse_day(birth_date)
        usage = claims.get("preferred_username")
        usage_name = civil.check_name(usage) if isinstance(usage, str) and usage else None
        place_code = _text(claims, "birthplace")
        birth_place = civil.check_place(communes.get(place_code, place_code))
    except ValueError as exc:
        raise IdentityError(str(exc).split(":")[0]) from None
    gender = claims.get("gender")
    email = claims.get("email")
    identity = {
        "birth_name": birth_name,
        "usage_name": usage_name,
        "first_names": first_names,
        "birth_date": birth_date,
        "birth_place": birth_place,
        "sex": "F" if gender == "female" else "M",
        "email": email if isinstance(email, str) else "",
    }
    return identity, claims.get("acr") in CERTIFIED_ACR

"""The mandant's civil identity, from the identity provider's verified claims only
(FranceConnect's claim names), checked against the civil-status whitelist."""

from __future__ import annotations

from typing import Any

from procuration import civil
from procuration.elections import parse_day

# eIDAS "substantial" or "high": a certified identity (France Identité), which may give a
# proxy fully online (décret 2025-1059; docs/decisions.md "Fully online path").
CERTIFIED_ACR = frozenset({"eidas2", "eidas3"})


REFUSED = "Votre identité n'a pas pu être vérifiée : recommencez la connexion."
NO_EMAIL = (
    "Votre compte FranceConnect ne transmet pas d'adresse électronique : ajoutez-en une à "
    "votre compte auprès de votre fournisseur d'identité, ou faites votre demande au "
    "commissariat, à la gendarmerie ou au consulat."
)
NO_SEX = (
    "Votre compte FranceConnect ne transmet pas votre sexe tel qu'inscrit à l'état civil : "
    "faites votre demande au commissariat, à la gendarmerie ou au consulat."
)
# FranceConnect's `gender` claim; the procuration's form knows only these two (Identity.sex).
SEXES = {"female": "F", "male": "M"}


class IdentityError(ValueError):
    """Claims that cannot make a civil identity: the message names the claim, never its
    value (it is logged); `shown` is the French sentence for the voter."""

    def __init__(self, reason: str, shown: str = REFUSED) -> None:
        super().__init__(reason)
        self.shown = shown


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
    sex = SEXES.get(str(claims.get("gender")))
    if sex is None:  # never guessed: the form would carry a sex the voter did not declare
        raise IdentityError("claim gender missing or unknown", NO_SEX)
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        # The confirmation and the counter's answer go by mail: without one, the form
        # could not be sent.
        raise IdentityError("claim email missing", NO_EMAIL)
    identity = {
        "birth_name": birth_name,
        "usage_name": usage_name,
        "first_names": first_names,
        "birth_date": birth_date,
        "birth_place": birth_place,
        "sex": sex,
        "email": email,
    }
    return identity, claims.get("acr") in CERTIFIED_ACR

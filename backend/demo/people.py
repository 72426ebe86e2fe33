"""Deterministic French identities for the demo (a seeded random.Random, no network)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from backend.demo import names
from procuration.models import identity_digest


@dataclass(frozen=True)
class Identity:
    birth_name: str
    first_names: str
    birth_date: str
    sex: str
    insee: str

    def digest(self) -> str:
        return identity_digest(self.birth_name, self.first_names, self.birth_date)

    def roll_line(self, **extra: str) -> dict[str, str]:
        return {
            "insee": self.insee,
            "birth_name": self.birth_name,
            "first_names": self.first_names,
            "birth_date": self.birth_date,
            **extra,
        }


def _person(rng: random.Random) -> Identity:
    sex = rng.choice("FM")
    pool = names.FIRST_NAMES_F if sex == "F" else names.FIRST_NAMES_M
    first = rng.choice(pool)
    if rng.random() < 0.3:
        first = f"{first} {rng.choice(pool)}"
    born = date(1935, 1, 1) + timedelta(days=rng.randrange(0, 365 * 70))
    return Identity(
        rng.choice(names.BIRTH_NAMES),
        first,
        born.isoformat(),
        sex,
        rng.choice(list(names.COMMUNES)),
    )


def make_identities(rng: random.Random, count: int) -> list[tuple[Identity, Identity]]:
    """(mandant, mandataire) pairs; every 30th pair reuses the previous mandataire (L73)."""
    pairs: list[tuple[Identity, Identity]] = []
    for index in range(count):
        mandant = _person(rng)
        mandataire = pairs[-1][1] if index % 30 == 29 else _person(rng)
        pairs.append((mandant, mandataire))
    return pairs


def request_body(rng: random.Random, mandant: Identity, mandataire: Identity) -> dict[str, Any]:
    if rng.random() < 0.5:
        scope: dict[str, Any] = {
            "kind": "election",
            "election": "présidentielle 2027",
            "rounds": rng.choice(["first", "second", "both"]),
            "election_date": "2027-04-25",
        }
    else:
        scope = {"kind": "period", "start": "2026-12-01", "end": "2027-11-30"}
    return {
        "birth_name": mandant.birth_name,
        "usage_name": None,
        "first_names": mandant.first_names,
        "birth_date": mandant.birth_date,
        "birth_place": rng.choice(names.BIRTH_PLACES),
        "sex": mandant.sex,
        "email": f"mandant{rng.randrange(10**6)}@example.fr",
        "commune_insee": mandant.insee,
        "scope": scope,
        "mandataire": {
            "birth_name": mandataire.birth_name,
            "first_names": mandataire.first_names,
            "birth_date": mandataire.birth_date,
            "commune_insee": mandataire.insee,
        },
    }

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


PRESIDENTIAL = "presidentielle-2027"
PRESIDENTIAL_FIRST_ROUND = date(2027, 4, 11)


def request_body(
    rng: random.Random, mandant: Identity, mandataire: Identity, today: date
) -> dict[str, Any]:
    """Half for the 2027 presidential election while it is to come, the others for a
    year from `today` (PROTOCOL.md v1.1 scopes, valid on the day the demo is seeded)."""
    if rng.random() < 0.5 and today <= PRESIDENTIAL_FIRST_ROUND:
        scope: dict[str, Any] = {
            "kind": "election",
            "election": PRESIDENTIAL,
            "rounds": rng.choice([[1], [2], [1, 2]]),
        }
    else:
        end = today + timedelta(days=364)
        scope = {"kind": "period", "start": today.isoformat(), "end": end.isoformat()}
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
            # Told by mail when the proxy is cancelled (no draw: the demo stays as seeded).
            "email": f"mandataire.{mandataire.birth_date}@example.fr",
        },
    }

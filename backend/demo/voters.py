"""The voter portal's demo identities: the claims the demo identity provider ("FranceConnect
— démonstration", oidc-provider-mock) hands out, and the people they may name as
mandataire. All are on the demo electoral roll; `acr` "eidas2" (eIDAS substantial) marks a
certified identity (France Identité), which may establish a proxy fully online."""

from __future__ import annotations

from typing import Any

# FranceConnect's claim names: given_name (all first names), family_name (birth name),
# preferred_username (usage name), birthdate, gender, birthplace (INSEE code).
VOTERS: list[dict[str, Any]] = [
    {
        "sub": "camille.martin",
        "given_name": "Camille Anne",
        "family_name": "MARTIN",
        "birthdate": "1984-03-14",
        "gender": "female",
        "birthplace": "75056",
        "email": "camille.martin@demo.example",
        "acr": "eidas1",
        "commune": "75056",
    },
    {
        "sub": "karim.benali",
        "given_name": "Karim",
        "family_name": "BENALI",
        "birthdate": "1979-11-02",
        "gender": "male",
        "birthplace": "69123",
        "email": "karim.benali@demo.example",
        "acr": "eidas2",
        "commune": "75056",
    },
    {
        "sub": "lea.fontaine",
        "given_name": "Léa",
        "family_name": "FONTAINE",
        "preferred_username": "ROUSSEAU",
        "birthdate": "1991-06-27",
        "gender": "female",
        "birthplace": "13055",
        "email": "lea.fontaine@demo.example",
        "acr": "eidas2",
        "commune": "69123",
    },
]

# People the demo voters can name as their mandataire (on the roll, in these communes).
MANDATAIRES: list[dict[str, str]] = [
    {"birth_name": "MARTIN", "first_names": "Paul", "birth_date": "1982-07-01", "insee": "75056"},
    {
        "birth_name": "NGUYEN",
        "first_names": "Thi Mai",
        "birth_date": "1975-02-19",
        "insee": "75056",
    },
    {"birth_name": "GIRARD", "first_names": "Hélène", "birth_date": "1968-09-30", "insee": "69123"},
]


def provider_claims(voter: dict[str, Any]) -> dict[str, Any]:
    """What the identity provider knows of a voter (not the commune: the form asks it)."""
    return {key: value for key, value in voter.items() if key != "commune"}


def roll_lines() -> list[dict[str, str]]:
    voters = [
        {
            "insee": v["commune"],
            "birth_name": v["family_name"],
            "first_names": v["given_name"],
            "birth_date": v["birthdate"],
        }
        for v in VOTERS
    ]
    return voters + MANDATAIRES

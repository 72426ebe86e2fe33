"""The voter's request form: every field checked on the server, each error one French
sentence naming what to do (shown in the DSFR error summary and beside the field), and the
roll's answer for both parties before anything is sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from backend.services.schemas import RequestCreate
from backend.storage.names import person_key
from procuration import civil, elections
from procuration.elections import Calendar, Election

FIELDS = (
    "commune",
    "scope_kind",
    "election",
    "rounds",
    "start",
    "end",
    "m_birth_name",
    "m_first_names",
    "m_birth_date",
    "m_commune",
)
ROUND_CHOICES = {"1": [1], "2": [2], "1,2": [1, 2]}
_SCOPE_WORDS = {
    "start": "La période doit commencer aujourd'hui ou plus tard : corrigez la date de début.",
    "end": "La période doit finir après son début et durer au plus un an : corrigez la date "
    "de fin.",
    "election": "Cette élection n'est pas à venir : choisissez-en une dans la liste.",
    "rounds": "Ce tour n'a pas lieu pour cette élection : choisissez un autre tour.",
}
_NAME_RULE = "lettres, espaces, tirets et apostrophes, 100 caractères au plus"
_FIRST_NAMES_RULE = "lettres, espaces, tirets et apostrophes, 150 caractères au plus"


@dataclass
class Checked:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    body: RequestCreate | None = None


def upcoming(calendar: Calendar, today: date) -> list[Election]:
    """The elections a proxy can still be given for, soonest first."""
    coming = [e for e in calendar.values() if any(r.day >= today for r in e.rounds)]
    return sorted(coming, key=lambda e: e.rounds[0].day)


def _scope(values: dict[str, str], errors: dict[str, str], calendar: Calendar) -> Any:
    """The scope the form describes, or None (and its errors) when it describes none."""
    found: dict[str, str] = {}
    kind = values["scope_kind"]
    if kind == "election":
        if values["election"] not in calendar:
            found["election"] = "Choisissez une élection dans la liste."
        if values["rounds"] not in ROUND_CHOICES:
            found["rounds"] = "Choisissez le ou les tours pour lesquels vous donnez procuration."
        scope: Any = None
        if not found:
            scope = elections.ElectionScope.model_validate(
                {
                    "kind": "election",
                    "election": values["election"],
                    "rounds": ROUND_CHOICES[values["rounds"]],
                }
            )
    elif kind == "period":
        for name, words in (("start", "début"), ("end", "fin")):
            try:
                elections.parse_day(values[name])
            except ValueError:
                found[name] = f"Saisissez la date de {words} de la période (jj/mm/aaaa)."
        scope = None
        if not found:
            scope = elections.PeriodScope.model_validate(
                {"kind": "period", "start": values["start"], "end": values["end"]}
            )
    else:
        found["scope_kind"] = "Choisissez une élection ou une période."
        scope = None
    errors.update(found)
    return scope


def _check_scope(scope: Any, errors: dict[str, str], calendar: Calendar, today: date) -> None:
    try:
        elections.check_scope(scope, calendar, today)
    except elections.ScopeRuleError as problem:
        name = problem.field.rsplit(".", 1)[-1]
        errors[name if name in _SCOPE_WORDS else "scope_kind"] = _SCOPE_WORDS.get(
            name, "Cette procuration ne peut pas être donnée : changez l'élection ou la période."
        )


def _mandataire(
    values: dict[str, str], errors: dict[str, str], communes: dict[str, str], today: date
) -> None:
    try:
        civil.check_name(values["m_birth_name"])
    except ValueError:
        errors["m_birth_name"] = f"Saisissez le nom de naissance du mandataire ({_NAME_RULE})."
    try:
        civil.check_first_names(values["m_first_names"])
    except ValueError:
        errors["m_first_names"] = f"Saisissez les prénoms du mandataire ({_FIRST_NAMES_RULE})."
    try:
        civil.check_birth_date(values["m_birth_date"], today)
    except (civil.BirthDateError, ValueError):
        errors["m_birth_date"] = (
            "Saisissez la date de naissance du mandataire (jj/mm/aaaa) : une date passée, "
            "d'une personne en âge de voter."
        )
    if values["m_commune"] not in communes:
        errors["m_commune"] = "Choisissez la commune où le mandataire est inscrit."


def check(
    form: dict[str, str],
    identity: dict[str, Any],
    communes: dict[str, str],
    calendar: Calendar,
    today: date,
) -> Checked:
    """The form's values as typed, the errors by field, and the request when none."""
    values = {name: str(form.get(name, "")).strip() for name in FIELDS}
    checked = Checked(values)
    errors = checked.errors
    if values["commune"] not in communes:
        errors["commune"] = "Choisissez votre commune d'inscription sur les listes électorales."
    scope = _scope(values, errors, calendar)
    if scope is not None:
        _check_scope(scope, errors, calendar, today)
    _mandataire(values, errors, communes, today)
    if not errors and person_key(
        values["m_birth_name"], values["m_first_names"], values["m_birth_date"]
    ) == person_key(identity["birth_name"], identity["first_names"], identity["birth_date"]):
        errors["m_birth_name"] = (
            "Vous ne pouvez pas vous désigner vous-même : choisissez un autre mandataire."
        )
    if errors:
        return checked
    try:
        checked.body = RequestCreate.model_validate(
            {
                **{k: v for k, v in identity.items() if k in RequestCreate.model_fields},
                "commune_insee": values["commune"],
                "scope": scope.model_dump(),
                "mandataire": {
                    "birth_name": values["m_birth_name"],
                    "first_names": values["m_first_names"],
                    "birth_date": values["m_birth_date"],
                    "commune_insee": values["m_commune"],
                },
            }
        )
    except ValidationError:
        errors["commune"] = "Votre demande n'a pas pu être préparée : vérifiez chaque champ."
    return checked

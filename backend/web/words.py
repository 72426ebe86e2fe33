"""The French the portals show for the wire's words: statuses, scopes, reasons, dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

# (words, DSFR badge kind): what a voter reads, in plain French.
STATUS = {
    "submitted": ("En attente de validation au guichet", "info"),
    "expired": ("Expirée : elle n'a pas été validée à temps", "warning"),
    "refused_by_officer": ("Non validée au guichet", "error"),
    "transmitted": ("Validée, en cours de vérification sur les listes électorales", "info"),
    "established": ("Établie, transmise à la commune", "success"),
    "invalid": ("Non établie", "error"),
    "accepted_by_commune": ("Acceptée par la commune", "success"),
    "refused_by_commune": ("Refusée par la commune", "error"),
    "cancelled": ("Résiliée", "warning"),
}
# A résiliation's own statuses, where they differ from a proxy's.
RESILIATION_STATUS = {
    "established": ("Résiliation validée : la procuration est résiliée", "success"),
    "refused_by_officer": ("Résiliation non validée au guichet", "error"),
    "expired": ("Expirée : la résiliation n'a pas été validée à temps", "warning"),
}
REASONS = {
    "mandant-not-on-roll": "le mandant n'apparaît pas sur la liste électorale de sa commune",
    "mandataire-not-on-roll": "le mandataire n'apparaît pas sur une liste électorale",
    "cap-france": "le mandataire détient déjà une procuration établie en France ce jour-là",
    "cap-total": "le mandataire détient déjà deux procurations ce jour-là",
}
# The reasons a commune may give to refuse a proxy (commune portal), besides the register's.
COMMUNE_REFUSALS = {
    "mandant-not-registered": "Le mandant n'est pas inscrit sur la liste électorale de la commune",
    "mandataire-not-registered": "Le mandataire n'est inscrit sur aucune liste électorale",
    "cap-exceeded": "Le mandataire détient déjà le nombre maximal de procurations",
    "duplicate": "Procuration en double pour le même scrutin",
    "other": "Autre motif (voir le dossier)",
}

# Why a commune corrects the register's "not on the roll" verdict (backend.services.commune
# .Correction): a fixed list, the codes the journal keeps.
CORRECTIONS = {
    "roll-out-of-date": "La liste électorale transmise n'était pas à jour",
    "registration-just-recorded": "L'inscription vient d'être enregistrée par la commune",
    "civil-status-mismatch": "L'état civil est écrit autrement sur la liste électorale",
    "homonym-error": "Confusion entre deux électeurs homonymes sur la liste",
}


def day(text: str | None) -> str:
    """ "2027-03-14" or a wire time -> "14 mars 2027"."""
    if not text:
        return ""
    value = (
        datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(PARIS).date()
        if "T" in text
        else date.fromisoformat(text[:10])
    )
    number = "1er" if value.day == 1 else str(value.day)  # French writes the first day 1er
    return f"{number} {MONTHS[value.month - 1]} {value.year}"


def moment(text: str | None) -> str:
    """A wire time -> "14 mars 2027 à 09:31" (Paris time)."""
    if not text:
        return ""
    value = datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(PARIS)
    return f"{day(value.date().isoformat())} à {value:%H:%M}"


def scope(shown: dict[str, Any]) -> str:
    if shown.get("kind") == "period":
        return f"du {day(shown.get('start'))} au {day(shown.get('end'))}"
    rounds = {"first": "1er tour", "second": "2d tour", "both": "les deux tours"}
    return (
        f"{shown.get('election')}, {rounds.get(shown.get('rounds') or '', '')} "
        f"(jusqu'au {day(shown.get('election_date'))})"
    )


def status(code: str, kind: str = "proxy") -> tuple[str, str]:
    if kind == "resiliation" and code in RESILIATION_STATUS:
        return RESILIATION_STATUS[code]
    return STATUS.get(code, (code, "info"))


def reason(code: str | None) -> str:
    if not code:
        return ""
    return REASONS.get(code) or COMMUNE_REFUSALS.get(code) or CORRECTIONS.get(code) or code

"""How dates, scopes, statuses and document types read in French on the counter."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from desktop.ui.i18n import QT_TRANSLATE_NOOP
from procuration.models import DocumentType, RefusalReason, RequestStatus, Scope

_CONTEXT = "formatting"

STATUS_WORDS: dict[RequestStatus, str] = {
    RequestStatus.SUBMITTED: QT_TRANSLATE_NOOP("formatting", "À valider"),
    RequestStatus.EXPIRED: QT_TRANSLATE_NOOP("formatting", "Expirée"),
    RequestStatus.REFUSED_BY_OFFICER: QT_TRANSLATE_NOOP("formatting", "Refusée au guichet"),
    RequestStatus.TRANSMITTED: QT_TRANSLATE_NOOP("formatting", "Validée, transmise"),
    RequestStatus.ESTABLISHED: QT_TRANSLATE_NOOP("formatting", "Établie"),
    RequestStatus.INVALID: QT_TRANSLATE_NOOP("formatting", "Invalide"),
    RequestStatus.ACCEPTED_BY_COMMUNE: QT_TRANSLATE_NOOP("formatting", "Acceptée par la mairie"),
    RequestStatus.REFUSED_BY_COMMUNE: QT_TRANSLATE_NOOP("formatting", "Refusée par la mairie"),
    RequestStatus.CANCELLED: QT_TRANSLATE_NOOP("formatting", "Résiliée"),
}

DOCUMENT_WORDS: dict[DocumentType, str] = {
    DocumentType.CNI: QT_TRANSLATE_NOOP("formatting", "Carte nationale d'identité"),
    DocumentType.PASSPORT: QT_TRANSLATE_NOOP("formatting", "Passeport"),
    DocumentType.DRIVING_LICENCE: QT_TRANSLATE_NOOP("formatting", "Permis de conduire"),
    DocumentType.OTHER_PHOTO_ID: QT_TRANSLATE_NOOP(
        "formatting", "Autre pièce d'identité avec photo"
    ),
}

REFUSAL_WORDS: dict[RefusalReason, str] = {
    RefusalReason.IDENTITY_MISMATCH: QT_TRANSLATE_NOOP(
        "formatting", "L'identité ne concorde pas avec la pièce"
    ),
    RefusalReason.DOCUMENT_UNACCEPTABLE: QT_TRANSLATE_NOOP(
        "formatting", "La pièce présentée n'est pas recevable"
    ),
    RefusalReason.NOT_THE_MANDANT: QT_TRANSLATE_NOOP(
        "formatting", "La personne présente n'est pas le mandant"
    ),
    RefusalReason.OTHER: QT_TRANSLATE_NOOP("formatting", "Autre motif"),
}

_ROUNDS = {
    "first": QT_TRANSLATE_NOOP("formatting", "1er tour"),
    "second": QT_TRANSLATE_NOOP("formatting", "2d tour"),
    "both": QT_TRANSLATE_NOOP("formatting", "les deux tours"),
}

# %1 is the wire's election_date, the last polling day of the scope.
_ROUND_DAYS = {
    "first": QT_TRANSLATE_NOOP("formatting", "1er tour, le %1"),
    "second": QT_TRANSLATE_NOOP("formatting", "2d tour, le %1"),
    "both": QT_TRANSLATE_NOOP("formatting", "les deux tours (2d tour le %1)"),
    "": QT_TRANSLATE_NOOP("formatting", "le %1"),
}


def tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def day(iso: str) -> str:
    """`1961-03-12` → `12/03/1961`."""
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def age(birth: date, today: date) -> int:
    before_birthday = (today.month, today.day) < (birth.month, birth.day)
    return today.year - birth.year - int(before_birthday)


def birth_date_with_age(iso: str, today: date) -> str:
    years = age(date.fromisoformat(iso), today)
    return tr("%1 (%2 ans)").replace("%1", day(iso)).replace("%2", str(years))


def status_word(status: RequestStatus) -> str:
    return tr(STATUS_WORDS[status])


def document_word(document: DocumentType) -> str:
    return tr(DOCUMENT_WORDS[document])


def refusal_word(reason: RefusalReason) -> str:
    return tr(REFUSAL_WORDS[reason])


def scope_text(scope: Scope) -> str:
    """The scope in plain French, with the polling day the wire gives.

    For an election the lookup's `election_date` is the LAST polling day
    (docs/decisions.md, "Scope at request creation"): the second round's for both rounds.
    The wire does not carry the first round's date, so it is not shown (never guessed)."""
    if scope.kind == "period":
        start = day(scope.start) if scope.start else "?"
        end = day(scope.end) if scope.end else "?"
        return tr("Du %1 au %2").replace("%1", start).replace("%2", end)
    election = scope.election or tr("Élection")
    if scope.election_date is None:
        rounds = tr(_ROUNDS[scope.rounds]) if scope.rounds else None
        return " — ".join(part for part in (election, rounds) if part)
    polling_day = day(scope.election_date)
    template = tr(_ROUND_DAYS.get(scope.rounds or "", _ROUND_DAYS[""]))
    return f"{election} — {template.replace('%1', polling_day)}"

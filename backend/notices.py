"""The mails the mandant receives at each step (French, plain text)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend import mailer
from backend.context import Backend
from backend.storage.tables import Officer, ProxyRequest

_REASONS = {
    "mandant-not-on-roll": "vous n'apparaissez pas sur la liste électorale de votre commune",
    "mandataire-not-on-roll": "votre mandataire n'apparaît pas sur une liste électorale",
    "cap-france": "votre mandataire détient déjà une procuration établie en France",
    "cap-total": "votre mandataire détient déjà deux procurations",
}


def _send(backend: Backend, row: ProxyRequest, subject: str, body: str) -> None:
    if not row.email:
        return
    message = mailer.message(backend.settings.smtp_sender, row.email, subject, body)
    backend.mailer.send(message, row.reference)


def validated(backend: Backend, session: Session, row: ProxyRequest) -> None:
    officer = session.get(Officer, row.validated_officer) if row.validated_officer else None
    who = f"{officer.grade} {officer.name}" if officer else "un officier habilité"
    body = (
        f"Votre procuration {row.reference} a été validée le {row.validated_at} par {who} "
        f"({row.validated_station}).\n\n"
    )
    if row.status_reason:
        body += f"Elle n'a toutefois pas pu être établie : {_REASONS.get(row.status_reason)}."
    else:
        body += "Elle est établie et transmise à votre commune."
    _send(backend, row, f"Procuration {row.reference} : validée", body)


def refused_by_officer(backend: Backend, row: ProxyRequest, station: str) -> None:
    body = (
        f"Votre demande {row.reference} n'a pas été validée au guichet ({station}). "
        "Vous pouvez vous présenter à nouveau muni d'une pièce d'identité acceptée."
    )
    _send(backend, row, f"Procuration {row.reference} : non validée", body)


def commune_decision(backend: Backend, row: ProxyRequest, accepted: bool, reason: str) -> None:
    if accepted:
        body = f"Votre commune a enregistré votre procuration {row.reference}."
    else:
        body = f"Votre commune a refusé votre procuration {row.reference} : {reason}."
    word = "acceptée" if accepted else "refusée"
    _send(backend, row, f"Procuration {row.reference} : {word} par la commune", body)

"""The mails the mandant receives at each step (French, plain text).

The text of a mail is taken inside the transaction that changes the request (it reads its
row); the message is built and delivered after the commit: neither the e-mail package (about
a millisecond per message) nor a slow disk or SMTP server holds the database's write lock,
and a rolled-back change is never announced.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message

from sqlalchemy.orm import Session

from backend import mailer
from backend.context import Backend
from backend.storage.tables import Officer, ProxyRequest

log = logging.getLogger(__name__)
_REASONS = {
    "mandant-not-on-roll": "vous n'apparaissez pas sur la liste électorale de votre commune",
    "mandataire-not-on-roll": "votre mandataire n'apparaît pas sur une liste électorale",
    "cap-france": "votre mandataire détient déjà une procuration établie en France",
    "cap-total": "votre mandataire détient déjà deux procurations",
}


@dataclass(frozen=True)
class Notice:
    reference: str
    sender: str
    to: str
    subject: str
    body: str

    def message(self) -> Message:
        return mailer.notice(self.sender, self.to, self.subject, self.body)


def deliver(backend: Backend, notices: Iterable[Notice | None]) -> None:
    """Sends composed notices; call it after the transaction that composed them commits."""
    for notice in notices:
        if notice is None:
            continue
        try:
            backend.mailer.send(notice.message(), notice.reference)
        except (OSError, ValueError) as exc:
            # The change is committed: a lost notification must not turn it into an error.
            log.warning("mail for %s not written: %s", notice.reference, type(exc).__name__)


def _compose(backend: Backend, row: ProxyRequest, subject: str, body: str) -> Notice | None:
    if not row.email:
        return None
    return Notice(row.reference, backend.settings.smtp_sender, row.email, subject, body)


def validated(backend: Backend, session: Session, row: ProxyRequest) -> Notice | None:
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
    return _compose(backend, row, f"Procuration {row.reference} : validée", body)


def refused_by_officer(backend: Backend, row: ProxyRequest, station: str) -> Notice | None:
    body = (
        f"Votre demande {row.reference} n'a pas été validée au guichet ({station}). "
        "Vous pouvez vous présenter à nouveau muni d'une pièce d'identité acceptée."
    )
    return _compose(backend, row, f"Procuration {row.reference} : non validée", body)


def commune_decision(
    backend: Backend, row: ProxyRequest, accepted: bool, reason: str
) -> Notice | None:
    if accepted:
        body = f"Votre commune a enregistré votre procuration {row.reference}."
    else:
        body = f"Votre commune a refusé votre procuration {row.reference} : {reason}."
    word = "acceptée" if accepted else "refusée"
    return _compose(backend, row, f"Procuration {row.reference} : {word} par la commune", body)

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

from backend import mailer
from backend.context import Backend
from backend.storage.tables import ProxyRequest

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


def _compose(
    backend: Backend, reference: str, email: str | None, subject: str, body: str
) -> Notice | None:
    if not email:
        return None
    return Notice(reference, backend.settings.smtp_sender, email, subject, body)


@dataclass(frozen=True)
class Validated:
    """What the "validated" mail says about a proxy the register checks just decided."""

    reference: str
    email: str | None
    validated_at: str | None
    validated_station: str | None
    officer_grade: str | None
    officer_name: str | None
    status_reason: str | None


def validated(backend: Backend, proxy: Validated) -> Notice | None:
    who = (
        f"{proxy.officer_grade} {proxy.officer_name}"
        if proxy.officer_name
        else "un officier habilité"
    )
    body = (
        f"Votre procuration {proxy.reference} a été validée le {proxy.validated_at} par {who} "
        f"({proxy.validated_station}).\n\n"
        if proxy.validated_station
        # Fully online (décret 2025-1059): no officer, the certified identity stood for the check.
        else f"Votre procuration {proxy.reference} a été validée en ligne le "
        f"{proxy.validated_at}, sans passage au guichet : votre identité numérique est "
        "certifiée.\n\n"
    )
    if proxy.status_reason:
        body += f"Elle n'a toutefois pas pu être établie : {_REASONS.get(proxy.status_reason)}."
    else:
        body += "Elle est établie et transmise à votre commune."
    return _compose(
        backend, proxy.reference, proxy.email, f"Procuration {proxy.reference} : validée", body
    )


def refused_by_officer(
    backend: Backend, reference: str, email: str | None, station: str
) -> Notice | None:
    body = (
        f"Votre demande {reference} n'a pas été validée au guichet ({station}). "
        "Vous pouvez vous présenter à nouveau muni d'une pièce d'identité acceptée."
    )
    return _compose(backend, reference, email, f"Procuration {reference} : non validée", body)


def commune_decision(
    backend: Backend, row: ProxyRequest, accepted: bool, reason: str
) -> Notice | None:
    if accepted:
        body = f"Votre commune a enregistré votre procuration {row.reference}."
    else:
        body = f"Votre commune a refusé votre procuration {row.reference} : {reason}."
    word = "acceptée" if accepted else "refusée"
    subject = f"Procuration {row.reference} : {word} par la commune"
    return _compose(backend, row.reference, row.email, subject, body)


@dataclass(frozen=True)
class Cancelled:
    """What the mails of a validated résiliation say: which proxy ended, and when."""

    resiliation: str
    proxy: str
    mandant_email: str | None
    mandant_name: str
    commune_email: str | None
    commune_name: str
    mandataire_email: str | None
    at: str


def resiliation_done(backend: Backend, done: Cancelled) -> list[Notice | None]:
    """The mandant, the commune and the mandataire are told (L75); the last two under the
    proxy's reference, so that the purge of the proxy erases them with it."""
    subject = f"Procuration {done.proxy} : résiliée"
    to_mandant = (
        f"Votre demande de résiliation {done.resiliation} a été validée le {done.at}.\n\n"
        f"Votre procuration {done.proxy} est résiliée : votre mandataire ne peut plus voter "
        "à votre place. Vous pouvez voter vous-même ou donner une nouvelle procuration."
    )
    to_commune = (
        f"Commune de {done.commune_name} : la procuration {done.proxy} est résiliée à la "
        f"demande du mandant (résiliation {done.resiliation} validée le {done.at}). "
        "Retirez-la du registre des procurations et de la liste d'émargement."
    )
    to_mandataire = (
        f"La procuration {done.proxy} que {done.mandant_name} vous avait donnée est résiliée "
        f"depuis le {done.at}. Vous ne pouvez plus voter en son nom."
    )
    return [
        _compose(backend, done.resiliation, done.mandant_email, subject, to_mandant),
        _compose(backend, done.proxy, done.commune_email, subject, to_commune),
        _compose(backend, done.proxy, done.mandataire_email, subject, to_mandataire),
    ]

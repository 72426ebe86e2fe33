"""Notifications to the mandant: SMTP when configured, else `.eml` files in an outbox folder
that a person can open (and whose QR code they can scan from a phone)."""

from __future__ import annotations

import logging
import os
import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import segno

log = logging.getLogger(__name__)


class Mailer(Protocol):
    def send(self, message: EmailMessage, reference: str) -> None: ...


class FileMailer:
    """Writes each message as `<reference>-<n>.eml` under `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, message: EmailMessage, reference: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        data = message.as_bytes()
        for number in range(1, 1000):
            path = self.directory / f"{reference}-{number:02d}.eml"
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            log.info("mail for %s written to %s", reference, path.name)
            return


class SmtpMailer:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    def send(self, message: EmailMessage, reference: str) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=10) as client:
                client.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            # A lost notification must never undo a validation: log and carry on.
            log.warning("mail for %s not sent: %s", reference, type(exc).__name__)


def qr_png(text: str) -> bytes:
    """The QR code of `text` as PNG bytes (error correction M, readable on a phone screen)."""
    import io

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail.set_content(body)
    return mail


def request_received(sender: str, to: str, reference: str, qr_text: str, body: str) -> EmailMessage:
    """The first mail: the reference in text and the QR code as an inline PNG."""
    mail = message(sender, to, f"Votre demande de procuration {reference}", body)
    html = (
        f"<p>{body.replace(chr(10), '<br>')}</p>"
        f'<p><img src="cid:qr-{reference}" alt="QR code {reference}"></p>'
    )
    mail.add_alternative(html, subtype="html")
    html_part = next(part for part in mail.iter_parts() if part.get_content_type() == "text/html")
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(qr_png(qr_text), "image", "png", cid=f"<qr-{reference}>")
    return mail

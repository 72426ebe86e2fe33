"""Notifications to the mandant: SMTP when configured, else `.eml` files in an outbox folder
that a person can open (and whose QR code they can scan from a phone)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import smtplib
import ssl
import struct
import zlib
from email.charset import QP, Charset
from email.header import Header
from email.message import EmailMessage, Message
from email.mime.text import MIMEText
from pathlib import Path
from typing import Protocol

import zxingcpp

log = logging.getLogger(__name__)


class Mailer(Protocol):
    def send(self, message: Message, reference: str) -> None: ...

    def forget(self, reference: str) -> int:
        """Erases what this mailer kept about `reference` (purge); returns how many files."""
        ...


def private_dir(directory: Path) -> None:
    """Creates `directory` owner-only (0700), tightening it if it already exists."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(directory, 0o700)


def write_private(path: Path, data: bytes) -> None:
    """Writes `data` to a new or existing file, owner-only (0600) from its creation."""
    private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    if os.name == "posix":
        os.chmod(path, 0o600)


class FileMailer:
    """Writes each message as `<tag>-<random>.eml` under `directory` (0700, files 0600).

    The tag is a keyed hash of the reference (the key is a random file in the folder): a
    listing of the folder shows no live reference, yet the purge finds a request's mails
    without an index to keep in step."""

    KEY_FILE = ".name-key"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._key: bytes | None = None
        self._made = False  # the folder made owner-only once, not at every mail

    def _name_key(self) -> bytes:
        if self._key is None:
            path = self.directory / self.KEY_FILE
            if not path.exists():
                self._make_key(path)
            self._key = path.read_bytes()
            if len(self._key) != 32:
                raise OSError(f"{path} is damaged: delete it only once the folder is empty")
        return self._key

    def _make_key(self, path: Path) -> None:
        """Writes the key whole, then links it into place: another process (a `serve`
        worker) racing here sees no file or the complete key, never a half-written one."""
        temporary = self.directory / f".key-{secrets.token_hex(8)}"
        write_private(temporary, secrets.token_bytes(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process won: its key is the one
        finally:
            temporary.unlink()

    def tag(self, reference: str) -> str:
        digest = hmac.new(self._name_key(), reference.encode(), hashlib.sha256).hexdigest()
        return digest[:20]

    def files_for(self, reference: str) -> list[Path]:
        """The `.eml` files written for `reference`, oldest first."""
        if not self.directory.is_dir():
            return []
        paths = self.directory.glob(f"{self.tag(reference)}-*.eml")
        return sorted(paths, key=lambda path: path.stat().st_mtime_ns)

    def send(self, message: Message, reference: str) -> None:
        data = memoryview(message.as_bytes())  # before the file exists: no empty mail left
        if not self._made:
            private_dir(self.directory)
            self._made = True
        path = self.directory / f"{self.tag(reference)}-{secrets.token_hex(8)}.eml"
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileNotFoundError:  # the folder was removed since: make it again, once
            private_dir(self.directory)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            # One write per mail (a buffered file object costs three more system calls).
            while data:
                data = data[os.write(descriptor, data) :]
        except OSError:
            path.unlink(missing_ok=True)  # a full disk leaves no truncated mail behind
            raise
        finally:
            os.close(descriptor)
        log.debug("mail for %s written", reference)

    def forget(self, reference: str) -> int:
        """Deletes the reference's `.eml` files: they hold the mandant's name and QR code."""
        removed = 0
        for path in self.files_for(reference):
            path.unlink(missing_ok=True)
            removed += 1
        return removed


class SmtpMailer:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    def send(self, message: Message, reference: str) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=10) as client:
                # Notices carry names and QR codes: never in clear on the network. A relay
                # without STARTTLS gets nothing (logged below), the validation stands.
                client.starttls(context=ssl.create_default_context())
                client.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            # A lost notification must never undo a validation: log and carry on.
            log.warning("mail for %s not sent: %s", reference, type(exc).__name__)

    def forget(self, reference: str) -> int:
        return 0  # nothing kept: sent mail lives in the recipients' mailboxes


# The QR code is encoded by zxing-cpp's writer (C++, it picks the mask itself): segno, in pure
# Python, took ~5 ms for a 200-character payload and ~12 ms for a signed request with long
# names, even with its mask pinned, which made creating a request (and seeding the demo)
# slow. The PNG is written here as 1-bit grayscale from zxing-cpp's one-byte-a-module image
# with a few whole-image byte operations (no loop over pixels); zlib level 1, as level 6 takes
# longer than the encoding for ~25 % less on a 2-3 kB image. A test decodes it back.
_SCALE, _BORDER = 6, 4
_TO_BITS = bytes.maketrans(b"\x00\xff", b"01")  # dark module -> black (0), light -> white (1)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _png_1bit(modules: bytes, count: int, scale: int, border: int) -> bytes:
    """A black-on-white 1-bit grayscale PNG of `count` x `count` modules given one byte each
    (0 dark, 255 light), row after row: `scale` pixels a module, `border` modules of margin."""
    side = (count + 2 * border) * scale
    row_bytes = (side + 7) // 8
    left = b"1" * (border * scale)
    right = left + b"1" * (-side % 8)  # margin, then padding to a whole byte
    bits = modules.translate(_TO_BITS)
    wide = bytearray(count * count * scale)  # every module `scale` bits wide
    for offset in range(scale):
        wide[offset::scale] = bits
    width = count * scale
    lines = b"".join(left + wide[at : at + width] + right for at in range(0, len(wide), width))
    packed = int(lines, 2).to_bytes(row_bytes * count, "big")  # base 2: no digit limit
    rows = (
        (b"\x00" + packed[at : at + row_bytes]) * scale  # filter type 0, then the row
        for at in range(0, len(packed), row_bytes)
    )
    quiet = (b"\x00" + b"\xff" * row_bytes) * (border * scale)
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    pixels = zlib.compress(quiet + b"".join(rows) + quiet, 1)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def qr_png(text: str) -> bytes:
    """The QR code of `text` as PNG bytes (error correction M, readable on a phone screen)."""
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)  # one gray byte a module, square
    # The stub leaves out that Image exposes its pixels through the buffer protocol.
    modules = memoryview(image).tobytes()  # type: ignore[arg-type]
    return _png_1bit(modules, image.shape[1], _SCALE, _BORDER)


# The notices (one per validation and register check) are built with the compat32 API:
# EmailMessage's default policy parses and refolds every header in pure Python (~1.1 ms a
# message, against ~0.4 ms here); the bytes are an equivalent UTF-8 quoted-printable mail.
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP
_UTF8_QP.header_encoding = QP


_LINE_MAX = 78  # RFC 5322, section 2.1.1 (and an encoded word is at most 75, RFC 2047)


def notice(sender: str, to: str, subject: str, body: str) -> Message:
    """A plain-text notification (UTF-8, quoted-printable body, RFC 2047 subject)."""
    mail = MIMEText(body, "plain", _UTF8_QP)  # type: ignore[arg-type]
    mail["From"], mail["To"] = sender, to
    # A notice's subject fits one encoded word: the charset encodes it in ~3 µs, where
    # Header's folding takes ~65 µs; a longer one is folded by Header.
    encoded = _UTF8_QP.header_encode(subject)
    if len("Subject: ") + len(encoded) <= _LINE_MAX:
        mail["Subject"] = encoded
    else:  # a Header object, not its text: the generator folds it after the field's name
        mail["Subject"] = Header(subject, "utf-8", header_name="Subject")  # type: ignore[assignment]
    return mail


def message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail.set_content(body)
    return mail


def request_received(
    sender: str, to: str, reference: str, qr_text: str, body: str, *, subject: str | None = None
) -> EmailMessage:
    """The first mail: the reference in text and the QR code as an inline PNG (a proxy's by
    default; a résiliation's gives its own `subject`)."""
    mail = message(sender, to, subject or f"Votre demande de procuration {reference}", body)
    html = (
        f"<p>{body.replace(chr(10), '<br>')}</p>"
        f'<p><img src="cid:qr-{reference}" alt="QR code {reference}"></p>'
    )
    mail.add_alternative(html, subtype="html")
    html_part = next(part for part in mail.iter_parts() if part.get_content_type() == "text/html")
    assert isinstance(html_part, EmailMessage)
    html_part.add_related(qr_png(qr_text), "image", "png", cid=f"<qr-{reference}>")
    return mail

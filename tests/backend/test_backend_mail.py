"""The "request received" mail: a person opens the .eml and scans its QR from a phone."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from backend_helpers import World, request_body

from backend.context import Backend
from backend.mailer import FileMailer, notice, qr_png
from backend.services import requests
from backend.services.schemas import RequestCreate

cv2 = pytest.importorskip("cv2")
numpy = pytest.importorskip("numpy")
zxingcpp = pytest.importorskip("zxingcpp")


def test_received_mail_carries_the_reference_and_a_readable_qr(
    world: World, backend: Backend
) -> None:
    created = requests.create(backend, RequestCreate.model_validate(request_body()))
    assert isinstance(backend.mailer, FileMailer)
    (path,) = backend.mailer.files_for(created.reference)
    mail = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(mail, EmailMessage)
    assert created.reference in mail["Subject"]
    text = mail.get_body(("plain",))
    assert text is not None and created.reference in text.get_content()
    (image,) = [part for part in mail.walk() if part.get_content_type() == "image/png"]
    pixels = cv2.imdecode(numpy.frombuffer(image.get_content(), numpy.uint8), 0)
    # QR only, as the counter reads: a dense QR can also hold a spurious EAN-13 pattern.
    decoded = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in decoded] == [created.qr]


def test_qr_image_is_level_m_six_pixels_a_module_in_a_four_module_quiet_zone(
    world: World, backend: Backend
) -> None:
    created = requests.create(backend, RequestCreate.model_validate(request_body()))
    pixels = cv2.imdecode(numpy.frombuffer(qr_png(created.qr), numpy.uint8), 0)
    (code,) = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
    assert (code.text, code.ec_level) == (created.qr, "M")
    symbol = zxingcpp.create_barcode(created.qr, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = numpy.asarray(symbol.to_image(add_quiet_zones=False))
    expected = numpy.pad(modules.repeat(6, axis=0).repeat(6, axis=1), 4 * 6, constant_values=255)
    assert numpy.array_equal(pixels, expected)


@pytest.mark.parametrize(
    "subject",
    [
        "Procuration 7K3QZ9 : acceptée par la commune",
        # Too long for one encoded word: folded into several, read back whole.
        "Procuration 7K3QZ9 : refusée par la commune de Saint-Rémy-en-Bouzemont-Saint-Genest",
    ],
)
def test_a_notice_reads_back_with_its_accented_subject_and_text(
    tmp_path: Path, subject: str
) -> None:
    body = "Votre procuration 7K3QZ9 a été validée à 10 h 02.\n\nElle est établie."
    mailer = FileMailer(tmp_path / "outbox-mail")
    mailer.send(notice("ne-pas-repondre@example.fr", "zoé@example.fr", subject, body), "7K3QZ9")
    (path,) = mailer.files_for("7K3QZ9")
    raw = path.read_bytes()
    assert all(len(line) <= 78 for line in raw.splitlines())  # RFC 5322's line length
    mail = message_from_bytes(raw, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    assert mail["Subject"] == subject
    text = mail.get_body(("plain",))
    assert text is not None and text.get_content().strip() == body
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_mail_folder_removed_between_two_notices_is_made_again_owner_only(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "outbox-mail"
    mailer = FileMailer(folder)
    mailer.send(notice("a@example.fr", "b@example.fr", "Procuration", "un"), "7K3QZ9")
    shutil.rmtree(folder)
    mailer.send(notice("a@example.fr", "b@example.fr", "Procuration", "deux"), "7K3QZ9")
    assert len(mailer.files_for("7K3QZ9")) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_full_disk_leaves_no_truncated_mail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailer = FileMailer(tmp_path / "outbox-mail")

    def full(_descriptor: int, _data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError):
        mailer.send(notice("a@example.fr", "b@example.fr", "Procuration", "texte"), "7K3QZ9")
    assert mailer.files_for("7K3QZ9") == []

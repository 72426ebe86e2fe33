"""Résiliation end to end (L75, issue #11): a proxy established through the real counter
client, a résiliation requested with the CLI, scanned from its mailed QR code and validated
at the counter by the real client objects; the proxy is then `cancelled` on the commune's
side, and the commune and the mandataire are told by mail."""

from __future__ import annotations

import email
import email.header
import email.message
import time
from collections.abc import Callable
from pathlib import Path

from backend.mailer import FileMailer
from desktop.services.counter import Counter
from desktop.services.ports import DeliveryState, LookupSource
from procuration.models import RequestKind, RequestStatus

from .conftest import World
from .harness import (
    ALL_CHECKED,
    COMMUNE,
    STATION,
    places_commands,
    qr_text_of,
    request_body,
    request_command,
    run_cli_batch,
    validate,
)
from .test_e2e_counter import commune_proxy, station_journal

Login = Callable[[str], Counter]
MAIRIE = "mairie@paris.example.fr"
MANDATAIRE_MAIL = "mandataire@example.fr"


def _mails(data_dir: Path, reference: str) -> dict[str, str]:
    """The `.eml` notices written for `reference`: recipient -> plain text."""
    told = {}
    for path in FileMailer(data_dir / "outbox-mail").files_for(reference):
        message = email.message_from_bytes(path.read_bytes())
        parts = message.walk() if message.is_multipart() else [message]
        text = "".join(
            part.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
            for part in parts
            if part.get_content_type() == "text/plain"
        )
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        told[str(message["To"])] = f"{subject}\n{text}"
    return told


def _proxy_with_a_mandataire_mail(world: World) -> str:
    body = request_body()
    body["mandataire"]["email"] = MANDATAIRE_MAIL
    base = ["--data-dir", str(world.data_dir)]
    commands = [
        *places_commands(world.data_dir, world.work, [body]),
        [*base, "commune", "add", "--insee", COMMUNE, "--name", "Paris", "--email", MAIRIE],
        request_command(world.data_dir, world.work, body),
    ]
    return run_cli_batch(commands)[-1]


def _commune_cli(world: World) -> dict[str, str]:
    """`guichet-backend commune proxies`: reference -> status, as the mairie reads it."""
    base = ["--data-dir", str(world.data_dir)]
    (listing,) = run_cli_batch(
        [[*base, "commune", "proxies", "--insee", COMMUNE, "--as", "COM005"]]
    )
    rows = [line.split(";") for line in listing.splitlines()[1:]]
    return {row[0]: row[1] for row in rows}


def test_request_established_resiliation_validated_at_the_counter_cancels_and_tells(
    world: World, officer_at_counter: Login
) -> None:
    counter = officer_at_counter("OPJ001")
    proxy = _proxy_with_a_mandataire_mail(world)
    validate(counter, proxy)
    assert commune_proxy(world, proxy)["status"] == "established"

    base = ["--data-dir", str(world.data_dir)]
    (resiliation,) = run_cli_batch([[*base, "request", "resiliation", "--reference", proxy]])
    received = _mails(world.data_dir, resiliation)
    assert "Demande de résiliation reçue" in received[next(iter(received))]

    # Scanned from the QR image the mail carries, then checked and validated as usual.
    lookup = counter.lookup(qr_text_of(world.data_dir, resiliation))
    shown = lookup.response
    assert lookup.source is LookupSource.ONLINE
    assert (shown.reference, shown.kind) == (resiliation, RequestKind.RESILIATION)
    assert shown.cancels is not None and shown.cancels.reference == proxy
    assert shown.cancels.status is RequestStatus.ESTABLISHED
    assert shown.mandataire is not None and shown.mandataire.birth_name.startswith("DURAND-")
    outcome = counter.validate(lookup, ALL_CHECKED)
    assert outcome.state is DeliveryState.TRANSMITTED

    assert _commune_cli(world)[proxy] == "cancelled"
    told = _wait_for_mails(world.data_dir, proxy, {MAIRIE, MANDATAIRE_MAIL})
    assert f"la procuration {proxy} est résiliée" in told[MAIRIE]
    assert f"La procuration {proxy}" in told[MANDATAIRE_MAIL]
    assert "ne pouvez plus voter" in told[MANDATAIRE_MAIL]
    assert any("est résiliée" in text for text in _mails(world.data_dir, resiliation).values())
    journal = station_journal(world, STATION)
    (entry,) = [e for e in journal if e["reference"] == resiliation and e["actor"] == "OPJ001"
                and e["kind"] != "request.lookup"]  # fmt: skip
    assert entry["kind"] == "resiliation.validated"
    assert entry["detail"]["cancels"] == proxy


def _wait_for_mails(
    data_dir: Path, reference: str, recipients: set[str], timeout: float = 10.0
) -> dict[str, str]:
    """Notices are written once the validation committed; give the server a moment."""
    deadline = time.monotonic() + timeout
    while True:
        told = _mails(data_dir, reference)
        if recipients <= told.keys() or time.monotonic() > deadline:
            return told
        time.sleep(0.1)

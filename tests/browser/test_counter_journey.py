"""The whole journey of a voter without a certified identity: the portal, the mail (its QR
decoded), the counter (the client's real `Counter` objects against the same backend), the
register checks, the commune's acceptance in its portal, and the voter's page again."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from backend.mailer import FileMailer
from backend.services import auth
from desktop.services.ports import DeliveryState
from tests.e2e.harness import make_counter, validate

from .conftest import AGENT, ELECTION, OFFICER, PASSWORD, STATION, Portals
from .support import MAI, agent_login, fill_request, qr_of, send_request, voter_login

pytestmark = pytest.mark.browser


def _mail(portals: Portals, reference: str) -> EmailMessage:
    first = FileMailer(portals.backend.settings.data_dir / "outbox-mail").files_for(reference)
    message = email.message_from_bytes(first[0].read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _qr_from_mail(message: EmailMessage) -> str:
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1
    return qr_of(images[0].get_content())


def _wait_for(page: Page, words: str) -> None:
    for _ in range(30):  # the register checks run every second
        page.reload()
        if page.get_by_text(words).count():
            return
        page.wait_for_timeout(500)
    expect(page.get_by_text(words)).to_be_visible()


def test_portal_mail_counter_commune_and_back_to_the_voter(
    page: Page, browser: Browser, portals: Portals, tmp_path: Path
) -> None:
    voter_login(page, portals.url, "camille.martin")
    # Another mandataire than the other tests': Paul MARTIN may hold one proxy in France.
    fill_request(page, portals.url, ELECTION, MAI)
    reference = send_request(page)

    qr_text = _qr_from_mail(_mail(portals, reference))  # what the voter shows at the counter
    counter = make_counter(tmp_path / "counter")
    try:
        code = auth.issue_enrolment_code(portals.backend, OFFICER)
        counter.enroll(portals.url, None, code, "Guichet 1")
        counter.login(OFFICER, PASSWORD)
        lookup, outcome = validate(counter, qr_text)
    finally:
        counter.close()
    assert lookup.response.reference == reference
    assert lookup.response.identity.birth_name == "MARTIN"  # the provider's, not typed
    assert outcome.state is DeliveryState.TRANSMITTED

    _wait_for(page, "Établie, transmise à la commune")
    agent_page = browser.new_context(locale="fr-FR").new_page()
    agent_login(agent_page, portals.url, AGENT, PASSWORD, portals.totp)
    agent_page.goto(f"{portals.url}/commune/procurations/{reference}")
    expect(agent_page.get_by_text(f"unité {STATION}")).to_be_visible()  # who established it
    agent_page.get_by_role("button", name="Accepter la procuration").click()
    expect(agent_page.get_by_text("Acceptée par la commune")).to_be_visible()
    agent_page.context.close()

    page.reload()
    expect(page.get_by_text("Acceptée par la commune")).to_be_visible()

"""The fully online journey and the commune's side in a real browser: a certified voter's
proxy is established without a counter, the commune agent logs in with password and TOTP,
finds it, accepts it, prints the register, and the voter reads "acceptée"."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from backend.storage.engine import transaction
from backend.storage.tables import JournalRow
from procuration.wire import JournalKind

from .conftest import AGENT, ELECTION, PASSWORD, Portals
from .support import (
    agent_login,
    assert_accessible,
    fill_request,
    fits_width,
    install_axe,
    send_request,
    voter_login,
)

pytestmark = pytest.mark.browser


def _journal(portals: Portals, kind: JournalKind) -> list[tuple[str | None, str | None]]:
    with transaction(portals.backend.sessions) as session:
        rows = session.execute(
            select(JournalRow.actor, JournalRow.reference).where(JournalRow.kind == kind)
        )
        return [(actor, reference) for actor, reference in rows]


def _agent_page(browser: Browser) -> Page:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    install_axe(page)
    return page


def test_a_certified_voter_is_established_online_and_the_commune_accepts(
    page: Page, browser: Browser, portals: Portals
) -> None:
    voter_login(page, portals.url, "karim.benali")
    fill_request(page, portals.url, ELECTION)
    reference = send_request(page)
    expect(
        page.get_by_role("heading", name="Établie en ligne, sans passage au guichet")
    ).to_be_visible()
    for _ in range(30):  # the register checks run every second in the background
        page.reload()
        if page.get_by_text("Établie, transmise à la commune").count():
            break
        page.wait_for_timeout(500)
    expect(page.get_by_text("Établie, transmise à la commune")).to_be_visible()
    assert (None, reference) in _journal(portals, JournalKind.VALIDATION_ONLINE)
    portals.screenshot(page, "portail-etablie-en-ligne")

    agent = _agent_page(browser)
    agent.goto(portals.url + "/commune/")
    assert_accessible(agent)
    portals.screenshot(agent, "commune-connexion")
    agent_login(agent, portals.url, AGENT, PASSWORD, portals.totp)
    assert_accessible(agent)
    agent.select_option("#statut", "established")
    agent.fill("#q", "benali")
    agent.get_by_role("button", name="Filtrer").click()
    expect(agent.get_by_role("link", name=reference)).to_be_visible()
    assert agent.locator("tbody tr").count() == 1
    portals.screenshot(agent, "commune-procurations")

    agent.get_by_role("link", name=reference).click()
    expect(agent.get_by_text(re.compile("en ligne le .* \\(identité certifiée\\)"))).to_be_visible()
    assert_accessible(agent)
    portals.screenshot(agent, "commune-procuration")
    agent.get_by_role("button", name="Accepter la procuration").click()
    expect(agent.get_by_text("Acceptée par la commune")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Acceptée par la commune")).to_be_visible()

    register = agent.request.get(portals.url + "/commune/registre.csv")
    assert reference in register.text()
    printed = agent.request.get(portals.url + "/commune/registre.pdf")
    assert printed.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(printed.body())).pages)
    assert reference in text and "en ligne" in text and "BENALI" in text
    # Every read of personal data, journalled with the agent's account.
    consulted = _journal(portals, JournalKind.COMMUNE_CONSULTED)
    assert (AGENT, reference) in consulted
    assert sum(actor == AGENT for actor, _ in consulted) >= 4  # list x2, proxy, CSV, PDF
    agent.context.close()


def test_the_agent_needs_both_the_password_and_the_code(browser: Browser, portals: Portals) -> None:
    agent = _agent_page(browser)
    agent.goto(portals.url + "/commune/")
    agent.fill("#matricule", AGENT)
    agent.fill("#password", "pas-le-bon")
    agent.get_by_role("button", name="Continuer").click()
    expect(agent.get_by_role("alert")).to_contain_text("Matricule ou mot de passe incorrect")
    agent.fill("#matricule", AGENT)
    agent.fill("#password", PASSWORD)
    agent.get_by_role("button", name="Continuer").click()
    expect(agent).to_have_url(re.compile(r"/commune/code$"))
    assert_accessible(agent)
    portals.screenshot(agent, "commune-code")
    agent.goto(portals.url + "/commune/procurations")  # the password alone opens nothing
    expect(agent).to_have_url(re.compile(r"/commune/$"))
    agent.goto(portals.url + "/commune/code")
    agent.fill("#code", "000000")
    agent.get_by_role("button", name="Se connecter").click()
    expect(agent.get_by_role("alert")).to_contain_text("Ce code n'est pas le bon")
    agent.context.close()


def test_the_commune_portal_fits_a_phone(browser: Browser, portals: Portals) -> None:
    agent = _agent_page(browser)
    agent.set_viewport_size({"width": 360, "height": 740})
    agent_login(agent, portals.url, AGENT, PASSWORD, portals.totp)
    assert fits_width(agent)
    assert_accessible(agent)
    portals.screenshot(agent, "commune-procurations-360px")
    agent.context.close()

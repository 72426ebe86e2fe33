"""Résiliation in the voter portal: the button on one's own proxy, the confirmation with its
reference and QR code, the mail, the counter's validation by the client's real objects, and
the proxy shown "Résiliée"; for a certified identity, cancelled at once without a counter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from backend.services import auth
from desktop.services.ports import DeliveryState
from tests.e2e.harness import make_counter, validate

from .conftest import ELECTION, OFFICER, PASSWORD, Portals
from .support import (
    CAMILLE,
    HELENE,
    assert_accessible,
    fill_request,
    qr_of,
    send_request,
    voter_login,
)
from .test_counter_journey import _mail, _qr_from_mail, _wait_for

pytestmark = pytest.mark.browser
RESILIER = "Résilier cette procuration"


def _at_the_counter(portals: Portals, qr_text: str, where: Path) -> DeliveryState:
    counter = make_counter(where)
    try:
        code = auth.issue_enrolment_code(portals.backend, OFFICER)
        counter.enroll(portals.url, None, code, "Guichet 1")
        counter.login(OFFICER, PASSWORD)
        _, outcome = validate(counter, qr_text)
    finally:
        counter.close()
    return outcome.state


def _ask_resiliation(page: Page, portals: Portals, proxy: str) -> str:
    page.goto(f"{portals.url}/portail/procurations/{proxy}")
    page.get_by_role("button", name=f"Résilier cette procuration {proxy}").click()
    expect(page).to_have_url(re.compile(r"/portail/procurations/[0-9A-Z]{6}$"))
    resiliation = page.url.rsplit("/", 1)[-1]
    assert resiliation != proxy
    return resiliation


def test_a_voter_cancels_a_proxy_validated_at_the_counter(
    page: Page, portals: Portals, tmp_path: Path
) -> None:
    voter_login(page, portals.url, "camille.martin")  # not certified: counter path
    fill_request(page, portals.url, ELECTION, HELENE, "69123")
    proxy = send_request(page)
    state = _at_the_counter(portals, _qr_from_mail(_mail(portals, proxy)), tmp_path / "c1")
    assert state is DeliveryState.TRANSMITTED
    _wait_for(page, "Établie, transmise à la commune")
    page.goto(portals.url + "/portail/procurations")
    expect(page.get_by_role("button", name=f"Résilier cette procuration {proxy}")).to_be_visible()

    resiliation = _ask_resiliation(page, portals, proxy)
    expect(page.get_by_role("heading", name=f"Résiliation {resiliation}")).to_be_visible()
    expect(page.get_by_text(f"annule votre procuration {proxy}")).to_be_visible()
    expect(page.get_by_text(re.compile("Présentez-vous au guichet avant le"))).to_be_visible()
    assert_accessible(page)
    portals.screenshot(page, "portail-resiliation")
    shown = page.request.get(f"{portals.url}/portail/procurations/{resiliation}/qr.png")
    qr_text = _qr_from_mail(_mail(portals, resiliation))
    # The page's code is the mail's (signed again, so only its time differs).
    assert len(qr_of(shown.body())) == len(qr_text)

    # Asked twice: the same résiliation, not a second one.
    assert _ask_resiliation(page, portals, proxy) == resiliation

    assert _at_the_counter(portals, qr_text, tmp_path / "c2") is DeliveryState.TRANSMITTED
    page.goto(f"{portals.url}/portail/procurations/{proxy}")
    expect(page.get_by_text("Résiliée", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=RESILIER)).to_have_count(0)
    page.goto(f"{portals.url}/portail/procurations/{resiliation}")
    expect(page.get_by_text("Résiliation validée : la procuration est résiliée")).to_be_visible()
    # Validated: its code serves no one any more.
    qr_address = f"{portals.url}/portail/procurations/{resiliation}/qr.png"
    assert page.request.get(qr_address).status == 404


def test_a_certified_identity_cancels_online_at_once(page: Page, portals: Portals) -> None:
    voter_login(page, portals.url, "karim.benali")  # certified: no counter either way
    fill_request(page, portals.url, ELECTION, CAMILLE)
    proxy = send_request(page)
    _wait_for(page, "Établie, transmise à la commune")

    resiliation = _ask_resiliation(page, portals, proxy)
    online = page.get_by_role("heading", name="Résiliée en ligne, sans passage au guichet")
    expect(online).to_be_visible()
    expect(page.get_by_text("Présentez-vous au guichet")).to_have_count(0)
    assert_accessible(page)
    portals.screenshot(page, "portail-resiliation-en-ligne")
    told = _mail(portals, resiliation).get_body(("plain",))
    assert told is not None and f"procuration {proxy} est résiliée" in told.get_content()
    page.goto(f"{portals.url}/portail/procurations/{proxy}")
    expect(page.get_by_text("Résiliée", exact=True)).to_be_visible()


def test_only_the_mandant_may_cancel_and_only_with_the_csrf_token(
    page: Page, browser: Browser, portals: Portals
) -> None:
    voter_login(page, portals.url, "lea.fontaine")
    fill_request(page, portals.url, ELECTION, HELENE, "69123")
    proxy = send_request(page)
    address = f"{portals.url}/portail/procurations/{proxy}/resiliation"
    assert page.request.post(address, form={"csrf": "autre"}).status == 403

    other = browser.new_context(locale="fr-FR")
    stranger = other.new_page()
    voter_login(stranger, portals.url, "camille.martin")
    token = stranger.locator("[name=csrf]").first.get_attribute("value") or ""
    refused = stranger.request.post(address, form={"csrf": token})
    assert refused.status == 409  # not theirs: said as not cancellable, nothing created
    assert "ne peut plus être résiliée" in refused.text()
    other.close()

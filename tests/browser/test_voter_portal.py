"""The voter's journey in a real browser: login through the identity provider, the request
form with its checks and the roll's answer, the confirmation with reference, QR and mail."""

from __future__ import annotations

import email
import re
from email import policy

import pytest
from playwright.sync_api import Page, expect

from backend.mailer import FileMailer

from .conftest import ELECTION, Portals
from .support import assert_accessible, fill_request, fits_width, qr_of, send_request, voter_login

pytestmark = pytest.mark.browser


def test_a_voter_logs_in_asks_for_a_proxy_and_gets_its_reference_qr_and_mail(
    page: Page, portals: Portals
) -> None:
    page.goto(portals.url + "/portail/")
    assert_accessible(page)
    portals.screenshot(page, "portail-accueil")
    voter_login(page, portals.url, "camille.martin")
    expect(page.get_by_role("heading", name="Mes procurations")).to_be_visible()
    assert_accessible(page)

    fill_request(page, portals.url, ELECTION)
    # The roll's answer, before anything is sent.
    expect(page.get_by_text("Cet électeur est inscrit à Paris.")).to_be_visible()
    expect(page.get_by_text("Vous êtes inscrit·e à Paris.")).to_be_visible()
    assert_accessible(page)
    portals.screenshot(page, "portail-verification")

    reference = send_request(page)
    expect(page.get_by_role("heading", name=f"Procuration {reference}")).to_be_visible()
    expect(page.get_by_text("En attente de validation au guichet")).to_be_visible()
    expect(page.get_by_text(re.compile("Présentez-vous au guichet avant le"))).to_be_visible()
    assert_accessible(page)
    portals.screenshot(page, "portail-confirmation")

    qr = page.request.get(f"{portals.url}/portail/procurations/{reference}/qr.png")
    assert qr.headers["content-type"] == "image/png"
    assert qr_of(qr.body()).startswith("MPR1:")

    mails = FileMailer(portals.backend.settings.data_dir / "outbox-mail").files_for(reference)
    message = email.message_from_bytes(mails[0].read_bytes(), policy=policy.default)
    assert message["To"] == "camille.martin@demo.example"
    assert reference in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    page.goto(portals.url + "/portail/procurations")
    expect(page.get_by_role("link", name=f"Procuration {reference}")).to_be_visible()
    portals.screenshot(page, "portail-procurations")


def test_the_qr_code_is_served_to_its_owner_only(page: Page, portals: Portals) -> None:
    voter_login(page, portals.url, "camille.martin")
    fill_request(page, portals.url, ELECTION)
    reference = send_request(page)
    qr_address = f"{portals.url}/portail/procurations/{reference}/qr.png"
    assert page.request.get(qr_address).status == 200

    other = page.context.browser.new_context()  # type: ignore[union-attr]
    stranger = other.new_page()
    assert stranger.request.get(qr_address).status == 403  # not logged in
    voter_login(stranger, portals.url, "lea.fontaine")
    assert stranger.request.get(qr_address).status == 404  # someone else's
    other.close()


def test_a_form_with_mistakes_gets_a_french_summary_and_marked_fields(
    page: Page, portals: Portals
) -> None:
    voter_login(page, portals.url, "camille.martin")
    page.goto(portals.url + "/portail/demande")
    page.locator("label[for=scope_kind-period]").click()  # what a person clicks
    page.fill("#start", "2001-01-01")
    page.fill("#end", "2001-02-01")
    page.fill("#m_birth_name", "M4rtin")
    page.get_by_role("button", name="Vérifier ma demande").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("erreurs à corriger")
    expect(summary).to_contain_text("Choisissez votre commune d'inscription")
    expect(summary).to_contain_text("La période doit commencer aujourd'hui ou plus tard")
    expect(summary).to_contain_text("Saisissez le nom de naissance du mandataire")
    expect(page.locator("#m_birth_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#m_birth_name")).to_have_value("M4rtin")  # what was typed stays
    expect(page).to_have_title(re.compile("^Erreur"))
    assert_accessible(page)
    portals.screenshot(page, "portail-demande-erreurs")


def test_naming_oneself_as_mandataire_is_refused(page: Page, portals: Portals) -> None:
    voter_login(page, portals.url, "camille.martin")
    fill_request(page, portals.url, ELECTION)
    page.get_by_role("button", name="Modifier").click()
    page.fill("#m_birth_name", "MARTIN")
    page.fill("#m_first_names", "Camille Anne")
    page.fill("#m_birth_date", "1984-03-14")
    page.get_by_role("button", name="Vérifier ma demande").click()
    expect(page.get_by_role("alert")).to_contain_text("Vous ne pouvez pas vous désigner vous-même")


def test_a_form_posted_without_its_csrf_token_is_refused(page: Page, portals: Portals) -> None:
    voter_login(page, portals.url, "camille.martin")
    page.goto(portals.url + "/portail/demande")
    page.evaluate(
        "document.querySelector('form[action=\"/portail/demande\"] [name=csrf]').remove()"
    )
    with page.expect_response(re.compile(r"/portail/demande$")) as posted:
        page.get_by_role("button", name="Vérifier ma demande").click()
    assert posted.value.status == 403
    expect(page.get_by_role("heading", name="Formulaire refusé")).to_be_visible()
    # Another site's form, with a token of its own: refused too.
    answer = page.request.post(portals.url + "/portail/deconnexion", form={"csrf": "autre"})
    assert answer.status == 403


def test_every_page_is_usable_at_a_phone_width(page: Page, portals: Portals) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(portals.url + "/portail/")
    assert fits_width(page)
    voter_login(page, portals.url, "karim.benali")
    for path in ("/portail/procurations", "/portail/demande"):
        page.goto(portals.url + path)
        assert fits_width(page), path
        assert_accessible(page)
    portals.screenshot(page, "portail-demande-360px")
    # The header's links are behind the menu button on a phone, and work.
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("dialog").get_by_role("link", name="Mes procurations")).to_be_visible()


def test_the_portal_works_with_the_keyboard_alone(page: Page, portals: Portals) -> None:
    page.goto(portals.url + "/portail/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"  # a visible focus
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"
    for _ in range(10):  # from the content, Tab reaches the login link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").find("FranceConnect") >= 0:
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/oauth2/authorize"))


def test_no_page_breaks_the_content_security_policy(page: Page, portals: Portals) -> None:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    voter_login(page, portals.url, "camille.martin")
    for path in ("/portail/", "/portail/demande", "/commune/"):
        page.goto(portals.url + path)
    answer = page.request.get(portals.url + "/portail/demande")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["mpr_portail"]["httpOnly"] and cookies["mpr_portail"]["sameSite"] == "Lax"
    assert refused == []


def test_a_name_is_checked_when_the_voter_leaves_the_field(page: Page, portals: Portals) -> None:
    voter_login(page, portals.url, "camille.martin")
    page.goto(portals.url + "/portail/demande")
    field = page.locator("#m_birth_name")
    field.fill("M4rtin")
    page.keyboard.press("Tab")
    expect(page.locator("#m_birth_name-erreur")).to_contain_text(
        "Saisissez le nom de naissance du mandataire"
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    field.fill("Martin")
    page.keyboard.press("Tab")
    expect(page.locator("#m_birth_name-erreur")).to_have_count(0)
    expect(field).not_to_have_attribute("aria-invalid", "true")

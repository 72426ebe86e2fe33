"""The commune corrects the register's "not on the roll" verdict in its portal: a reason from
the fixed list, the proxy accepted, the voter told; the L73 cap still applies (409, in
French); the form without its CSRF token is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from backend.web.webkey import totp_secret

from .conftest import AGENT2, ELECTION, PASSWORD, Portals
from .support import KARIM, agent_login, assert_accessible, fill_request, send_request, voter_login
from .test_commune_portal import _agent_page
from .test_counter_journey import _wait_for

pytestmark = pytest.mark.browser
NOT_ON_ROLL = "le mandant n'apparaît pas sur la liste électorale de sa commune"


def _void_in_paris(page: Page, portals: Portals) -> str:
    """Léa is on the roll of Lyon: a proxy she asks for in Paris is void for the register."""
    fill_request(page, portals.url, ELECTION, KARIM)
    reference = send_request(page)
    _wait_for(page, NOT_ON_ROLL)
    return reference


def test_the_commune_corrects_a_not_on_roll_verdict(
    page: Page, browser: Browser, portals: Portals
) -> None:
    voter_login(page, portals.url, "lea.fontaine")  # certified: no counter to pass
    corrected, capped = _void_in_paris(page, portals), _void_in_paris(page, portals)

    agent = _agent_page(browser)
    secret = totp_secret(portals.backend.settings, AGENT2)
    agent_login(agent, portals.url, AGENT2, PASSWORD, secret)
    agent.goto(f"{portals.url}/commune/procurations/{corrected}")
    expect(agent.get_by_text("Non établie")).to_be_visible()
    assert_accessible(agent)
    # Without a reason: said, and nothing changes.
    agent.get_by_role("button", name="Corriger le verdict").click()
    expect(agent.get_by_role("alert")).to_contain_text("Choisissez la raison de la correction")
    agent.goto(f"{portals.url}/commune/procurations/{corrected}")
    agent.select_option("#correction", "roll-out-of-date")
    portals.screenshot(agent, "commune-correction")
    agent.get_by_role("button", name="Corriger le verdict").click()
    expect(agent.get_by_text("Acceptée par la commune")).to_be_visible()
    expect(agent.get_by_text("La liste électorale transmise n'était pas à jour")).to_be_visible()
    expect(agent.get_by_role("button", name="Corriger le verdict")).to_have_count(0)

    # Karim now holds Léa's corrected proxy on these days: the second one stays void (L73).
    agent.goto(f"{portals.url}/commune/procurations/{capped}")
    agent.select_option("#correction", "civil-status-mismatch")
    with agent.expect_response(lambda r: r.url.endswith("/correction")) as posted:
        agent.get_by_role("button", name="Corriger le verdict").click()
    assert posted.value.status == 409
    expect(agent.get_by_text("le mandataire détient déjà le nombre maximal")).to_be_visible()
    assert_accessible(agent)

    # Without the session's CSRF token: refused.
    answer = agent.request.post(
        f"{portals.url}/commune/procurations/{capped}/correction",
        form={"csrf": "autre", "correction": "roll-out-of-date"},
    )
    assert answer.status == 403
    agent.context.close()

    page.goto(f"{portals.url}/portail/procurations/{corrected}")
    expect(page.get_by_text("Acceptée par la commune")).to_be_visible()
    page.goto(f"{portals.url}/portail/procurations/{capped}")
    expect(page.get_by_text("Non établie")).to_be_visible()

"""What the browser tests do as a person would: log in, fill in forms, and check each page
with axe-core (WCAG 2.1 A/AA rules) and at a phone's width."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pyotp
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def install_axe(page: Page) -> None:
    """axe-core from node_modules, injected as an init script: the pages' CSP (no inline
    script) stays on, and axe is there on every page the test opens."""
    if not AXE.exists():
        raise AssertionError("axe-core is missing: run `make web-assets` (scripts/web-assets.sh)")
    page.context.add_init_script(path=str(AXE))


def serious_violations(page: Page) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    return [v for v in found if v["impact"] in ("serious", "critical")]


def assert_accessible(page: Page) -> None:
    found = serious_violations(page)
    assert found == [], (page.url, found)


def voter_login(page: Page, url: str, sub: str) -> None:
    """Through the identity provider, as a voter clicks: the portal, FranceConnect, a demo
    identity, back to "Mes procurations"."""
    page.goto(url + "/portail/")
    page.get_by_role("link", name="S'identifier avec FranceConnect").click()
    page.locator(f"button[name=sub][value='{sub}']").click()
    expect(page).to_have_url(re.compile(r"/portail/procurations$"))


PAUL = ("Martin", "paul", "1982-07-01")  # the roll matches however it is written
MAI = ("NGUYEN", "Thi Mai", "1975-02-19")
HELENE = ("Girard", "Hélène", "1968-09-30")  # on the roll of Lyon (69123)
CAMILLE = ("MARTIN", "Camille Anne", "1984-03-14")  # a demo voter, on the roll of Paris
KARIM = ("BENALI", "Karim", "1979-11-02")  # a demo voter, on the roll of Paris


def fill_request(
    page: Page,
    url: str,
    election: str,
    mandataire: tuple[str, str, str] = PAUL,
    mandataire_commune: str = "75056",
) -> None:
    page.goto(url + "/portail/demande")
    page.select_option("#commune", "75056")
    page.locator("label[for=scope_kind-election]").click()
    page.select_option("#election", election)
    page.select_option("#rounds", "1,2")
    page.fill("#m_birth_name", mandataire[0])
    page.fill("#m_first_names", mandataire[1])
    page.fill("#m_birth_date", mandataire[2])
    page.select_option("#m_commune", mandataire_commune)
    page.get_by_role("button", name="Vérifier ma demande").click()


def send_request(page: Page) -> str:
    """From the verification page: sends, returns the reference the confirmation shows."""
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page).to_have_url(re.compile(r"/portail/procurations/[0-9A-Z]{6}$"))
    return page.url.rsplit("/", 1)[-1]


def qr_of(png: bytes) -> str:
    # QR only, as the counter reads: a dense QR can also hold a spurious EAN-13 pattern.
    found = zxingcpp.read_barcodes(Image.open(BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1
    return str(found[0].text)


def agent_login(page: Page, url: str, matricule: str, password: str, secret: str) -> None:
    page.goto(url + "/commune/")
    page.fill("#matricule", matricule)
    page.fill("#password", password)
    page.get_by_role("button", name="Continuer").click()
    page.fill("#code", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/commune/procurations$"))


def fits_width(page: Page) -> bool:
    """No horizontal scrolling: what a phone user would have to pan for."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= page.viewport_size["width"] if page.viewport_size else False

"""The portals' security rules that need no browser: session expiry, CSRF, cookie flags,
the CSP header, the identity taken from the provider only, and the TOTP secrets."""

from __future__ import annotations

import dataclasses
import json
import re
import socket
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import anyio
import httpx
import pyotp
import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI

from backend.api.app import create_app
from backend.config import Settings
from backend.context import Backend, open_backend
from backend.services import admin
from backend.web import request_form, throttle
from backend.web.identity import NO_EMAIL, NO_SEX, IdentityError, identity_from_claims
from backend.web.oidc import Pending
from backend.web.throttle import Throttle
from backend.web.voter import LOGIN, SESSION
from backend.web.webkey import totp_secret, web_key
from procuration.models import Role

IDENTITY = {
    "birth_name": "MARTIN",
    "usage_name": None,
    "first_names": "Camille Anne",
    "birth_date": "1984-03-14",
    "birth_place": "Paris",
    "sex": "F",
    "email": "camille.martin@demo.example",
}


@pytest.fixture
def portal_backend(tmp_path: Path) -> Iterator[Backend]:
    backend = open_backend(Settings(data_dir=tmp_path))
    admin.add_commune(backend, "75056", "Paris")
    yield backend
    backend.close()


class Browser:
    """Requests in order with one cookie jar, over httpx.ASGITransport (starlette's test
    client warns about httpx, and the suite turns warnings into errors)."""

    def __init__(
        self, app: FastAPI, base_url: str = "http://testserver", address: str = "127.0.0.1"
    ) -> None:
        self.app, self.base_url, self.address = app, base_url, address
        self.cookies = httpx.Cookies()

    def request(self, method: str, path: str, **options: object) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=(self.address, 50000))
            async with httpx.AsyncClient(
                transport=transport, base_url=self.base_url, cookies=self.cookies
            ) as http:
                answer = await http.request(method, path, **options)  # type: ignore[arg-type]
                self.cookies = http.cookies
                return answer

        return anyio.run(call)

    def get(self, path: str, **options: object) -> httpx.Response:
        return self.request("GET", path, **options)

    def post(self, path: str, **options: object) -> httpx.Response:
        return self.request("POST", path, **options)


@pytest.fixture
def client(portal_backend: Backend) -> Browser:
    return Browser(create_app(portal_backend, background=False))


def _sealed(backend: Backend, content: dict[str, object], age_seconds: int) -> str:
    fernet = Fernet(web_key(backend.settings))
    made = int(time.time()) - age_seconds
    return fernet.encrypt_at_time(json.dumps(content).encode(), made).decode()


def test_a_voter_session_ends_after_the_idle_limit(
    client: Browser, portal_backend: Backend
) -> None:
    idle = portal_backend.settings.web_session_minutes * 60
    session = {"identity": IDENTITY, "certified": False, "csrf": "x" * 43}
    client.cookies.set(SESSION, _sealed(portal_backend, session, idle - 60))
    assert client.get("/portail/procurations").status_code == 200
    client.cookies = httpx.Cookies({SESSION: _sealed(portal_backend, session, idle + 60)})
    answer = client.get("/portail/procurations")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/portail/"


def test_a_forged_session_cookie_is_no_session(client: Browser) -> None:
    client.cookies.set(SESSION, "gAAAAAB-forged")
    assert client.get("/portail/procurations").status_code == 303


def test_a_form_without_the_session_token_is_refused_with_403(client: Browser) -> None:
    client.get("/commune/")  # the page that shows the form, and its session
    answer = client.post("/commune/connexion", data={"matricule": "M75056", "password": "x"})
    assert answer.status_code == 403
    assert "Formulaire refusé" in answer.text


def test_cookies_are_httponly_samesite_and_secure_under_tls(portal_backend: Backend) -> None:
    app = create_app(portal_backend, background=False)
    cookie = Browser(app, "https://testserver").get("/commune/").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    plain = Browser(app).get("/commune/").headers["set-cookie"]  # loopback HTTP: demo, tests
    assert "Secure" not in plain


def test_every_page_carries_a_csp_without_inline_script(client: Browser) -> None:
    for path in ("/portail/", "/commune/"):
        policy = client.get(path).headers["content-security-policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


def test_the_civil_identity_comes_from_the_provider_never_from_the_form() -> None:
    calendar: dict[str, request_form.Election] = {}
    form = {
        "commune": "75056",
        "scope_kind": "period",
        "start": date.today().isoformat(),
        "end": date.today().isoformat(),
        "m_birth_name": "NGUYEN",
        "m_first_names": "Thi Mai",
        "m_birth_date": "1975-02-19",
        "m_commune": "75056",
        # What a tampered form might add: ignored.
        "birth_name": "INTRUS",
        "birth_date": "2000-01-01",
    }
    checked = request_form.check(form, IDENTITY, {"75056": "Paris"}, calendar, date.today())
    assert checked.errors == {}
    assert checked.body is not None
    assert (checked.body.birth_name, checked.body.birth_date) == ("MARTIN", "1984-03-14")


def test_each_agent_has_a_stable_totp_secret_of_its_own(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = totp_secret(settings, "M75056")
    assert first == totp_secret(settings, "M75056")
    assert first != totp_secret(settings, "M69123")
    assert first != totp_secret(Settings(data_dir=tmp_path / "other"), "M75056")


def test_guessing_an_agent_password_is_stopped_with_429(
    client: Browser, portal_backend: Backend
) -> None:
    admin.add_officer(
        portal_backend,
        admin.NewOfficer("M75099", "Mairie", "Agent", Role.COMMUNE, "le-bon", None, "75056"),
    )
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/commune/").text)
    assert token is not None
    tries = [
        client.post(
            "/commune/connexion",
            data={"csrf": token.group(1), "matricule": "M75099", "password": f"essai-{n}"},
        )
        for n in range(6)
    ]
    assert [t.status_code for t in tries] == [401] * 5 + [429]
    assert int(tries[-1].headers["retry-after"]) > 0
    assert "Trop de tentatives" in tries[-1].text


def test_a_throttle_lets_attempts_through_again_once_the_window_slides() -> None:
    gate = Throttle(limit=2, window_seconds=0.2)
    assert [gate.wait_for("k"), gate.wait_for("k")] == [0, 0]
    assert gate.wait_for("k") > 0
    assert gate.wait_for("other") == 0
    time.sleep(0.25)
    assert gate.wait_for("k") == 0


def test_an_unreachable_identity_provider_is_said_in_french(tmp_path: Path) -> None:
    port = _closed_port()
    backend = open_backend(Settings(data_dir=tmp_path, oidc_issuer=f"http://127.0.0.1:{port}"))
    try:
        answer = Browser(create_app(backend, background=False)).get("/portail/connexion")
    finally:
        backend.close()
    assert answer.status_code == 503
    assert "service d&#39;identification ne répond pas" in answer.text


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_every_correction_a_commune_may_give_has_its_french_label() -> None:
    from backend.services.commune import Correction
    from backend.web import words

    # The portal's list is the service's fixed list: no code without words, no stray words.
    assert set(words.CORRECTIONS) == {correction.value for correction in Correction}


def _agent_in(backend: Backend) -> None:
    admin.add_officer(
        backend,
        admin.NewOfficer("M75099", "Mairie", "Agent", Role.COMMUNE, "le-bon", None, "75056"),
    )


def _csrf(browser: Browser, path: str) -> str:
    token = re.search(r'name="csrf" value="([^"]+)"', browser.get(path).text)
    assert token is not None
    return token.group(1)


def _password(browser: Browser, matricule: str, password: str) -> httpx.Response:
    data = {"csrf": _csrf(browser, "/commune/"), "matricule": matricule, "password": password}
    return browser.post("/commune/connexion", data=data)


def _code(browser: Browser, code: str) -> httpx.Response:
    return browser.post(
        "/commune/code", data={"csrf": _csrf(browser, "/commune/code"), "code": code}
    )


def _right_code(backend: Backend) -> str:
    return pyotp.TOTP(totp_secret(backend.settings, "M75099")).now()


def test_spellings_of_one_matricule_share_one_login_backoff(
    client: Browser, portal_backend: Backend
) -> None:
    _agent_in(portal_backend)
    spellings = ["M75099", " M75099", "M75099 ", "\tM75099", "Ｍ75099", "M75099\u00a0"]
    tries = [_password(client, typed, "essai").status_code for typed in spellings]
    assert tries == [401] * 5 + [429]
    # and the normalised matricule is the one that logs in
    assert (
        _password(Browser(client.app, address="10.0.0.9"), "Ｍ75099 ", "le-bon").status_code == 303
    )


def test_a_guesser_elsewhere_does_not_lock_the_agent_out(
    client: Browser, portal_backend: Backend
) -> None:
    _agent_in(portal_backend)
    guesser = Browser(client.app, address="203.0.113.7")
    assert [_password(guesser, "M75099", f"g-{n}").status_code for n in range(6)][-1] == 429
    agent = Browser(client.app, address="192.0.2.10")  # the agent at the mairie
    answer = _password(agent, "M75099", "le-bon")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/commune/code"


def test_five_wrong_codes_end_the_pending_login_even_with_an_old_cookie(
    client: Browser, portal_backend: Backend
) -> None:
    _agent_in(portal_backend)
    assert _password(client, "M75099", "le-bon").status_code == 303
    saved = httpx.Cookies(client.cookies)
    answers = [_code(client, "000000") for _ in range(5)]
    assert [a.status_code for a in answers] == [401] * 5
    assert "Trop de codes erronés" in answers[-1].text  # the password page again
    assert client.get("/commune/code").headers["location"] == "/commune/"
    client.cookies = saved  # a replayed pending cookie does not start over
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/commune/code").text)
    assert token is not None
    right = {"csrf": token.group(1), "code": _right_code(portal_backend)}
    answer = client.post("/commune/code", data=right)
    assert answer.status_code == 401
    assert "Trop de codes erronés" in answer.text


def test_the_code_step_expires_five_minutes_after_the_password(tmp_path: Path) -> None:
    now = [datetime(2026, 6, 1, 9, 0, tzinfo=UTC)]
    backend = open_backend(Settings(data_dir=tmp_path), clock=lambda: now[0])
    try:
        admin.add_commune(backend, "75056", "Paris")
        _agent_in(backend)
        browser = Browser(create_app(backend, background=False))
        assert _password(browser, "M75099", "le-bon").status_code == 303
        for _ in range(2):  # each page shown re-seals the cookie, without a new deadline
            now[0] += timedelta(minutes=2)
            token = re.search(r'name="csrf" value="([^"]+)"', browser.get("/commune/code").text)
        assert token is not None
        now[0] += timedelta(minutes=1, seconds=1)
        answer = browser.post(
            "/commune/code", data={"csrf": token.group(1), "code": _right_code(backend)}
        )
    finally:
        backend.close()
    assert answer.status_code == 401
    assert "délai pour saisir le code est dépassé" in answer.text


def test_the_commune_search_is_posted_never_put_in_the_address(
    client: Browser, portal_backend: Backend
) -> None:
    _agent_in(portal_backend)
    _password(client, "M75099", "le-bon")
    assert _code(client, _right_code(portal_backend)).headers["location"] == "/commune/procurations"
    listing = client.get("/commune/procurations?q=DUPONT")
    assert 'form method="post" action="/commune/procurations"' in listing.text
    assert "DUPONT" not in listing.text  # a name in a URL is not read
    token = re.search(r'name="csrf" value="([^"]+)"', listing.text)
    assert token is not None
    searched = client.post(
        "/commune/procurations", data={"csrf": token.group(1), "q": "DUPONT", "statut": ""}
    )
    assert searched.status_code == 200
    assert 'value="DUPONT"' in searched.text
    assert client.post("/commune/procurations", data={"q": "DUPONT"}).status_code == 403


CSRF = "c" * 43
REQUEST_FORM = {
    "csrf": CSRF,
    "commune": "75056",
    "scope_kind": "period",
    "m_birth_name": "NGUYEN",
    "m_first_names": "Thi Mai",
    "m_birth_date": "1975-02-19",
    "m_commune": "75056",
}


def _voter(app: FastAPI, backend: Backend, birth_name: str, address: str) -> Browser:
    """A logged-in voter at `address`: the session the provider's callback would give."""
    browser = Browser(app, address=address)
    session = {"identity": {**IDENTITY, "birth_name": birth_name}, "certified": False}
    browser.cookies.set(SESSION, _sealed(backend, {**session, "csrf": CSRF}, 0))
    return browser


def _post_request(voter: Browser, day: date, action: str) -> httpx.Response:
    period = {"start": day.isoformat(), "end": day.isoformat()}
    return voter.post("/portail/demande", data={**REQUEST_FORM, **period, "action": action})


@pytest.fixture
def fresh_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The portal's in-process limits start empty (they are module-wide)."""
    for name in ("VOTER_MANDANT", "VOTER_ADDRESS", "LOOKUP_MANDANT", "LOOKUP_ADDRESS"):
        monkeypatch.setattr(throttle, name, Throttle(limit=100, window_seconds=3600))


@pytest.mark.usefixtures("fresh_limits")
def test_one_voters_requests_never_hold_up_anothers(tmp_path: Path) -> None:
    backend = open_backend(Settings(data_dir=tmp_path, request_rate_per_minute=2))
    try:
        admin.add_commune(backend, "75056", "Paris")
        app, today = create_app(backend, background=False), date.today()
        busy = _voter(app, backend, "MARTIN", "10.0.0.1")
        sent = [_post_request(busy, today, "envoyer") for _ in range(3)]
        other = _post_request(_voter(app, backend, "DURAND", "10.0.0.2"), today, "envoyer")
    finally:
        backend.close()
    # The third request in a minute is over the database's limit: said as such, with when.
    assert [answer.status_code for answer in sent] == [303, 303, 429]
    assert "Trop de tentatives" in sent[-1].text
    assert int(sent[-1].headers["retry-after"]) > 0
    # Another voter, elsewhere, is not counted with the first one.
    assert other.status_code == 303


@pytest.mark.usefixtures("fresh_limits")
def test_checking_the_roll_is_limited_per_mandant_and_per_address(
    monkeypatch: pytest.MonkeyPatch, portal_backend: Backend
) -> None:
    monkeypatch.setattr(throttle, "LOOKUP_MANDANT", Throttle(limit=2, window_seconds=3600))
    monkeypatch.setattr(throttle, "LOOKUP_ADDRESS", Throttle(limit=3, window_seconds=3600))
    app, today = create_app(portal_backend, background=False), date.today()
    one = _voter(app, portal_backend, "MARTIN", "10.0.0.1")
    checks = [_post_request(one, today, "verifier") for _ in range(3)]
    assert [answer.status_code for answer in checks] == [200, 200, 429]
    assert "Trop de tentatives" in checks[-1].text
    # Another mandant from the same address: one more check, then the address is over.
    two = _voter(app, portal_backend, "DURAND", "10.0.0.1")
    assert [_post_request(two, today, "verifier").status_code for _ in range(2)] == [200, 429]
    elsewhere = _voter(app, portal_backend, "DURAND", "10.0.0.2")
    assert _post_request(elsewhere, today, "verifier").status_code == 429  # the mandant's
    assert (
        _post_request(_voter(app, portal_backend, "PETIT", "10.0.0.2"), today, "x").status_code
        == 200
    )


CLAIMS = {
    "family_name": "MARTIN",
    "given_name": "Camille Anne",
    "birthdate": "1984-03-14",
    "birthplace": "75056",
    "gender": "male",
    "email": "camille.martin@demo.example",
}


def test_the_sex_is_taken_from_the_provider_and_never_guessed() -> None:
    assert identity_from_claims(CLAIMS, {"75056": "Paris"})[0]["sex"] == "M"
    female = {**CLAIMS, "gender": "female"}
    assert identity_from_claims(female, {"75056": "Paris"})[0]["sex"] == "F"
    for gender in (None, "", "other"):
        with pytest.raises(IdentityError) as refused:
            identity_from_claims({**CLAIMS, "gender": gender}, {"75056": "Paris"})
        assert refused.value.shown == NO_SEX


def test_an_account_without_email_is_refused_at_login_with_what_to_do() -> None:
    for email in (None, ""):
        with pytest.raises(IdentityError) as refused:
            identity_from_claims({**CLAIMS, "email": email}, {"75056": "Paris"})
        assert "ne transmet pas d'adresse électronique" in refused.value.shown
        assert refused.value.shown == NO_EMAIL


class _Provider:
    """The identity provider's answer, without the provider: the claims it would verify."""

    def __init__(self, claims: dict[str, object]) -> None:
        self.claims = claims

    def finish(self, redirect_uri: str, code: str, pending: Pending) -> dict[str, object]:
        return self.claims


class _Recording:
    """A provider that records the redirect address it is given at each step."""

    def __init__(self) -> None:
        self.redirects: list[str] = []

    def start(self, redirect_uri: str) -> tuple[str, Pending]:
        self.redirects.append(redirect_uri)
        return "https://idp.example/authorize", Pending("s" * 20, "n", "v")

    def finish(self, redirect_uri: str, code: str, pending: Pending) -> dict[str, object]:
        self.redirects.append(redirect_uri)
        return CLAIMS


@pytest.mark.parametrize(
    ("portal_url", "expected"),
    [
        ("https://maprocuration.example/", "https://maprocuration.example"),
        ("", "http://forged.example"),  # the demo: the address the request came to
    ],
)
def test_the_oidc_redirect_is_built_on_the_configured_public_address(
    tmp_path: Path, portal_url: str, expected: str
) -> None:
    """A forged Host header cannot choose where the provider sends the voter back."""
    backend = open_backend(Settings(data_dir=tmp_path, portal_url=portal_url))
    try:
        app = create_app(backend, background=False)
        provider = _Recording()
        app.state.web = dataclasses.replace(app.state.web, provider=provider)
        browser = Browser(app)
        headers = {"Host": "forged.example"}
        assert browser.get("/portail/connexion", headers=headers).status_code == 303
        pending = {"state": "s" * 20, "nonce": "n", "verifier": "v"}
        browser.cookies.set(LOGIN, _sealed(backend, pending, 0))
        browser.get(f"/portail/connexion/retour?state={'s' * 20}&code=c", headers=headers)
    finally:
        backend.close()
    assert provider.redirects == [f"{expected}/portail/connexion/retour"] * 2


def test_the_voter_is_told_at_login_why_the_account_is_not_enough(
    portal_backend: Backend,
) -> None:
    app = create_app(portal_backend, background=False)
    app.state.web = dataclasses.replace(
        app.state.web, provider=_Provider({**CLAIMS, "email": None})
    )
    browser = Browser(app)
    pending = {"state": "s" * 20, "nonce": "n", "verifier": "v"}
    browser.cookies.set(LOGIN, _sealed(portal_backend, pending, 0))
    answer = browser.get(f"/portail/connexion/retour?state={'s' * 20}&code=c")
    assert answer.status_code == 400
    assert "ne transmet pas d&#39;adresse électronique" in answer.text
    assert SESSION not in answer.cookies  # no session: the form would be a dead end

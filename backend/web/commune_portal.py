"""The commune portal (`/commune/`): an agent logs in with password then TOTP code, sees
the commune's proxies (filters, search), accepts or refuses with a reason from the list,
and downloads the register as CSV or printable PDF. Every read of personal data is
journalled (backend.services.agents.journal_read)."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import timedelta
from typing import Any

import pyotp
from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from backend.caller import Caller
from backend.errors import AppError
from backend.services import agents, commune, login_throttle, roll
from backend.services.login_throttle import LoginThrottledError
from backend.storage.names import fold
from backend.web import register_pdf, words
from backend.web.context import Portal, client_address, posted_form, see_other, web_of
from backend.web.cookies import with_csrf
from backend.web.pages import SECURITY_HEADERS, error_page, too_many
from backend.web.webkey import totp_secret
from procuration import timeutil
from procuration.models import RequestStatus, Role

router = APIRouter(prefix="/commune", include_in_schema=False)
PATH = "/commune"
SESSION = "mpr_commune"
FILTERS = {
    "": "Toutes",
    RequestStatus.ESTABLISHED.value: "À décider",
    RequestStatus.ACCEPTED_BY_COMMUNE.value: "Acceptées",
    RequestStatus.REFUSED_BY_COMMUNE.value: "Refusées",
    RequestStatus.INVALID.value: "Non établies (contrôle automatique)",
}
# The code step: at most this long after the password, and ATTEMPT_MISSES wrong codes,
# then the password again (a guesser of codes must keep knowing the password).
PENDING_LIFETIME = timedelta(minutes=5)
AGAIN = "Saisissez de nouveau votre matricule et votre mot de passe, puis le code."


PORTAL = Portal(SESSION, PATH, who="agent", key="agent_name")
_session = PORTAL.session_of
page = PORTAL.page


def normal_matricule(typed: str) -> str:
    """The matricule as stored: NFKC (full-width letters, odd spaces) then stripped. Not
    upper-cased: accounts are looked up case-sensitively (an exact primary key)."""
    return unicodedata.normalize("NFKC", typed).strip()


def _agent(request: Request, session: dict[str, Any]) -> Caller | None:
    """The logged-in agent, read again from the accounts (a closed account loses access)."""
    matricule = session.get("agent")
    if not isinstance(matricule, str):
        return None
    try:
        agent = commune.officer_named(web_of(request).backend, matricule)
    except AppError:
        return None
    return agent if agent.role == Role.COMMUNE and agent.commune_insee else None


@router.get("/")
async def login_page(request: Request) -> Response:
    session = _session(request)
    if session.get("agent"):
        return see_other("/commune/procurations")
    return page(request, "commune/connexion.html", {"error": None}, session)


@router.post("/connexion")
async def login(request: Request) -> Response:
    session = _session(request)
    form = await posted_form(request, session, "/commune/")
    backend = web_of(request).backend
    matricule = normal_matricule(form.get("matricule", ""))
    try:
        agent = await run_in_threadpool(
            agents.password_login,
            backend,
            matricule,
            form.get("password", ""),
            client_address(request),
        )
    except LoginThrottledError as exc:
        return too_many(request, exc.retry_after, "/commune/")
    if agent is None:
        error = "Matricule ou mot de passe incorrect : vérifiez-les et recommencez."
        return page(request, "commune/connexion.html", {"error": error}, session, status=401)
    pending = {
        "pending": agent.matricule,
        "attempt": secrets.token_urlsafe(16),  # counts this step's wrong codes server-side
        "since": timeutil.to_wire(backend.now()),  # sealed: re-sealing keeps the deadline
    }
    response = see_other("/commune/code")
    web_of(request).cookies.write(response, request, SESSION, with_csrf(pending), PATH)
    return response


def _pending_alive(request: Request, session: dict[str, Any]) -> bool:
    since = session.get("since")
    if not isinstance(session.get("pending"), str) or not isinstance(since, str):
        return False
    return web_of(request).backend.now() < timeutil.from_wire(since) + PENDING_LIFETIME


def _start_again(request: Request, error: str) -> Response:
    """The login page with `error`, the pending session ended (the password again)."""
    return page(request, "commune/connexion.html", {"error": error}, {}, status=401)


@router.get("/code")
async def code_page(request: Request) -> Response:
    session = _session(request)
    if not session.get("pending"):
        return see_other("/commune/")
    if not _pending_alive(request, session):
        return _start_again(request, f"Le délai pour saisir le code est dépassé. {AGAIN}")
    return page(request, "commune/code.html", {"error": None}, session)


async def _code_misses(
    request: Request, session: dict[str, Any], pending: str, address: str, attempt: str
) -> int | Response:
    """The wrong codes of this pending login so far, or the page refusing another try
    (step expired, too many wrong codes: the password again; throttled: 429)."""
    if not _pending_alive(request, session):
        return _start_again(request, f"Le délai pour saisir le code est dépassé. {AGAIN}")
    backend = web_of(request).backend
    try:
        misses = await run_in_threadpool(agents.code_misses, backend, pending, address, attempt)
    except LoginThrottledError as exc:
        return too_many(request, exc.retry_after, "/commune/")
    if misses >= login_throttle.ATTEMPT_MISSES:
        return _start_again(request, f"Trop de codes erronés. {AGAIN}")
    return misses


@router.post("/code")
async def code(request: Request) -> Response:
    session = _session(request)
    form = await posted_form(request, session, "/commune/")
    web = web_of(request)
    pending, attempt = session.get("pending"), session.get("attempt")
    if not isinstance(pending, str) or not isinstance(attempt, str):
        return see_other("/commune/")
    address = client_address(request)
    misses = await _code_misses(request, session, pending, address, attempt)
    if isinstance(misses, Response):
        return misses
    agent = await run_in_threadpool(commune.officer_named, web.backend, pending)
    typed = "".join(form.get("code", "").split())
    ok = pyotp.TOTP(totp_secret(web.backend.settings, pending)).verify(typed, valid_window=1)
    await run_in_threadpool(agents.code_login, web.backend, agent, address, attempt, ok)
    if not ok and misses + 1 >= login_throttle.ATTEMPT_MISSES:
        return _start_again(request, f"Trop de codes erronés. {AGAIN}")
    if not ok:
        error = (
            "Ce code n'est pas le bon : saisissez les 6 chiffres affichés par votre application."
        )
        return page(request, "commune/code.html", {"error": error}, session, status=401)
    response = see_other("/commune/procurations")
    signed_in = with_csrf({"agent": agent.matricule, "agent_name": agent.name})
    web.cookies.write(response, request, SESSION, signed_in, PATH)
    return response


@router.post("/deconnexion")
async def logout(request: Request) -> Response:
    await posted_form(request, _session(request), "/commune/")
    response = see_other("/commune/")
    web_of(request).cookies.clear(response, SESSION, PATH)
    return response


def _matches(item: dict[str, Any], status: str, search: str) -> bool:
    if status and item["status"] != status:
        return False
    if not search:
        return True
    m, d = item["mandant"], item["mandataire"]
    haystack = " ".join(
        str(x or "")
        for x in (
            item["reference"],
            m["birth_name"],
            m["usage_name"],
            m["first_names"],
            d["birth_name"],
            d["first_names"],
        )
    )
    return fold(search) in fold(haystack)


def _listing(request: Request, agent: Caller, status: str, search: str) -> list[dict[str, Any]]:
    backend = web_of(request).backend
    insee = agent.commune_insee or ""
    shown = [i for i in commune.list_proxies(backend, agent, insee) if _matches(i, status, search)]
    agents.journal_read(backend, agent, "list", len(shown))
    return shown


@router.get("/procurations")
async def proxies(request: Request) -> Response:
    """The list, filtered by status only: a search is posted (`search`), so that the names
    typed never land in URLs, browser history or proxy logs."""
    return await _proxies_page(request, request.query_params.get("statut", ""), "")


@router.post("/procurations")
async def search(request: Request) -> Response:
    session = _session(request)
    form = await posted_form(request, session, "/commune/procurations")
    return await _proxies_page(request, form.get("statut", ""), form.get("q", ""))


async def _proxies_page(request: Request, status: str, search: str) -> Response:
    session = _session(request)
    agent = await run_in_threadpool(_agent, request, session)
    if agent is None:
        return see_other("/commune/")
    status = status if status in FILTERS else ""
    search = search.strip()[:100]
    shown = await run_in_threadpool(_listing, request, agent, status, search)
    context = {"items": shown, "filters": FILTERS, "status": status, "search": search}
    return page(request, "commune/procurations.html", context, session)


def _one(request: Request, agent: Caller, reference: str) -> dict[str, Any] | None:
    backend = web_of(request).backend
    found = [
        i
        for i in commune.list_proxies(backend, agent, agent.commune_insee or "")
        if i["reference"] == reference.upper()
    ]
    if found:
        agents.journal_read(backend, agent, "proxy", 1, str(found[0]["reference"]))
    return found[0] if found else None


@router.get("/procurations/{reference}")
async def one_proxy(request: Request, reference: str) -> Response:
    session = _session(request)
    agent = await run_in_threadpool(_agent, request, session)
    if agent is None:
        return see_other("/commune/")
    item = await run_in_threadpool(_one, request, agent, reference)
    if item is None:
        return error_page(
            request,
            404,
            "Procuration introuvable",
            "Aucune procuration de votre commune ne porte cette référence.",
            "/commune/procurations",
        )
    return page(request, "commune/procuration.html", _proxy_context(item), session)


def _proxy_context(item: dict[str, Any], error: str | None = None) -> dict[str, Any]:
    return {
        "item": item,
        "reasons": words.COMMUNE_REFUSALS,
        "corrections": words.CORRECTIONS,
        "correctable": item["status"] == RequestStatus.INVALID
        and item.get("reason") in commune.CORRECTABLE,
        "error": error,
    }


@router.post("/procurations/{reference}/decision")
async def decide(request: Request, reference: str) -> Response:
    session = _session(request)
    form = await posted_form(request, session, "/commune/procurations")
    agent = await run_in_threadpool(_agent, request, session)
    if agent is None:
        return see_other("/commune/")
    accepted = form.get("decision") == "accepted"
    reason = form.get("reason", "")
    if not accepted and reason not in words.COMMUNE_REFUSALS:
        item = await run_in_threadpool(_one, request, agent, reference)
        if item is None:
            return see_other("/commune/procurations")
        context = _proxy_context(item, "Choisissez le motif du refus dans la liste.")
        return page(request, "commune/procuration.html", context, session, status=422)
    try:
        await run_in_threadpool(
            commune.decide,
            web_of(request).backend,
            agent,
            reference.upper(),
            accepted,
            "" if accepted else reason,
        )
    except AppError:
        return error_page(
            request,
            409,
            "Décision impossible",
            "Cette procuration a déjà été décidée ou n'est plus à décider : rouvrez la liste.",
            "/commune/procurations",
        )
    return see_other(f"/commune/procurations/{reference.upper()}")


CAPPED = (
    "Le verdict ne peut pas être corrigé : le mandataire détient déjà le nombre maximal de "
    "procurations pour ces dates (article L73 du Code électoral), la procuration reste nulle."
)
NOT_CORRECTABLE = (
    "Cette procuration n'a plus de verdict « non inscrit » à corriger : rouvrez la liste."
)


@router.post("/procurations/{reference}/correction")
async def correct(request: Request, reference: str) -> Response:
    """ "Corriger le verdict": the commune knows its own list better than the roll extract."""
    session = _session(request)
    form = await posted_form(request, session, "/commune/procurations")
    agent = await run_in_threadpool(_agent, request, session)
    if agent is None:
        return see_other("/commune/")
    choice = form.get("correction", "")
    if choice not in words.CORRECTIONS:
        item = await run_in_threadpool(_one, request, agent, reference)
        if item is None:
            return see_other("/commune/procurations")
        context = _proxy_context(item, "Choisissez la raison de la correction dans la liste.")
        return page(request, "commune/procuration.html", context, session, status=422)
    backend, correction = web_of(request).backend, commune.Correction(choice)
    try:
        await run_in_threadpool(commune.correct, backend, agent, reference.upper(), correction)
    except AppError as exc:
        capped = "verdict" in exc.extensions  # the L73 cap voids it all the same
        sentence = CAPPED if capped else NOT_CORRECTABLE
        return error_page(
            request,
            409,
            "Correction impossible",
            sentence,
            f"/commune/procurations/{reference.upper()}",
        )
    return see_other(f"/commune/procurations/{reference.upper()}")


def _register(request: Request, agent: Caller, kind: str) -> tuple[str, Any]:
    backend = web_of(request).backend
    insee = agent.commune_insee or ""
    if kind == "csv":
        text = commune.register_csv(backend, agent, insee)
        agents.journal_read(backend, agent, "register.csv", text.count("\r\n") - 1)
        return insee, text
    commune.list_proxies(backend, agent, insee)  # the same access rule as the CSV
    lines = agents.register_lines(backend, insee)
    agents.journal_read(backend, agent, "register.pdf", len(lines))
    name = roll.commune_names(backend).get(insee, insee)
    return insee, register_pdf.render(name, lines, timeutil.to_wire(backend.now()))


@router.get("/registre.csv")
async def register_csv(request: Request) -> Response:
    agent = await run_in_threadpool(_agent, request, _session(request))
    if agent is None:
        return see_other("/commune/")
    insee, text = await run_in_threadpool(_register, request, agent, "csv")
    return Response(
        ("\ufeff" + text).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="registre-{insee}.csv"',
        },
    )


@router.get("/registre.pdf")
async def register_pdf_file(request: Request) -> Response:
    agent = await run_in_threadpool(_agent, request, _session(request))
    if agent is None:
        return see_other("/commune/")
    insee, data = await run_in_threadpool(_register, request, agent, "pdf")
    return Response(
        data,
        media_type="application/pdf",
        headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'inline; filename="registre-{insee}.pdf"',
        },
    )

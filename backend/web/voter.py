"""The voter portal (`/portail/`): login through the identity provider, the request form,
the confirmation with reference and QR code, and "Mes procurations"."""

from __future__ import annotations

import logging
import secrets
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from backend import mailer
from backend.errors import AppError, RateLimitedError
from backend.services import elections as elections_service
from backend.services import mandant, requests, resiliation, roll
from backend.services.throttle import Author
from backend.storage.names import person_key
from backend.web import request_form, throttle, words
from backend.web.context import Portal, client_address, posted_form, see_other, web_of
from backend.web.cookies import with_csrf
from backend.web.identity import REFUSED as REFUSED_LOGIN
from backend.web.identity import IdentityError, identity_from_claims
from backend.web.oidc import LoginError, Pending
from backend.web.pages import SECURITY_HEADERS, error_page, too_many
from procuration import elections
from procuration.canonical import sha256_b64url
from procuration.models import RequestStatus

log = logging.getLogger(__name__)
router = APIRouter(prefix="/portail", include_in_schema=False)
PATH = "/portail"
SESSION = "mpr_portail"
LOGIN = "mpr_portail_connexion"
LOGIN_SECONDS = 600
REFUSED_AT_CREATION = (
    "Cette demande ne peut pas être enregistrée : vérifiez l'élection ou la période."
)


PORTAL = Portal(SESSION, PATH, who="voter", key="identity")
_session = PORTAL.session_of
page = PORTAL.page


def _callback_uri(request: Request) -> str:
    """Where the identity provider sends the voter back: on the configured public address
    when there is one (docs/security.md), else on the address the request came to."""
    public = web_of(request).backend.settings.portal_url.rstrip("/")
    if public:
        return public + str(request.app.url_path_for("voter_callback"))
    return str(request.url_for("voter_callback"))


@router.get("/", name="voter_home")
async def home(request: Request) -> Response:
    return page(request, "portail/accueil.html", {}, _session(request))


@router.get("/connexion")
async def login(request: Request) -> Response:
    provider = web_of(request).provider
    if provider is None:
        return error_page(
            request,
            503,
            "Connexion indisponible",
            "Le fournisseur d'identité n'est pas configuré sur ce serveur : réessayez plus tard.",
            "/portail/",
        )
    try:
        url, pending = await run_in_threadpool(provider.start, _callback_uri(request))
    except (OSError, ValueError, KeyError) as exc:  # requests' errors are OSErrors
        log.warning("identity provider unreachable: %s", type(exc).__name__)
        return error_page(
            request,
            503,
            "Connexion indisponible",
            "Le service d'identification ne répond pas : réessayez dans quelques minutes.",
            "/portail/",
        )
    response = RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)
    web_of(request).cookies.write(response, request, LOGIN, asdict(pending), PATH)
    return response


@router.get("/connexion/retour", name="voter_callback")
async def callback(request: Request) -> Response:
    web = web_of(request)
    saved = web.cookies.read(request, LOGIN, max_age=LOGIN_SECONDS)
    state, code = request.query_params.get("state", ""), request.query_params.get("code", "")
    if not saved or not code or not secrets.compare_digest(state, str(saved.get("state", ""))):
        return error_page(
            request,
            400,
            "Connexion interrompue",
            "La connexion n'a pas abouti ou a pris trop de temps : recommencez depuis la page "
            "d'accueil.",
            "/portail/",
        )
    if web.provider is None:  # the cookie outlived a configuration change
        return see_other("/portail/connexion")
    try:
        claims = await run_in_threadpool(
            web.provider.finish, _callback_uri(request), code, Pending(**saved)
        )
        communes = await run_in_threadpool(roll.commune_names, web.backend)
        identity, certified = identity_from_claims(claims, communes)
    except (LoginError, IdentityError) as exc:
        log.warning("voter login refused: %s", exc)  # the reason only, never a claim
        shown = exc.shown if isinstance(exc, IdentityError) else REFUSED_LOGIN
        return error_page(request, 400, "Connexion refusée", shown, "/portail/")
    response = see_other("/portail/procurations")
    web.cookies.clear(response, LOGIN, PATH)
    session = with_csrf({"identity": identity, "certified": certified})
    web.cookies.write(response, request, SESSION, session, PATH)
    return response


@router.post("/deconnexion")
async def logout(request: Request) -> Response:
    await posted_form(request, _session(request), "/portail/")
    response = see_other("/portail/")
    web_of(request).cookies.clear(response, SESSION, PATH)
    return response


def _logged_in(request: Request) -> dict[str, Any] | None:
    session = _session(request)
    return session if isinstance(session.get("identity"), dict) else None


@router.get("/procurations")
async def my_proxies(request: Request) -> Response:
    session = _logged_in(request)
    if session is None:
        return see_other("/portail/")
    own = await run_in_threadpool(
        mandant.own_requests, web_of(request).backend, session["identity"]
    )
    return page(request, "portail/procurations.html", {"requests": own}, session)


async def _form_context(request: Request) -> dict[str, Any]:
    backend = web_of(request).backend
    calendar = await run_in_threadpool(elections_service.read_calendar, backend)
    today = backend.now().astimezone(words.PARIS).date()
    return {
        "communes": await run_in_threadpool(roll.commune_names, backend),
        "elections": request_form.upcoming(calendar, today),
        "calendar": calendar,
        "today": today,
    }


@router.get("/demande")
async def request_page(request: Request) -> Response:
    session = _logged_in(request)
    if session is None:
        return see_other("/portail/")
    context = await _form_context(request)
    values = dict.fromkeys(request_form.FIELDS, "")
    values["scope_kind"] = "election"
    return page(
        request, "portail/demande.html", {**context, "values": values, "errors": {}}, session
    )


@router.post("/demande")
async def request_post(request: Request) -> Response:
    session = _logged_in(request)
    if session is None:
        return see_other("/portail/")
    form = await posted_form(request, session, "/portail/demande")
    context = await _form_context(request)
    checked = request_form.check(
        form, session["identity"], context["communes"], context["calendar"], context["today"]
    )
    shown = {**context, "values": checked.values, "errors": checked.errors}
    if checked.body is None:
        return page(request, "portail/demande.html", shown, session, status=422)
    if form.get("action") != "envoyer":
        # Each check reads the electoral roll: limited as the sending is, or the form would
        # answer "is this person on the roll?" without end.
        wait = _wait(request, checked, throttle.LOOKUP_MANDANT, throttle.LOOKUP_ADDRESS)
        if wait:
            return too_many(request, wait, "/portail/demande")
        answers = await run_in_threadpool(_roll_answers, request, checked, context["calendar"])
        return page(request, "portail/verification.html", {**shown, **answers}, session)
    return await _send(request, session, checked, shown)


@router.post("/demande/modifier")
async def request_edit(request: Request) -> Response:
    """Back from the verification page to the form, as it was filled in."""
    session = _logged_in(request)
    if session is None:
        return see_other("/portail/")
    form = await posted_form(request, session, "/portail/demande")
    values = {name: form.get(name, "") for name in request_form.FIELDS}
    context = {**(await _form_context(request)), "values": values, "errors": {}}
    return page(request, "portail/demande.html", context, session)


def _roll_answers(request: Request, checked: request_form.Checked, calendar: Any) -> dict[str, Any]:
    """What the roll says of both parties, and the scope in words, before sending."""
    backend, v, body = web_of(request).backend, checked.values, checked.body
    assert body is not None
    return {
        "mandant_on": roll.communes_of(backend, body.birth_name, body.first_names, body.birth_date),
        "mandataire_on": roll.communes_of(
            backend, v["m_birth_name"], v["m_first_names"], v["m_birth_date"]
        ),
        "scope_text": words.scope(elections.shown(body.scope, calendar).model_dump()),
    }


def _mandant_key(checked: request_form.Checked) -> str:
    body = checked.body
    assert body is not None
    return person_key(body.birth_name, body.first_names, body.birth_date)


def _wait(
    request: Request,
    checked: request_form.Checked,
    per_mandant: throttle.Throttle,
    per_address: throttle.Throttle,
) -> int:
    """0 when the mandant and the client's address are both under their limits."""
    key = _mandant_key(checked)
    return per_mandant.wait_for(key) or per_address.wait_for(client_address(request))


def _author(request: Request, checked: request_form.Checked) -> Author:
    """Journalled as `portail`, counted per mandant (by a digest: the throttle table keeps
    no name) and per address, so that one voter's sending never holds up another's."""
    digest = sha256_b64url(_mandant_key(checked).encode())[:22]
    return Author("portail", client_address(request) or None, key=f"portail:{digest}")


async def _send(
    request: Request, session: dict[str, Any], checked: request_form.Checked, shown: dict[str, Any]
) -> Response:
    backend, body = web_of(request).backend, checked.body
    assert body is not None
    wait = _wait(request, checked, throttle.VOTER_MANDANT, throttle.VOTER_ADDRESS)
    if wait:
        return too_many(request, wait, "/portail/procurations")
    author, certified = _author(request, checked), bool(session.get("certified"))
    try:
        created = await run_in_threadpool(
            lambda: requests.create(backend, body, author, certified=certified)
        )
    except RateLimitedError as exc:  # the limit counted in the database, across workers
        return too_many(request, exc.retry_after, "/portail/procurations")
    except AppError as exc:  # a rule checked again at creation (the calendar may have moved)
        log.info("portal request refused: %s", exc.code)
        shown["errors"] = {"scope_kind": REFUSED_AT_CREATION}
        return page(request, "portail/demande.html", shown, session, status=422)
    return see_other(f"/portail/procurations/{created.reference}")


CANCELLABLE = frozenset(resiliation.CANCELLABLE)
NOT_CANCELLABLE = (
    "Cette procuration ne peut plus être résiliée (elle est déjà résiliée ou n'est plus en "
    "vigueur) : revenez à vos procurations."
)


def _pending_resiliation(request: Request, session: dict[str, Any], proxy: str) -> str | None:
    """The résiliation of `proxy` the mandant already asked for and that still waits for a
    counter: the button leads to it rather than to a second one."""
    for own in mandant.own_requests(web_of(request).backend, session["identity"]):
        if own.cancels == proxy and own.status == RequestStatus.SUBMITTED:
            return own.reference
    return None


@router.post("/procurations/{reference}/resiliation")
async def cancel(request: Request, reference: str) -> Response:
    """ "Résilier cette procuration": only the mandant's own proxy, as for its QR code."""
    session = _logged_in(request)
    if session is None:
        return see_other("/portail/")
    await posted_form(request, session, "/portail/procurations")
    own = await run_in_threadpool(_owned, request, session, reference)
    if own is None or own.kind != "proxy" or own.status not in CANCELLABLE:
        return error_page(
            request, 409, "Résiliation impossible", NOT_CANCELLABLE, "/portail/procurations"
        )
    pending = await run_in_threadpool(_pending_resiliation, request, session, own.reference)
    if pending is not None:
        return see_other(f"/portail/procurations/{pending}")
    backend, certified = web_of(request).backend, bool(session.get("certified"))
    try:
        created = await run_in_threadpool(
            lambda: resiliation.request(backend, own.reference, certified=certified)
        )
    except AppError as exc:  # refused or cancelled since the page was shown
        log.info("portal résiliation refused: %s", exc.code)
        return error_page(
            request, 409, "Résiliation impossible", NOT_CANCELLABLE, "/portail/procurations"
        )
    return see_other(f"/portail/procurations/{created.reference}")


def _owned(request: Request, session: dict[str, Any], reference: str) -> mandant.OwnRequest | None:
    found = mandant.own_requests(web_of(request).backend, session["identity"], reference.upper())
    return found[0] if found else None


@router.get("/procurations/{reference}")
async def one_proxy(request: Request, reference: str) -> Response:
    session = _logged_in(request)
    if session is None:
        return see_other("/portail/")
    own = await run_in_threadpool(_owned, request, session, reference)
    if own is None:
        return error_page(
            request,
            404,
            "Demande introuvable",
            "Aucune de vos demandes ne porte cette référence.",
            "/portail/procurations",
        )
    waiting = own.status == RequestStatus.SUBMITTED
    if own.kind == "resiliation":
        return page(request, "portail/resiliation.html", {"item": own, "waiting": waiting}, session)
    context = {"item": own, "waiting": waiting, "cancellable": own.status in CANCELLABLE}
    return page(request, "portail/procuration.html", context, session)


@router.get("/procurations/{reference}/qr.png")
async def qr_png(request: Request, reference: str) -> Response:
    session = _logged_in(request)
    if session is None:
        return Response(status_code=403, headers=SECURITY_HEADERS)
    own = await run_in_threadpool(_owned, request, session, reference)
    # Only while the request waits for a counter: afterwards the code serves no one.
    if own is None or own.status != RequestStatus.SUBMITTED:
        return Response(status_code=404, headers=SECURITY_HEADERS)
    text = await run_in_threadpool(requests.request_qr, web_of(request).backend, own.reference)
    if text is None:
        return Response(status_code=404, headers=SECURITY_HEADERS)
    return Response(mailer.qr_png(text), media_type="image/png", headers=SECURITY_HEADERS)

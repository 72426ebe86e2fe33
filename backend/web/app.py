"""Mounts both portals on the backend's FastAPI app: their routes, their static files
(the DSFR and the portals' own style sheet) and their French error pages."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from backend.context import Backend
from backend.web import commune_portal, voter
from backend.web.context import CsrfRefusedError, Web
from backend.web.cookies import SealedCookies
from backend.web.oidc import Provider
from backend.web.pages import SECURITY_HEADERS, STATIC_DIR, STATIC_PREFIX, error_page
from backend.web.webkey import web_key


def _provider(backend: Backend) -> Provider | None:
    settings = backend.settings
    if not settings.oidc_issuer:
        return None
    return Provider(settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret)


async def _csrf_refused(request: Request, exc: Exception) -> Response:
    back = exc.back if isinstance(exc, CsrfRefusedError) else "/"
    return error_page(
        request,
        403,
        "Formulaire refusé",
        "Ce formulaire a expiré ou ne vient pas de ce site : rouvrez la page et recommencez.",
        back,
    )


def mount(app: FastAPI, backend: Backend) -> None:
    settings = backend.settings
    cookies = SealedCookies(web_key(settings), settings.web_session_minutes * 60)
    app.state.web = Web(backend, cookies, _provider(backend))
    app.include_router(voter.router)
    app.include_router(commune_portal.router)
    app.add_exception_handler(CsrfRefusedError, _csrf_refused)
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/portail", include_in_schema=False)
    @app.get("/commune", include_in_schema=False)
    async def _slash(request: Request) -> Response:
        return RedirectResponse(request.url.path + "/", status_code=308, headers=SECURITY_HEADERS)

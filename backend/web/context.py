"""What every portal route needs: the backend, the sealed cookies, the identity provider,
and the French 403 a form posted without its CSRF token gets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from backend.context import Backend
from backend.web import words
from backend.web.cookies import SealedCookies, csrf_ok, with_csrf
from backend.web.oidc import Provider
from backend.web.pages import SECURITY_HEADERS, render


class CsrfRefusedError(Exception):
    """A form posted without the token of the session that showed it."""

    def __init__(self, back: str) -> None:
        super().__init__("form posted without its CSRF token")
        self.back = back


@dataclass(frozen=True)
class Web:
    backend: Backend
    cookies: SealedCookies
    provider: Provider | None


def web_of(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


async def posted_form(request: Request, session: dict[str, Any], back: str) -> dict[str, str]:
    """The form's fields, once its CSRF token matched the session's (else CsrfRefusedError)."""
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    if not csrf_ok(session, fields.get("csrf")):
        raise CsrfRefusedError(back)
    return fields


@dataclass(frozen=True)
class Portal:
    """One portal's cookie (`session` under `path`) and what its pages show of the person
    logged in (`who`: the template's name for it, read from the session at `key`)."""

    session: str
    path: str
    who: str
    key: str

    def session_of(self, request: Request) -> dict[str, Any]:
        return web_of(request).cookies.read(request, self.session)

    def page(
        self,
        request: Request,
        template: str,
        context: dict[str, Any],
        session: dict[str, Any],
        status: int = 200,
    ) -> Response:
        """A page of the portal; its session is sealed again, so idleness counts from now."""
        session = with_csrf(session)
        shown = {"csrf": session["csrf"], self.who: session.get(self.key), "words": words}
        shown.update(context)
        response = render(request, template, shown, status)
        web_of(request).cookies.write(response, request, self.session, session, self.path)
        return response


def see_other(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)


def client_address(request: Request) -> str:
    """The client's address (a trusted reverse proxy's X-Forwarded-For), or "" unknown."""
    return request.client.host if request.client else ""

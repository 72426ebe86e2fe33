"""What every portal route needs: the backend, the sealed cookies, the identity provider,
and the French 403 a form posted without its CSRF token gets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from backend.context import Backend
from backend.web.cookies import SealedCookies, csrf_ok
from backend.web.oidc import Provider


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

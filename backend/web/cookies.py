"""Sealed session cookies: the content is encrypted and authenticated (Fernet), carries its
own issue time, and is refused once older than the session's idle limit; each page opened
seals it again, so the limit counts from the last page. HttpOnly, SameSite=Lax, Secure under
TLS, path-bound to its portal."""

from __future__ import annotations

import json
import secrets
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from starlette.requests import Request
from starlette.responses import Response

CSRF_FIELD = "csrf"


class SealedCookies:
    def __init__(self, key: bytes, idle_seconds: int) -> None:
        self._fernet = Fernet(key)
        self.idle_seconds = idle_seconds

    def read(self, request: Request, name: str, max_age: int | None = None) -> dict[str, Any]:
        """The cookie's content, or {} when it is absent, forged or too old."""
        token = request.cookies.get(name)
        if not token:
            return {}
        try:
            plain = self._fernet.decrypt(token.encode(), ttl=max_age or self.idle_seconds)
        except InvalidToken:
            return {}
        content = json.loads(plain)
        return content if isinstance(content, dict) else {}

    def write(
        self, response: Response, request: Request, name: str, content: dict[str, Any], path: str
    ) -> None:
        sealed = self._fernet.encrypt(json.dumps(content).encode()).decode()
        response.set_cookie(
            name,
            sealed,
            max_age=self.idle_seconds,
            path=path,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )

    @staticmethod
    def clear(response: Response, name: str, path: str) -> None:
        response.delete_cookie(name, path=path, httponly=True, samesite="lax")


def with_csrf(content: dict[str, Any]) -> dict[str, Any]:
    """The session's content with its CSRF token (one per session, checked on every form)."""
    if not isinstance(content.get(CSRF_FIELD), str):
        return {**content, CSRF_FIELD: secrets.token_urlsafe(32)}
    return content


def csrf_ok(content: dict[str, Any], posted: object) -> bool:
    expected = content.get(CSRF_FIELD)
    return (
        isinstance(expected, str)
        and isinstance(posted, str)
        and secrets.compare_digest(expected.encode(), posted.encode())
    )

"""Rendering: one Jinja2 environment (autoescaped), the security headers every page carries,
and the French error page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
STATIC_PREFIX = "/static"

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

# No inline script or style anywhere: every script and style sheet is a file of this origin.
# `data:` images: the DSFR's style sheet draws a few of its marks as inline SVG.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    # Pages show personal data: no copy in a shared computer's cache.
    "Cache-Control": "no-store",
}


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    page = _env.get_template(template).render(
        {"static": STATIC_PREFIX, "path": request.url.path, **context}
    )
    return HTMLResponse(page, status_code=status_code, headers=SECURITY_HEADERS)


def error_page(
    request: Request, status_code: int, title: str, message: str, back: str
) -> HTMLResponse:
    return render(
        request,
        "error.html",
        {"title": title, "message": message, "back": back},
        status_code=status_code,
    )


def too_many(request: Request, retry_after: int, back: str) -> HTMLResponse:
    minutes = max(1, (retry_after + 59) // 60)
    page = error_page(
        request,
        429,
        "Trop de tentatives",
        f"Vous avez fait trop de tentatives : réessayez dans {minutes} minute"
        f"{'s' if minutes > 1 else ''}.",
        back,
    )
    page.headers["Retry-After"] = str(retry_after)
    return page

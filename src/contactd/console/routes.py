"""The console's routes: the page at `/` and its assets under `/console/`, each answer
carrying the headers that keep the page to its own scripts and out of other sites' frames.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route, request_response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contactd import __version__

__all__ = ["CONSOLE_ASSETS_PATH", "SECURITY_HEADERS", "console_routes"]

CONSOLE_ASSETS_PATH = "/console"
_ASSETS = Path(__file__).parent / "assets"

# Scripts, styles and requests only from this origin, no inline script or style (every
# value is rendered as text, and this makes an injected one inert anyway), never framed.
_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", _POLICY),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    # The page holds a token while open: no shared cache keeps a copy of what it shows.
    ("cache-control", "no-store"),
)


class _SecurityHeaders:
    """Adds `SECURITY_HEADERS` to every response of the app it wraps."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app
        self._raw = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS]
        self._names = frozenset(name for name, _ in self._raw)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                kept = [(n, v) for n, v in headers if n.lower() not in self._names]
                message = {**message, "headers": kept + self._raw}
            await send(message)

        await self._app(scope, receive, with_headers)


def _page() -> bytes:
    html = (_ASSETS / "index.html").read_text(encoding="utf-8")
    return html.replace("{{version}}", __version__).encode("utf-8")


def console_routes() -> list[Route | Mount]:
    """`GET /` (the page, its version filled in once) and `/console/...` (its assets)."""
    page = _page()

    async def index(request: Request) -> Response:
        return HTMLResponse(page)

    return [
        Route("/", _SecurityHeaders(request_response(index)), methods=["GET"]),
        Mount(CONSOLE_ASSETS_PATH, _SecurityHeaders(StaticFiles(directory=_ASSETS))),
    ]

"""CORS on the API endpoints: Starlette's `CORSMiddleware`, its origins from
`CONTACTD_CORS_ORIGINS` (docs/api.md, "Every endpoint"; docs/deployment.md).

Browsers on other sites may call the API (the vendor's browser SDK logs in from the
integrator's own pages): the API takes its credentials only in the body, never from
cookies, so a page on another site gains nothing it could not send itself, and the
answers allow any origin by default. No credentials mode: no cookie is ever read.

Only the API's paths are wrapped (api/app.py); the console (`/`, `/console/*`), `/docs`
and the service's own endpoints keep their same-origin policy and never carry a CORS
header.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from contactd.api.errors import OUTCOME_HEADER, error_response
from contactd.api.observe import REQUEST_ID_HEADER
from contactd.domain.idempotency import REPLAYED_HEADER

__all__ = ["EXPOSED_HEADERS", "PREFLIGHT_MAX_AGE_SECONDS", "with_cors"]

EXPOSED_HEADERS = (
    REQUEST_ID_HEADER.decode("ascii"),
    "Retry-After",
    OUTCOME_HEADER,
    REPLAYED_HEADER,
)
"""The answer's headers a page's script may read besides the safelisted ones."""
PREFLIGHT_MAX_AGE_SECONDS = 600
_ORIGIN = b"origin"


class _ApiCors(CORSMiddleware):
    """Starlette's middleware, its refused preflights in the API's error shape (its own
    are plain text)."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        # "Disallowed CORS origin, headers": Starlette's words name what was refused.
        refused = bytes(response.body).decode("utf-8").removeprefix("Disallowed CORS ")
        headers = {
            name: value for name, value in response.headers.items() if name.startswith("access")
        }
        headers["Vary"] = response.headers["vary"]
        return error_response(
            response.status_code,
            f"cross-origin request refused: {refused} not allowed",
            headers=headers,
        )


def with_cors(app: ASGIApp, origins: Sequence[str]) -> ASGIApp:
    """`app` answering preflights and adding CORS headers to every answer (errors and
    413s included) of a request from a browser (one with an `Origin` header).

    A request without `Origin` (a server, a script, the benchmarks) goes to `app`
    directly: CORS is a browser's protocol, and the middleware's header parsing is
    worth skipping on the hot path. `Vary: Origin`, which the middleware adds, only
    matters to a cache, and the API's POST answers are not cacheable.
    """
    cors = _ApiCors(
        app,
        allow_origins=origins,
        allow_methods=("POST",),
        # Any header the page asks for: no header carries a credential (see above).
        allow_headers=("*",),
        allow_credentials=False,
        expose_headers=EXPOSED_HEADERS,
        max_age=PREFLIGHT_MAX_AGE_SECONDS,
    )

    async def gate(scope: Scope, receive: Receive, send: Send) -> None:
        for name, _ in scope["headers"]:
            if name == _ORIGIN:
                await cors(scope, receive, send)
                return
        await app(scope, receive, send)

    return gate

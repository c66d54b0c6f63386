"""`GET /`: a small page saying what this server is and where to go from here.

A page of its own so that the agent console can take this path over later.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from contactd import __version__

__all__ = ["front_page"]

_LINKS = (
    ("/docs", "API documentation (Swagger UI: try every endpoint)"),
    ("/openapi.json", "OpenAPI document"),
    ("/healthz", "Health: 200 while the store answers"),
    ("/metrics", "Metrics (Prometheus text format)"),
)

_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>contactd {__version__}</title></head>
<body>
<h1>contactd</h1>
<p>A self-hostable contact service that speaks the TeleCMI contact APIs.
Version {__version__}.</p>
<ul>
{"".join(f'<li><a href="{href}">{href}</a>: {text}</li>{chr(10)}' for href, text in _LINKS)}</ul>
</body></html>
"""


async def front_page(request: Request) -> Response:
    return HTMLResponse(_PAGE)

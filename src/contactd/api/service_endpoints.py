"""The service's own endpoints, beside the API's operations (`operations.py`):
`/healthz`, `/metrics`, `/openapi.json`, `/docs` (Swagger UI, offline)."""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from contactd import __version__
from contactd.api.errors import error_response
from contactd.domain.store import Store, StoreUnavailable
from contactd.metrics import CONTENT_TYPE, Metrics

__all__ = [
    "DOCS_ASSETS_PATH",
    "docs_page",
    "health_endpoint",
    "metrics_endpoint",
    "openapi_endpoint",
]

DOCS_ASSETS_PATH = "/docs/assets"

_DOCS_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>contactd API</title>
<link rel="stylesheet" href="{DOCS_ASSETS_PATH}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({{url: "/openapi.json", dom_id: "#swagger-ui"}});</script>
</body></html>
"""


def health_endpoint(store: Store) -> Any:
    """200 with the backend's name while the store answers a trivial query, else 503.

    A load balancer takes a 503 process out of rotation until its database is back.
    """

    async def healthz(request: Request) -> Response:
        try:
            await store.ping()
        except StoreUnavailable as exc:
            return error_response(
                503,
                f"store unreachable ({store.backend}): {exc}",
                headers={"Retry-After": "1"},
            )
        body = {"status": "ok", "backend": store.backend, "version": __version__}
        return Response(msgspec.json.encode(body), media_type="application/json")

    return healthz


def metrics_endpoint(metrics: Metrics) -> Any:
    """The Prometheus text format; every worker's figures under `--workers N`."""

    async def metrics_page(request: Request) -> Response:
        return Response(metrics.exposition(), headers={"content-type": CONTENT_TYPE})

    return metrics_page


def openapi_endpoint(document: dict[str, Any]) -> Any:
    encoded = msgspec.json.encode(document)

    async def openapi(request: Request) -> Response:
        return Response(encoded, media_type="application/json")

    return openapi


async def docs_page(request: Request) -> Response:
    return HTMLResponse(_DOCS_HTML)

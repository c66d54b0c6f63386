"""`create_app(settings)`: the ASGI application, its services built at start-up."""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import AsyncIterator

import swagger_ui_bundle
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from contactd.api.errors import error_response
from contactd.api.openapi import openapi_document
from contactd.api.operations import INTERNAL_ERROR, Services, serve
from contactd.api.ops import DOCS_ASSETS_PATH, docs_page, health_endpoint, openapi_endpoint
from contactd.api.routes import OPERATIONS
from contactd.config import Settings
from contactd.domain.apps import AppService
from contactd.domain.contacts import ContactService
from contactd.domain.cursors import CursorSigner
from contactd.domain.passwords import PasswordHasher
from contactd.domain.principals import PrincipalService
from contactd.store import Store, open_store

__all__ = ["build_services", "create_app"]

log = logging.getLogger("contactd")


async def build_services(settings: Settings, store: Store) -> Services:
    if settings.secret:
        secret = settings.secret.encode("utf-8")
    else:
        secret = await store.server_secret(secrets.token_bytes(32))
    hasher = PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        max_concurrent=settings.max_concurrent_hashes,
    )
    return Services(
        store=store,
        apps=AppService(store),
        principals=PrincipalService(store, hasher),
        contacts=ContactService(store, CursorSigner(secret)),
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, str(exc.detail).lower(), headers=exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s", request.url.path, exc_info=exc)
    return error_response(500, INTERNAL_ERROR)


def create_app(settings: Settings, *, store: Store | None = None) -> Starlette:
    """The application; it opens (or adopts) the store when its lifespan starts.

    The contact routes are added by the lifespan, once their services exist, so that a
    request never meets a half-built application.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        active = store or await open_store(
            settings.database_url, wait_seconds=settings.db_wait_seconds
        )
        services = await build_services(settings, active)
        app.state.services = services
        app.router.routes[:0] = [
            Route(op.path, serve(op, services), methods=["POST"]) for op in OPERATIONS
        ]
        app.router.routes.append(Route("/healthz", health_endpoint(active), methods=["GET"]))
        try:
            yield
        finally:
            if store is None:
                await active.close()

    routes: list[Route | Mount] = [
        Route("/openapi.json", openapi_endpoint(openapi_document(OPERATIONS)), methods=["GET"]),
        Route("/docs", docs_page, methods=["GET"]),
        Mount(DOCS_ASSETS_PATH, StaticFiles(directory=swagger_ui_bundle.swagger_ui_path)),
    ]
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )

"""`create_app(settings)`: the ASGI application, its services built at start-up."""

from __future__ import annotations

import asyncio
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
from starlette.types import ASGIApp, Receive, Scope, Send

from contactd.api import service_endpoints as endpoints
from contactd.api.cors import with_cors
from contactd.api.errors import error_response, refusal_response
from contactd.api.observe import Observer
from contactd.api.openapi import openapi_document
from contactd.api.operations import INTERNAL_ERROR, Operation, Services, serve
from contactd.api.routes import OPERATIONS
from contactd.config import Settings
from contactd.console import console_routes
from contactd.control.channel import open_control_channel
from contactd.domain.admin_tokens import AdminTokenSigner
from contactd.domain.apps import AppService
from contactd.domain.clock import system_clock
from contactd.domain.contacts import ContactService
from contactd.domain.cursors import CursorSigner
from contactd.domain.errors import Busy
from contactd.domain.extensions import ExtensionService
from contactd.domain.idempotency import IdempotencyService
from contactd.domain.notes import NoteService
from contactd.domain.passwords import PasswordHasher
from contactd.domain.principals import PrincipalService
from contactd.domain.tags import TagService
from contactd.domain.token_cache import TokenCache
from contactd.logs import log_settings
from contactd.metrics import Metrics
from contactd.standin import snapshot_file
from contactd.standin.control import CONTROL_PREFIX, STAND_IN_OPERATIONS
from contactd.standin.middleware import stand_in_wrap
from contactd.standin.seeding import seed_from_file
from contactd.standin.state import StandIn
from contactd.store import Store, open_store
from contactd.store.timed import timed_store

__all__ = ["ContactdApp", "build_services", "create_app", "served_operations"]

log = logging.getLogger("contactd")


async def build_services(settings: Settings, store: Store, metrics: Metrics) -> Services:
    # The services call the store through its timing wrapper; `Services.store` stays the
    # store itself, for what reaches past the interface (tests, the backends' own tools).
    timed = timed_store(store, metrics.store_observer)
    if settings.secret:
        secret = settings.secret.encode("utf-8")
    else:
        secret = await timed.server_secret(secrets.token_bytes(32))
    hasher = PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        max_concurrent=settings.max_concurrent_hashes,
        max_wait_seconds=settings.max_hash_wait_seconds,
    )
    stand_in = StandIn(journal_size=settings.journal_size) if settings.stand_in else None
    # A stand-in moves each app's clock; a token trusted from the cache would outlive
    # the expiry a moved clock brings, so the stand-in asks the store every time.
    clock = system_clock if stand_in is None else stand_in.clocks
    token_cache_ms = 0 if stand_in is not None else int(settings.token_cache_seconds * 1000)
    contacts = ContactService(timed, CursorSigner(secret), clock=clock)
    return Services(
        store=store,
        apps=AppService(timed, admin_tokens=AdminTokenSigner(secret), clock=clock),
        principals=PrincipalService(
            timed,
            hasher,
            token_cache=TokenCache(ttl_ms=token_cache_ms),
            min_password_length=settings.password_minimum(),
            clock=clock,
        ),
        contacts=contacts,
        extensions=ExtensionService(timed, secret, clock=clock),
        notes=NoteService(timed, contacts),
        tags=TagService(timed),
        metrics=metrics,
        idempotency=IdempotencyService(store, secret),
        stand_in=stand_in,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, str(exc.detail).lower(), headers=exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s", request.url.path, exc_info=exc)
    return error_response(500, INTERNAL_ERROR)


_STARTING = Busy("the service is starting; the request had no effect; retry shortly")


async def _starting(request: Request) -> Response:
    # Answers only before the lifespan has built the services; later the dispatcher
    # takes every POST to an API path. Its route also gives other methods their 405.
    return refusal_response(_STARTING)


class ContactdApp:
    """The ASGI application: API POSTs go straight to their operation by a dict lookup;
    everything else (lifespan, docs, health, 404 and 405 answers) goes to Starlette.

    Every request to an API path, whatever its method, is answered with CORS (api/cors.py):
    an operation is wrapped when it is installed; any other method on an API path
    (a preflight `OPTIONS`, a `GET`'s 405) goes to Starlette through the same wrapping.
    No other path is wrapped.

    `state` and `router` are Starlette's, so tools that drive a Starlette app's
    lifespan (`app.router.lifespan_context(app)`) drive this one.
    """

    def __init__(
        self,
        starlette: Starlette,
        operations: dict[str, ASGIApp],
        observer: Observer,
        cors_origins: tuple[str, ...],
        table: tuple[Operation, ...],
    ) -> None:
        self._starlette = starlette
        self._operations = operations
        self._observer = observer
        self._api_paths = frozenset(op.path for op in table)
        self._api_other = with_cors(starlette, cors_origins)
        self.state = starlette.state
        self.router = starlette.router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if scope["method"] == "POST":
                operation = self._operations.get(scope["path"])
                if operation is not None:
                    await operation(scope, receive, send)
                    return
            if scope["path"] in self._api_paths:
                await self._observer.around(self._api_other, scope, receive, send)
                return
            await self._observer.around(self._starlette, scope, receive, send)
            return
        await self._starlette(scope, receive, send)


def create_app(settings: Settings, *, store: Store | None = None) -> ContactdApp:
    """The application; it opens (or adopts) the store when its lifespan starts.

    The operations are installed by the lifespan, once their services exist, so that a
    request never meets a half-built application.
    """
    operations: dict[str, ASGIApp] = {}
    table = served_operations(settings)
    cors_origins = settings.allowed_origins()
    metrics = Metrics()
    observer = Observer(metrics, request_log_on=settings.access_log)

    @contextlib.asynccontextmanager
    async def lifespan(app: object) -> AsyncIterator[None]:
        log_settings(settings)
        active = store or await open_store(
            settings.database_url, wait_seconds=settings.db_wait_seconds
        )
        if settings.snapshot is not None:  # before the services read the server secret
            await snapshot_file.load_at_start(
                active, settings.snapshot, missing_ok=settings.save_on_exit
            )
        services = await build_services(settings, active, metrics)
        if settings.seed is not None:  # stand-in mode's, before the first request
            await seed_from_file(services, settings.seed)
        starlette.state.services = services
        operations.update(
            {op.path: with_cors(_served(op, services, observer), cors_origins) for op in table}
        )
        starlette.router.routes.append(
            Route("/healthz", endpoints.health_endpoint(active), methods=["GET"])
        )
        # Serving a SQLite file it opened, this process is the store's one writer:
        # operator commands reach it through the control channel.
        channel = await open_control_channel(active, services.apps) if store is None else None
        sweeper = asyncio.create_task(services.idempotency.sweep_forever())
        try:
            async with metrics.sampling_pool(active):
                yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper  # before the store closes under it
            if channel is not None:
                await channel.close()
            operations.clear()
            if settings.save_on_exit and settings.snapshot is not None:  # no request writes now
                await snapshot_file.save_on_exit(active, settings.snapshot)
            observer.request_log.flush()
            if store is None:
                await active.close()

    routes: list[Route | Mount] = [
        *(Route(op.path, _starting, methods=["POST"]) for op in table),
        Route(
            "/openapi.json",
            endpoints.openapi_endpoint(openapi_document(table)),
            methods=["GET"],
        ),
        *console_routes(),
        Route("/docs", endpoints.docs_page, methods=["GET"]),
        Route("/metrics", endpoints.metrics_endpoint(metrics), methods=["GET"]),
        Mount(endpoints.DOCS_ASSETS_PATH, StaticFiles(directory=swagger_ui_bundle.swagger_ui_path)),
    ]
    starlette = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    # `/v3/contact/get/` is an unknown path, answered 404 in the error shape. Starlette
    # would redirect it to the path without the slash, at a URL built from the client's
    # Host header: a client that follows it may be sent to another host.
    starlette.router.redirect_slashes = False
    return ContactdApp(starlette, operations, observer, cors_origins, table)


def _served(operation: Operation, services: Services, observer: Observer) -> ASGIApp:
    """The ASGI app of an operation; in stand-in mode, the vendor's operations take the
    app's fault rules and are journaled (standin/middleware.py), the control API not."""
    served = serve(operation, services, observer)
    if services.stand_in is None or operation.path.startswith(CONTROL_PREFIX):
        return served
    return stand_in_wrap(operation, served, services, observer)


def served_operations(settings: Settings) -> tuple[Operation, ...]:
    """The operations a server serves: the control API's too in stand-in mode only."""
    return OPERATIONS + STAND_IN_OPERATIONS if settings.stand_in else OPERATIONS

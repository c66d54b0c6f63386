"""Operations: one record per endpoint, and the wrapper that serves it.

The route table (`routes.py`) lists every operation with its request, response and
error statuses; the router, the OpenAPI document and the error-shape tests all read
that one table. The wrapper is the same for every endpoint: read the bounded body,
decode it into the request Struct, call the handler, encode the response Struct, and
turn a domain error into the generation's error response.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from time import perf_counter
from typing import Any

import msgspec
from starlette.types import ASGIApp, Receive, Scope, Send

from contactd.api.decode import BodyDecoder, BodyTooLarge, ClientGone, read_body
from contactd.api.errors import (
    MAY_HAVE_BEEN_APPLIED,
    Generation,
    Reply,
    error_reply,
    reply_for,
    store_unavailable,
)
from contactd.api.idempotency import idempotency_key, keyed_reply
from contactd.api.observe import REQUEST_ID_HEADER, Observer
from contactd.domain.apps import AppService
from contactd.domain.contacts import ContactService
from contactd.domain.errors import Busy, DomainError, Full, Outcome
from contactd.domain.idempotency import IdempotencyService, Render
from contactd.domain.principals import PrincipalService
from contactd.domain.store import Store, StoreFault, StoreFull, StoreUnavailable
from contactd.metrics import Metrics

__all__ = ["Operation", "Services", "serve"]

log = logging.getLogger("contactd.api")
_encoder = msgspec.json.Encoder()
INTERNAL_ERROR = "internal error; it has been logged"
# What a client is told when the store fails; the store's own text goes to the log.
STORE_CANNOT_WRITE = "the store cannot write (read-only, or an I/O error); retry later"
STORE_FULL = "the store is full; nothing was written (retry once the operator has freed space)"


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a handler may use, built once at start-up."""

    store: Store
    apps: AppService
    principals: PrincipalService
    contacts: ContactService
    metrics: Metrics
    idempotency: IdempotencyService


Handler = Callable[[Services, Any], Awaitable[msgspec.Struct]]


@dataclass(frozen=True, slots=True)
class Operation:
    path: str
    generation: Generation
    request: type[msgspec.Struct]
    response: type[msgspec.Struct]
    handler: Handler
    summary: str
    errors: tuple[int, ...]
    """The error statuses a client can cause; 413, 503 and 507 apply to every operation."""
    tag: str
    example: dict[str, Any]
    """A request body that works as it is (with its ids and credentials replaced): the
    OpenAPI document's example, so that "Try it out" starts from it."""
    write: bool = False
    """Takes an `Idempotency-Key` header (api/idempotency.py); reads and logins do not."""
    answer: Render | None = None
    """For a write whose store transaction keeps its key: the answer, from the store
    write's result (domain/idempotency.py)."""


_JSON = (b"content-type", b"application/json")


def serve(operation: Operation, services: Services, observer: Observer) -> ASGIApp:
    """The raw ASGI app of one operation.

    Raw ASGI rather than a Starlette endpoint: the Request and Response objects and
    the router's scan are a large part of a page read's CPU (bench/profile.md,
    "raw ASGI operations"), and this path needs neither (the body is read once, the
    answer is bytes). The request's id, metrics and log line are taken here too,
    around the whole of it.
    """
    decode = BodyDecoder(operation.request)
    handler = operation.handler
    generation = operation.generation
    start = observer.start
    record = observer.recorder(operation.path)
    write = operation.write

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        started = perf_counter()
        request_id = start(scope)
        try:
            key = idempotency_key(scope["headers"]) if write else None
            body = await read_body(scope, receive)
            request = decode(body)
            if key is None:
                reply = Reply(200, _encoder.encode(await handler(services, request)))
            else:
                reply = await keyed_reply(operation, services, key, scope["path"], body, request)
        except ClientGone:
            return
        except BodyTooLarge as exc:
            reply = error_reply(413, exc.msg)
        except DomainError as exc:
            reply = reply_for(exc, generation)
        except (StoreFull, StoreUnavailable) as exc:
            reply = _store_reply(exc, operation)
        except Exception:
            # A bug. Log the traceback (never the body: it holds tokens and passwords).
            log.exception("unhandled error in %s", operation.path)
            reply = error_reply(500, INTERNAL_ERROR)
        headers = [
            _JSON,
            (b"content-length", b"%d" % len(reply.body)),
            (REQUEST_ID_HEADER, request_id),
        ]
        if reply.headers:
            headers.extend(reply.headers)
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": reply.body})
        record(scope, request_id, reply.status, started)

    return app


def _store_reply(exc: StoreFull | StoreUnavailable, operation: Operation) -> Reply:
    """A store condition as the client sees it: 507 full, else 503 with its kind."""
    if isinstance(exc, StoreFull):
        log.error("%s: the store is full: %s", operation.path, exc)
        return reply_for(Full(STORE_FULL), operation.generation)
    if isinstance(exc, StoreFault):  # the operator must act: say so in the log
        log.error("%s: the store cannot write: %s", operation.path, exc)
        msg = STORE_CANNOT_WRITE
        if exc.outcome is Outcome.UNKNOWN:  # an I/O error may have struck the COMMIT
            msg = f"{msg}; {MAY_HAVE_BEEN_APPLIED}"
        return reply_for(Busy(msg, outcome=exc.outcome), operation.generation)
    return reply_for(store_unavailable(exc.outcome), operation.generation)

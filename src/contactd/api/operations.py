"""Operations: one record per endpoint, and the wrapper that serves it.

The route table (`routes.py`) lists every operation with its request, response and
error statuses; the router, the OpenAPI document and the error-shape tests all read
that one table. The wrapper is the same for every endpoint: read the bounded body,
decode it into the request Struct, call the handler, encode the response Struct, and
turn a domain error into the generation's error response.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from time import perf_counter
from typing import Any, ClassVar

import msgspec
from starlette.types import ASGIApp, Receive, Scope, Send

from contactd.api.decode import BodyDecoder, ClientGone, read_body
from contactd.api.errors import Audience, Generation, Reply, error_reply, reply_for, statuses_for
from contactd.api.idempotency import idempotency_key, keyed_reply
from contactd.api.observe import REQUEST_ID_HEADER, Observer
from contactd.domain.apps import AppService
from contactd.domain.contacts import ContactService
from contactd.domain.errors import Refusal
from contactd.domain.extensions import ExtensionService
from contactd.domain.idempotency import IdempotencyService, Render
from contactd.domain.notes import NoteService
from contactd.domain.principals import PrincipalService
from contactd.domain.store import Store
from contactd.domain.tags import TagService
from contactd.metrics import Metrics
from contactd.standin.state import StandIn

__all__ = ["Operation", "Services", "Streamed", "serve"]

log = logging.getLogger("contactd.api")
_encoder = msgspec.json.Encoder()
INTERNAL_ERROR = "internal error; it has been logged"


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a handler may use, built once at start-up."""

    store: Store
    apps: AppService
    principals: PrincipalService
    contacts: ContactService
    extensions: ExtensionService
    notes: NoteService
    tags: TagService
    metrics: Metrics
    idempotency: IdempotencyService
    stand_in: StandIn | None = None
    """Stand-in mode's state (contactd.standin); None in ordinary service."""


class Streamed:
    """An answer sent while it is made, a chunk at a time, rather than encoded whole:
    a subclass names its media type (also the OpenAPI document's) and what it is.

    The first chunk is made before the answer starts, so that a failure to begin (the
    store busy) is still an error answer; a failure after that breaks the connection,
    so the client never takes a cut answer for a whole one."""

    media_type: ClassVar[str]
    description: ClassVar[str]

    def __init__(
        self, chunks: AsyncIterator[bytes], headers: Sequence[tuple[bytes, bytes]] = ()
    ) -> None:
        self.chunks = chunks
        self.headers = list(headers)


Handler = Callable[[Services, Any], Awaitable[msgspec.Struct | Streamed]]


@dataclass(frozen=True, slots=True)
class Operation:
    path: str
    generation: Generation
    audience: Audience
    request: type[msgspec.Struct]
    response: type[msgspec.Struct] | type[Streamed]
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
    statuses = statuses_for(operation.generation, operation.audience)
    path = operation.path
    start = observer.start
    record = observer.recorder(operation.path)
    write = operation.write

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        started = perf_counter()
        request_id = start(scope)
        try:
            key = idempotency_key(scope["headers"]) if write else None
            body = await read_body(scope, receive)
            request = decode(body, scope["headers"])
            if key is None:
                answer = await handler(services, request)
                if isinstance(answer, Streamed):
                    first = await anext(answer.chunks, b"")
                    try:
                        await _stream(answer, first, send, request_id)
                    finally:
                        record(scope, request_id, 200, started)
                    return
                reply = Reply(200, _encoder.encode(answer))
            else:
                reply = await keyed_reply(operation, services, key, scope["path"], body, request)
        except ClientGone:
            return
        except Refusal as exc:
            if exc.log_as is not None:  # the operator must act: the store's own words
                log.error("%s: %s: %s", path, exc.log_as, exc)
            reply = reply_for(exc, statuses)
        except Exception:
            # A bug. Log the traceback (never the body: it holds tokens and passwords).
            log.exception("unhandled error in %s", path)
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


async def _stream(answer: Streamed, first: bytes, send: Send, request_id: bytes) -> None:
    """Send a `Streamed` answer: no length (chunked), its first chunk, then the rest."""
    headers = [
        (b"content-type", answer.media_type.encode("latin-1")),
        (REQUEST_ID_HEADER, request_id),
        *answer.headers,
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": first, "more_body": True})
    async for chunk in answer.chunks:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})

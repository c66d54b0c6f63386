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
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from contactd.api.decode import BodyTooLarge, decode_body, read_body
from contactd.api.errors import Generation, error_response, response_for
from contactd.domain.apps import AppService
from contactd.domain.contacts import ContactService
from contactd.domain.errors import Busy, DomainError
from contactd.domain.principals import PrincipalService
from contactd.store.base import Store, StoreUnavailable

__all__ = ["Endpoint", "Operation", "Services", "serve"]

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
    """The error statuses a client can cause; 413 and 503 apply to every operation."""
    tag: str


Endpoint = Callable[[Request], Awaitable[Response]]


def serve(operation: Operation, services: Services) -> Endpoint:
    """The Starlette endpoint for one operation."""

    async def endpoint(request: Request) -> Response:
        try:
            body = await read_body(request)
            parsed = decode_body(body, operation.request)
            result = await operation.handler(services, parsed)
        except BodyTooLarge as exc:
            return error_response(413, exc.msg)
        except DomainError as exc:
            return response_for(exc, operation.generation)
        except StoreUnavailable:
            return response_for(Busy("the store is busy; retry shortly"), operation.generation)
        except Exception:
            # A bug. Log the traceback (never the body: it holds tokens and passwords).
            log.exception("unhandled error in %s", operation.path)
            return error_response(500, INTERNAL_ERROR)
        return Response(_encoder.encode(result), media_type="application/json")

    endpoint.__name__ = operation.path.strip("/").replace("/", "_")
    return endpoint

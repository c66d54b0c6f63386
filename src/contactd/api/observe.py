"""What each request leaves behind: its id, its request log line, its metrics; and the
login audit.

Instrumented at one place per request rather than by middleware: an API operation's
wrapper (`operations.serve`) calls `Observer.start` and `record`; every other request
(pages, `/healthz`, `/metrics`, 404s) goes through `Observer.around`, which wraps `send`
to learn the status. The request log is contactd.api.request_log.

The request id is the client's `X-Request-ID` when it is 1-128 characters of
`A-Z a-z 0-9 . _ : / + = -`, else one made here (a random prefix per process and a
counter); it is returned in the response's `X-Request-ID` and in the login audit line.
"""

from __future__ import annotations

import contextvars
import itertools
import logging
import re
import secrets
from collections.abc import Callable
from time import perf_counter

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contactd.api.request_log import RequestLog
from contactd.metrics import LoginOutcome, Metrics

__all__ = ["REQUEST_ID_HEADER", "Observer", "audit_login", "current_request"]

REQUEST_ID_HEADER = b"x-request-id"
_VALID_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:/+=-]{1,128}")
_MAX_LOGGED_ID = 64  # an id is the client's text: bounded in the log as in the store
_PAGES = frozenset(("/", "/healthz", "/metrics", "/openapi.json", "/docs"))

audit_log = logging.getLogger("contactd.audit")

Client = tuple[str, int] | None
_current: contextvars.ContextVar[tuple[bytes, Client]] = contextvars.ContextVar("request")


def current_request() -> tuple[str, str]:
    """The request id and client address of the request being served ("-" outside one)."""
    request_id, client = _current.get((b"-", None))
    return request_id.decode("ascii"), _address(client)


def _address(client: Client) -> str:
    return client[0] if client else "-"


class _RequestIds:
    """`<12 hex digits of this process>-<counter in hex>`: unique, and cheap to make."""

    def __init__(self) -> None:
        self._prefix = secrets.token_hex(6).encode("ascii") + b"-"
        self._counter = itertools.count(1)

    def __call__(self, scope: Scope) -> bytes:
        for name, value in scope["headers"]:
            if name == REQUEST_ID_HEADER:
                if _VALID_REQUEST_ID.fullmatch(value):
                    return bytes(value)
                break
        return b"%b%x" % (self._prefix, next(self._counter))


class Observer:
    """The request ids, request log and metrics of one application."""

    def __init__(self, metrics: Metrics, *, request_log_on: bool = True) -> None:
        self.metrics = metrics
        self.request_log = RequestLog(on=request_log_on)
        self._request_id = _RequestIds()
        self._pages = {path: metrics.operation_recorder(path) for path in _PAGES}
        self._other = metrics.operation_recorder("other")

    def start(self, scope: Scope) -> bytes:
        """Begin a request: its id (also set as the current request's)."""
        request_id = self._request_id(scope)
        _current.set((request_id, scope.get("client")))
        return request_id

    def recorder(self, operation: str) -> Callable[[Scope, bytes, int, float], None]:
        """`record(scope, request_id, status, started)` for one API operation."""
        metrics = self.metrics.operation_recorder(operation)
        add_line = self.request_log.add

        def record(scope: Scope, request_id: bytes, status: int, started: float) -> None:
            elapsed = perf_counter() - started
            metrics(status, elapsed)
            add_line(scope, request_id, status, elapsed)

        return record

    async def around(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve an HTTP request that is not an API operation, observed alike."""
        started = perf_counter()
        request_id = self.start(scope)
        status = 500  # if the app fails before it answers, Starlette's handler sends a 500
        header = (REQUEST_ID_HEADER, request_id)

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        try:
            await app(scope, receive, observed_send)
        finally:
            elapsed = perf_counter() - started
            self._pages.get(scope["path"], self._other)(status, elapsed)
            self.request_log.add(scope, request_id, status, elapsed)


def audit_login(metrics: Metrics, principal_id: str, outcome: LoginOutcome) -> None:
    """One line and one count per login attempt: the id, how it ended, from where."""
    metrics.login(outcome)
    request_id, client = current_request()
    fields = {
        "id": principal_id[:_MAX_LOGGED_ID],
        "outcome": outcome,
        "client": client,
        "request_id": request_id,
    }
    audit_log.info("login", extra={"fields": fields})

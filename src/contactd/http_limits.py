"""Bounds on what one HTTP connection may hold: header size and count, header and body
time, and how many connections a process keeps open.

uvicorn's httptools protocol has none of these (httptools buffers a header of any size,
a connection that never finishes its headers is kept forever, `limit_concurrency` only
answers 503 once a request has arrived), and the servers that have some of them cost
more per request (docs/deployment.md, "Connection limits"). So this is uvicorn's own
protocol, with the checks added where the parser already calls back; refusals and HTTP
framing errors answer in contactd's error shape.
"""

from __future__ import annotations

import asyncio
import resource
from collections.abc import Callable
from typing import Any

import msgspec
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
from uvicorn.server import ServerState

__all__ = ["BoundedConfig", "BoundedHttpToolsProtocol", "ConnectionLimits", "fd_budget"]


class ConnectionLimits(msgspec.Struct, frozen=True, kw_only=True):
    max_header_bytes: int
    max_header_count: int
    header_timeout_seconds: float
    body_timeout_seconds: float
    max_connections: int


def fd_budget(open_file_limit: int | None = None) -> int:
    """Connections an open-file limit (by default this process's soft limit) leaves room
    for.

    The rest of the limit is kept for what the process opens besides client sockets: the
    store's files or its PostgreSQL pool, the listening socket, logs, the event loop.
    """
    if open_file_limit is None:
        open_file_limit, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if open_file_limit == resource.RLIM_INFINITY:
        open_file_limit = 1 << 20
    return max(1, open_file_limit - max(64, open_file_limit // 8))


class BoundedConfig(Config):
    """uvicorn's Config carrying the limits to every worker (it is pickled to them)."""

    def __init__(self, app: Any, *, limits: ConnectionLimits, **kwargs: Any) -> None:
        super().__init__(app, http=BoundedHttpToolsProtocol, **kwargs)
        self.connection_limits = limits


class _Refusal(Exception):
    """Raised from a parser callback to stop parsing; answered by `send_400_response`."""

    def __init__(self, status: int, msg: str) -> None:
        super().__init__(msg)
        self.status = status
        self.msg = msg


REFUSAL_LOG_INTERVAL_SECONDS = 60.0
MALFORMED = "malformed HTTP request: the request line or a header could not be parsed"


def error_answer(status: int, msg: str, extra_headers: bytes = b"") -> bytes:
    """A whole `connection: close` response in the error shape, written by the protocol
    itself (there is no request for the app to answer)."""
    body = msgspec.json.encode({"code": status, "status": "error", "msg": msg})
    head = b"content-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n"
    return STATUS_LINE[status] + head % len(body) + extra_headers + b"\r\n" + body


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits: ConnectionLimits = config.connection_limits  # type: ignore[attr-defined]
        self._max_header_bytes = self.limits.max_header_bytes
        self._max_header_count = self.limits.max_header_count
        self._refusal: _Refusal | None = None
        self._in_headers = False
        self._in_body = False
        self._raw_header_bytes = 0  # bytes received while the headers are incomplete
        self._header_bound = 0
        self._timer: asyncio.TimerHandle | None = None

    # -- connections -------------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # `connections` includes this one; closing at once gives the descriptor back
        # before the process can run out of them.
        if len(self.connections) > self.limits.max_connections:
            self._log_refusal()
            self.transport.write(
                error_answer(503, "too many open connections; retry later", b"retry-after: 1\r\n")
            )
            self.transport.close()
            return
        self._arm(self.limits.header_timeout_seconds, self._header_timeout)

    _refusals_logged_at = float("-inf")  # per process: a flood is one line a minute

    def _log_refusal(self) -> None:
        now = self.loop.time()
        if now - BoundedHttpToolsProtocol._refusals_logged_at >= REFUSAL_LOG_INTERVAL_SECONDS:
            BoundedHttpToolsProtocol._refusals_logged_at = now
            self.logger.warning(
                "refusing connections: %d are open, the most allowed"
                " (--max-connections; logged once a minute at most)",
                self.limits.max_connections,
            )

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    # -- timers ------------------------------------------------------------------------
    def _arm(self, seconds: float, callback: Callable[[], None]) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _header_timeout(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        if self._in_headers:
            seconds = self.limits.header_timeout_seconds
            self.transport.write(
                error_answer(408, f"the request headers did not arrive within {seconds:g} s")
            )
        self.transport.close()

    def _body_timeout(self) -> None:
        self._timer = None
        if self.transport.is_closing() or not self._in_body:
            return
        if self.flow.read_paused:  # the app is behind, not the client
            self._arm(self.limits.body_timeout_seconds, self._body_timeout)
            return
        if self.cycle is not None and not self.cycle.response_started:
            seconds = self.limits.body_timeout_seconds
            self.transport.write(error_answer(408, f"the request body stalled for {seconds:g} s"))
        self.transport.close()

    # -- parsing -----------------------------------------------------------------------
    # The usual request arrives whole in one read, no larger than the header limit: then
    # no timer is armed and no header is measured (bench.protocol_cost measures the rest).
    def data_received(self, data: bytes) -> None:
        was_in_headers = self._in_headers
        # Bytes received since the request began, at most: what on_headers_complete
        # checks before it measures anything.
        self._header_bound = len(data) + (self._raw_header_bytes if was_in_headers else 0)
        super().data_received(data)
        if self._in_headers:
            if self.transport.is_closing():
                return
            # httptools keeps a header line until it ends, so a line that never ends is
            # bounded here, by the bytes received since the request began.
            self._raw_header_bytes = self._header_bound
            if self._raw_header_bytes > self._max_header_bytes:
                self._refusal = self._too_large()
                self.send_400_response(self._refusal.msg)
            elif self._timer is None:
                self._arm(self.limits.header_timeout_seconds, self._header_timeout)
        elif self._in_body and not self.transport.is_closing():
            self._arm(self.limits.body_timeout_seconds, self._body_timeout)

    def send_400_response(self, msg: str) -> None:
        """Every answer to a request that could not be parsed: the error shape, with a
        limit's own status when a limit stopped the parser."""
        self._disarm()
        refusal, self._refusal = self._refusal, None
        if refusal is not None:
            self.transport.write(error_answer(refusal.status, refusal.msg))
        else:  # uvicorn's text ("Invalid HTTP request received.") names no cause
            self.transport.write(error_answer(400, MALFORMED))
        self.transport.close()

    def on_message_begin(self) -> None:
        # A connection's first request stays timed from the connection's opening.
        super().on_message_begin()
        self._in_headers = True
        self._raw_header_bytes = 0

    def on_headers_complete(self) -> None:
        self._in_headers = False
        self._in_body = True
        if self._timer is not None:
            self._disarm()
        if len(self.headers) > self._max_header_count:
            self._fail(_Refusal(431, f"requests are limited to {self._max_header_count} headers"))
        if self._header_bound > self._max_header_bytes and self._header_bytes() > (
            self._max_header_bytes
        ):
            self._fail(self._too_large())
        super().on_headers_complete()

    def _header_bytes(self) -> int:
        """The request's target and header fields as sent ("name: value\\r\\n")."""
        return len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)

    def _too_large(self) -> _Refusal:
        return _Refusal(
            431, f"request headers are limited to {self._max_header_bytes} bytes in all"
        )

    def _fail(self, refusal: _Refusal) -> None:
        # httptools turns an exception in a callback into HttpParserCallbackError, which
        # uvicorn answers with send_400_response: the refusal is remembered for it.
        self._refusal = refusal
        raise refusal

    def on_message_complete(self) -> None:
        self._in_body = False
        if self._timer is not None:
            self._disarm()
        super().on_message_complete()

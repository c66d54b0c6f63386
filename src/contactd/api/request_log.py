"""The request log: one line per request (logger `contactd.request`), written in batches.

A line is noted on the request path as a tuple, and turned into a log record later:
when 64 are waiting, or 0.1 s after the first of them, and when the application stops.
Made one at a time between requests, a record and its formatting cost more CPU than
made in a run, with the logging code and its data still in the CPU's caches
(bench/profile.md, "the request log in batches"). Each record keeps the time its
request was answered; a process killed outright loses the lines of its last 0.1 s.

A line holds the time, method, path (as sent, percent-encoded, never the query
string), status, latency, request id and client address: never a body, and so never a
token, password or secret.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from starlette.types import Scope

__all__ = ["BATCH_LINES", "BATCH_SECONDS", "RequestLog"]

BATCH_LINES = 64
BATCH_SECONDS = 0.1

log = logging.getLogger("contactd.request")

_Line = tuple[float, str, Any, int, float, bytes, Any]


class RequestLog:
    def __init__(self, *, on: bool = True) -> None:
        self._on = on
        self._pending: list[_Line] = []
        self._timer: asyncio.TimerHandle | None = None

    def add(self, scope: Scope, request_id: bytes, status: int, elapsed: float) -> None:
        """Note one answered request (a no-op when the log is off or below INFO)."""
        if not self._on or not log.isEnabledFor(logging.INFO):
            return
        path = scope.get("raw_path") or scope["path"]
        pending = self._pending
        pending.append(
            (time.time(), scope["method"], path, status, elapsed, request_id, scope.get("client"))
        )
        if len(pending) >= BATCH_LINES:
            self.flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(BATCH_SECONDS, self.flush)

    def flush(self) -> None:
        """Write every line noted so far."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        pending, self._pending = self._pending, []
        for answered_at, method, path, status, elapsed, request_id, client in pending:
            fields = {
                "method": method,
                # raw_path is bytes as sent: it cannot carry a newline, `path` (decoded) can.
                "path": path.decode("latin-1") if isinstance(path, bytes) else path,
                "status": status,
                "latency_ms": round(elapsed * 1000, 3),
                "request_id": request_id.decode("ascii"),
                "client": client[0] if client else "-",
            }
            # `handle(makeRecord(...))` is `info(...)` without looking up the caller's
            # frame, which no line shows.
            record = log.makeRecord(
                log.name, logging.INFO, "", 0, "request", (), None, extra={"fields": fields}
            )
            record.created = answered_at
            log.handle(record)

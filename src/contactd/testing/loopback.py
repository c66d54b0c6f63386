"""Requests to a contactd on 127.0.0.1, sent with `http.client`.

The helpers' own calls (provisioning, the control API) and the requests `mock_telecmi`
forwards all go this way: `http.client` is below every interceptor (respx patches
httpcore, responses patches requests' adapter, urllib's opener is replaced), so an
active mock, the caller's or ours, never sees them and never loops them back.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "HOP_BY_HOP",
    "Answer",
    "Dropped",
    "Refused",
    "TimedOut",
    "post_json",
    "send",
]

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
"""Headers of one connection, not of the request: the forwarded request has its own
connection and a body of known length."""
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class Refused(ConnectionError):
    """Nothing listens any more (the server stopped): nothing was sent."""


class Dropped(ConnectionError):
    """The server closed the connection without a complete answer (the `drop_connection`
    fault, or a server that stopped mid-request)."""


class TimedOut(TimeoutError):
    """No answer within the caller's read timeout (a `delay_ms` fault longer than it)."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    """As the server sent them, repeated names kept, hop-by-hop ones left out."""
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def send(
    port: int,
    method: str,
    target: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    *,
    timeout: float | None,
) -> Answer:
    """One request to 127.0.0.1:`port`, on a connection of its own (so threads may share
    the server). `target` is the path and query; a `Host` among `headers` is sent as it
    is, so the server sees the vendor's hostname the client addressed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        has_host = False
        for name, value in headers:
            folded = name.lower()
            if folded in HOP_BY_HOP or folded == "content-length":
                continue
            has_host = has_host or folded == "host"
            connection.putheader(name, value)
        if not has_host:
            connection.putheader("Host", f"127.0.0.1:{port}")
        if body or method.upper() in _BODY_METHODS:
            connection.putheader("Content-Length", str(len(body)))
        try:
            connection.endheaders(body or None)
        except ConnectionRefusedError as exc:
            raise Refused(f"contactd on 127.0.0.1:{port} refused the connection") from exc
        response = connection.getresponse()
        data = response.read()
        kept = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
        return Answer(response.status, response.reason, kept, data)
    except TimeoutError as exc:  # socket.timeout: a read that outlasted `timeout`
        raise TimedOut(f"contactd did not answer {method} {target} in {timeout} s") from exc
    except (ConnectionError, http.client.HTTPException) as exc:
        if isinstance(exc, Refused):
            raise
        raise Dropped(f"contactd closed the connection of {method} {target}: {exc!r}") from exc
    finally:
        connection.close()


def post_json(
    port: int, path: str, body: Mapping[str, Any], *, timeout: float | None = 30.0
) -> Answer:
    payload = json.dumps(body).encode()
    return send(
        port, "POST", path, [("Content-Type", "application/json")], payload, timeout=timeout
    )

"""The HTTP edge of a real `contactd serve`: paths with a trailing slash, and requests
whose HTTP framing is broken.

- `POST /v3/contact/get/` is an unknown path: 404 in the error shape, never a redirect
  (Starlette's would build its `Location` from the client's `Host` header).
- A request the HTTP parser refuses (a malformed request line or header, a bad
  `Content-Length` or chunk, both `Content-Length` and `Transfer-Encoding`) never reaches
  an endpoint: the server's protocol (contactd.http_limits) answers 400 in the error
  shape and closes the connection, as docs/api.md promises.

The store plays no part: one server on SQLite for the module.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from contactd.api.routes import OPERATIONS
from tests.contract.wire import assert_error
from tests.server_process import ServerProcess

MALFORMED = "malformed HTTP request: the request line or a header could not be parsed"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    directory: Path = tmp_path_factory.mktemp("edges")
    process = ServerProcess(f"sqlite:///{directory / 'contactd.db'}", directory / "server.log")
    yield process
    process.stop()


@pytest.mark.parametrize("path", [op.path for op in OPERATIONS])
def test_trailing_slash_is_404_without_a_redirect(server: ServerProcess, path: str) -> None:
    response = httpx.post(
        f"{server.base_url}{path}/",
        json={"token": "x"},
        headers={"Host": "attacker.example"},
        follow_redirects=False,
        timeout=10,
    )
    assert "location" not in response.headers
    assert_error(response.status_code, response.json(), 404, "not found")


@pytest.mark.parametrize("path", ["/healthz/", "/openapi.json/", "/docs/"])
def test_trailing_slash_on_get_paths_is_404(server: ServerProcess, path: str) -> None:
    response = httpx.get(f"{server.base_url}{path}", follow_redirects=False, timeout=10)
    assert "location" not in response.headers
    assert_error(response.status_code, response.json(), 404, "not found")


def _exchange(server: ServerProcess, raw: bytes) -> tuple[bytes, bool]:
    """Send raw bytes; return all the server sent and whether it closed the connection."""
    received = b""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(raw)
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            return received, False
    return received, True


BROKEN_FRAMING = {
    "request line": b"NOT AN HTTP REQUEST\r\n\r\n",
    "header without a colon": b"POST /v3/contact/get HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    "content-length not a number": (
        b"POST /v3/contact/get HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}"
    ),
    "two content-lengths": (
        b"POST /v3/contact/get HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
        b"Content-Length: 3\r\n\r\n{}"
    ),
    "content-length and chunked": (
        b"POST /v3/contact/get HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
    ),
    "chunk size not hex": (
        b"POST /v3/contact/get HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"zz\r\n{}\r\n0\r\n\r\n"
    ),
    "NUL in the path": b"POST /v3/\x00contact/get HTTP/1.1\r\nHost: x\r\n\r\n",
}


@pytest.mark.parametrize("raw", BROKEN_FRAMING.values(), ids=BROKEN_FRAMING.keys())
def test_broken_framing_is_400_and_the_connection_closed(server: ServerProcess, raw: bytes) -> None:
    received, closed = _exchange(server, raw)
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    assert lines[0] == "HTTP/1.1 400 Bad Request", received
    assert closed
    assert headers["connection"] == "close"
    assert headers["content-type"] == "application/json"
    assert_error(400, json.loads(body), 400, MALFORMED)
    assert httpx.get(f"{server.base_url}/healthz", timeout=10).status_code == 200

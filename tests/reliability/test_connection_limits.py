"""Connection limits of a real `contactd serve` (docs/deployment.md, "Connection limits"):
headers capped in size and count, slow headers and stalled bodies timed out, open
connections capped below the open-file limit, framing errors in the error shape."""

from __future__ import annotations

import json
import re
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from contactd.http_limits import fd_budget
from tests.server_process import ServerProcess, contactd_env, free_port

pytestmark = pytest.mark.blackbox

MIB = 1024 * 1024
SHORT_TIMEOUT = 2.0
GENEROUS = 8.0
"""Seconds within which a timed-out connection must be seen closed: the timeout plus
ample slack for a loaded machine."""
GET_HEALTHZ = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _sample_rss(pid: int, samples: list[int], done: threading.Event) -> None:
    while not done.wait(0.02):
        samples.append(_rss_kib(pid))


def _connect(server: ServerProcess) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def _read_all(sock: socket.socket, timeout: float = 30.0) -> bytes:
    """Everything the server sends until it closes (or resets) the connection."""
    sock.settimeout(timeout)
    answer = b""
    while True:
        try:
            data = sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            return answer
        if not data:
            return answer
        answer += data


def _send_until_answered(sock: socket.socket, head: bytes, chunk: bytes, total: int) -> bytes:
    """Send `head` then `chunk` up to `total` bytes, stopping once the server answers."""
    sock.sendall(head)
    sent = 0
    while sent < total:
        readable, _, _ = select.select([sock], [], [], 0)
        if readable:
            break
        try:
            sock.sendall(chunk)
        except OSError:
            break  # the server answered and closed
        sent += len(chunk)
    return _read_all(sock)


def _status_and_body(answer: bytes) -> tuple[int, dict[str, object], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body), head.lower()


def _assert_error_shape(answer: bytes, status: int) -> str:
    got, body, head = _status_and_body(answer)
    assert got == status, answer[:300]
    assert b"content-type: application/json" in head
    assert body["code"] == status and body["status"] == "error"
    return str(body["msg"])


def _healthz(server: ServerProcess) -> int:
    return httpx.get(f"{server.base_url}/healthz", timeout=10).status_code


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    """A SQLite server; a test's `server_env` marker-free parametrization passes its env."""
    env: dict[str, str] = getattr(request, "param", {})
    process = ServerProcess(
        f"sqlite:///{tmp_path / 'contactd.db'}", tmp_path / "server.log", extra_env=env
    )
    yield process
    process.stop()


# -- header size and count ---------------------------------------------------------------
def _huge_header(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        return _send_until_answered(
            sock, GET_HEALTHZ + b"X-Huge: ", b"a" * (64 * 1024), total=20 * MIB
        )


def test_a_20_mib_header_is_431_and_memory_stays_flat(server: ServerProcess) -> None:
    pid = server.process.pid
    for _ in range(3):  # warm up: the first requests allocate what every request needs
        _huge_header(server.port)
    before = _rss_kib(pid)
    samples: list[int] = []
    done = threading.Event()
    sampler = threading.Thread(target=_sample_rss, args=(pid, samples, done))
    sampler.start()
    try:
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(_huge_header, [server.port] * 8))
    finally:
        done.set()
        sampler.join()
    after, peak = _rss_kib(pid), max(samples, default=before)
    print(f"VmRSS {before} KiB before 8 x 20 MiB headers, {after} after, {peak} at most")
    for answer in answers:
        msg = _assert_error_shape(answer, 431)
        assert "65536 bytes" in msg
    assert after - before < 20 * 1024, f"VmRSS grew {after - before} KiB"
    assert peak - before < 20 * 1024, f"VmRSS peaked {peak - before} KiB above its start"
    assert _healthz(server) == 200


def test_ten_thousand_headers_are_refused(server: ServerProcess) -> None:
    headers = b"".join(b"X-H%d: v\r\n" % n for n in range(10_000))
    with _connect(server) as sock:
        sock.sendall(GET_HEALTHZ + headers + b"\r\n")
        msg = _assert_error_shape(_read_all(sock), 431)
    assert "100 headers" in msg
    assert _healthz(server) == 200


def test_headers_within_the_limits_are_served(server: ServerProcess) -> None:
    headers = b"".join(b"X-H%d: %s\r\n" % (n, b"v" * 500) for n in range(90))
    with _connect(server) as sock:
        sock.sendall(GET_HEALTHZ + headers + b"Connection: close\r\n\r\n")
        status, body, _ = _status_and_body(_read_all(sock))
    assert (status, body["status"]) == (200, "ok")


@pytest.mark.parametrize(
    "server", [{"CONTACTD_MAX_HEADER_BYTES": "4096"}], indirect=True, ids=["4096"]
)
def test_the_header_limit_is_a_setting(server: ServerProcess) -> None:
    with _connect(server) as sock:
        sock.sendall(GET_HEALTHZ + b"X-Big: " + b"a" * 5000 + b"\r\n\r\n")
        assert "4096 bytes" in _assert_error_shape(_read_all(sock), 431)


# -- slow headers, stalled bodies --------------------------------------------------------
@pytest.mark.parametrize(
    "server",
    [{"CONTACTD_HEADER_TIMEOUT_SECONDS": str(SHORT_TIMEOUT)}],
    indirect=True,
    ids=["2s"],
)
def test_slow_header_connections_are_closed_within_the_timeout(server: ServerProcess) -> None:
    trickle = GET_HEALTHZ + b"X-Slow: " + b"a" * 60
    silent = [_connect(server) for _ in range(20)]  # connect, never send a byte
    slow = [_connect(server) for _ in range(50)]
    started = time.monotonic()
    for sock in slow:
        sock.setblocking(False)
    closed: dict[socket.socket, bytes] = {}
    sent = 0
    # One byte a tenth of a second on every slow connection, until the server closes it.
    while len(closed) < len(slow) and time.monotonic() - started < GENEROUS:
        for sock in slow:
            if sock in closed:
                continue
            try:
                data = sock.recv(65536)
                closed[sock] = data  # an answer, or b"" at close
                continue
            except BlockingIOError:
                pass
            except ConnectionResetError:
                closed[sock] = b""
                continue
            if sent < len(trickle):
                try:
                    sock.send(trickle[sent : sent + 1])
                except OSError:
                    closed[sock] = b""
        sent += 1
        time.sleep(0.1)
    elapsed = time.monotonic() - started
    print(f"50 slow-header connections closed after {elapsed:.1f} s", file=sys.stderr)
    assert len(closed) == len(slow), f"{len(slow) - len(closed)} still open after {elapsed:.1f} s"
    for data in closed.values():
        if data:  # the answer may be lost to a reset if the client was mid-send
            assert "did not arrive within 2 s" in _assert_error_shape(data, 408)
    for sock in silent:  # closed too, with nothing to answer
        assert _read_all(sock, timeout=GENEROUS) == b""
    for sock in slow + silent:
        sock.close()
    assert _healthz(server) == 200


# Stand-in mode reads each body before its operation does (standin/middleware.py): the
# same bodies time out and are served the same.
BODY_TIMEOUTS = pytest.mark.parametrize(
    "server",
    [
        {"CONTACTD_BODY_TIMEOUT_SECONDS": str(SHORT_TIMEOUT)},
        {"CONTACTD_BODY_TIMEOUT_SECONDS": str(SHORT_TIMEOUT), "CONTACTD_STAND_IN": "1"},
    ],
    indirect=True,
    ids=["2s", "2s-stand-in"],
)


@BODY_TIMEOUTS
def test_a_stalled_body_is_timed_out(server: ServerProcess) -> None:
    head = (
        b"POST /v3/contact/get HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    )
    with _connect(server) as sock:
        sock.sendall(head + b'{"token": "')
        started = time.monotonic()
        answer = _read_all(sock, timeout=GENEROUS)
        elapsed = time.monotonic() - started
    assert elapsed < GENEROUS
    assert "stalled for 2 s" in _assert_error_shape(answer, 408)
    assert _healthz(server) == 200


@BODY_TIMEOUTS
def test_a_slow_body_that_keeps_coming_is_served(server: ServerProcess) -> None:
    body = json.dumps({"token": "t" * 20}).encode()
    head = (
        b"POST /v3/contact/get HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    )
    with _connect(server) as sock:
        sock.sendall(head)
        for n in range(0, len(body), 8):  # each pause under the timeout, the sum above it
            time.sleep(SHORT_TIMEOUT / 3)
            sock.sendall(body[n : n + 8])
        status, answer, _ = _status_and_body(_read_all(sock))
    assert status == 404, answer  # an unknown token: the request was read and answered
    assert answer["code"] == 404


# -- the connection cap ------------------------------------------------------------------
def _open(server: ServerProcess, count: int) -> list[socket.socket]:
    return [_connect(server) for _ in range(count)]


def _refused(socks: list[socket.socket], wait: float) -> list[socket.socket]:
    """The connections the server answered or closed within `wait` seconds."""
    poller = select.poll()
    by_fd = {sock.fileno(): sock for sock in socks}
    for fd in by_fd:
        poller.register(fd, select.POLLIN)
    found: set[int] = set()
    deadline = time.monotonic() + wait
    while len(found) < len(socks) and (left := deadline - time.monotonic()) > 0:
        events = poller.poll(left * 1000)
        for fd, _ in events:
            found.add(fd)
            poller.unregister(fd)
        if not events:
            break
    return [by_fd[fd] for fd in by_fd if fd in found]


@pytest.mark.parametrize("server", [{"CONTACTD_MAX_CONNECTIONS": "50"}], indirect=True, ids=["50"])
def test_connections_past_the_cap_are_refused_promptly(server: ServerProcess) -> None:
    held = _open(server, 50)
    time.sleep(0.5)  # every one of them accepted before the excess arrives
    excess = _open(server, 25)
    refused = _refused(excess, wait=5.0)
    assert len(refused) == len(excess)
    for sock in excess:
        assert "too many open connections" in _assert_error_shape(_read_all(sock), 503)
    assert _refused(held, wait=0.5) == []  # the first 50 are still open, unanswered
    # While the cap is full even /healthz is refused, promptly and in the error shape.
    with _connect(server) as sock:
        sock.sendall(GET_HEALTHZ + b"\r\n")
        _assert_error_shape(_read_all(sock, timeout=5.0), 503)
    for sock in held + excess:
        sock.close()
    deadline = time.monotonic() + GENEROUS
    while time.monotonic() < deadline:  # the server sees the closes on its next turns
        try:
            if _healthz(server) == 200:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    assert _healthz(server) == 200


def test_the_default_cap_keeps_below_the_open_file_limit(tmp_path: Path) -> None:
    """With `ulimit -n 256`, 400 connections cannot exhaust the descriptors: the excess
    is refused and the server keeps answering."""
    server = ServerProcess(
        f"sqlite:///{tmp_path / 'contactd.db'}", tmp_path / "server.log", open_file_limit=256
    )
    try:
        socks = _open(server, 400)
        refused = _refused(socks, wait=5.0)
        assert len(refused) == 400 - fd_budget(256), len(refused)
        for sock in refused:
            _assert_error_shape(_read_all(sock), 503)
        for sock in socks:
            sock.close()
        time.sleep(0.5)
        assert _healthz(server) == 200
        log = (tmp_path / "server.log").read_text()
        assert "Too many open files" not in log
    finally:
        server.stop()


# -- framing errors ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "request_bytes",
    [
        b"NOT AN HTTP REQUEST\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n",
    ],
    ids=["request-line", "header-name", "content-length"],
)
def test_framing_errors_answer_in_the_error_shape(
    server: ServerProcess, request_bytes: bytes
) -> None:
    with _connect(server) as sock:
        sock.sendall(request_bytes)
        msg = _assert_error_shape(_read_all(sock), 400)
    assert msg.startswith("malformed HTTP request")
    assert _healthz(server) == 200


# -- every worker, and the settings ------------------------------------------------------
@pytest.mark.postgres
def test_every_worker_of_serve_workers_2_applies_the_limits(
    pg_database_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    env = {"CONTACTD_WORKERS": "2", "CONTACTD_MAX_HEADER_BYTES": "4096"}
    server = ServerProcess(pg_database_url, log, extra_env=env)
    try:
        for _ in range(20):  # the kernel spreads the connections over both workers
            with _connect(server) as sock:
                sock.sendall(GET_HEALTHZ + b"X-Big: " + b"a" * 5000 + b"\r\n\r\n")
                assert "4096 bytes" in _assert_error_shape(_read_all(sock), 431)
        assert _healthz(server) == 200
    finally:
        server.stop()
    workers = set(re.findall(r"Started server process \[(\d+)\]", log.read_text()))
    assert len(workers) == 2, log.read_text()


@pytest.mark.parametrize(
    ("flag", "value", "rule"),
    [
        ("--max-header-bytes", "100", "1024"),
        ("--max-header-count", "0", "must be an integer >= 1"),
        ("--header-timeout-seconds", "0", "must be a number > 0"),
        ("--body-timeout-seconds", "-1", "must be a number > 0"),
        ("--max-connections", str(10**9), "open-file limit"),
    ],
)
def test_a_limit_out_of_range_is_refused_before_serving(
    tmp_path: Path, flag: str, value: str, rule: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "contactd", "serve", "--port", str(free_port()), flag, value],
        env=contactd_env(f"sqlite:///{tmp_path / 'x.db'}"),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert flag in result.stderr
    assert rule in result.stderr

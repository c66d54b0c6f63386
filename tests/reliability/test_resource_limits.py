"""Resource limits: capped password hashing, and oversized bodies refused unread."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from contactd.domain.passwords import PasswordHasher
from tests.server_process import ServerProcess

MIB = 1024 * 1024


class GatedHasher:
    """Stands in for argon2's hasher: each call waits at a gate the test opens."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.gate = threading.Event()
        self.lock = threading.Lock()
        self.active = self.peak = self.calls = 0

    def _enter(self) -> None:
        with self.lock:
            self.active += 1
            self.calls += 1
            self.peak = max(self.peak, self.active)
        assert self.gate.wait(timeout=30)
        with self.lock:
            self.active -= 1

    def hash(self, password: str) -> str:
        self._enter()
        return self.inner.hash(password)  # type: ignore[attr-defined,no-any-return]

    def verify(self, stored: str, password: str) -> bool:
        self._enter()
        return self.inner.verify(stored, password)  # type: ignore[attr-defined,no-any-return]


async def _burst(cap: int, requests: int) -> GatedHasher:
    hasher = PasswordHasher(time_cost=1, memory_kib=1024, max_concurrent=cap)
    gated = GatedHasher(hasher._hasher)
    hasher._hasher = gated  # type: ignore[assignment]
    stored = await asyncio.to_thread(gated.inner.hash, "pw")  # type: ignore[attr-defined]
    jobs = [
        asyncio.ensure_future(hasher.hash("pw") if n % 2 else hasher.verify(stored, "pw"))
        for n in range(requests)
    ]
    while gated.active < cap:  # the first `cap` jobs reach the gate
        await asyncio.sleep(0)
    for _ in range(200):  # every other job gets many chances to start: none can
        await asyncio.sleep(0)
    assert gated.active == cap
    assert gated.calls == cap
    gated.gate.set()
    await asyncio.gather(*jobs)
    return gated


@pytest.mark.parametrize("cap", [1, 2, 4])
def test_concurrent_hashing_is_capped(cap: int) -> None:
    gated = asyncio.run(_burst(cap, requests=5 * cap))
    assert gated.peak == cap
    assert gated.calls == 5 * cap


# -- 100 MiB bodies against a real process: refused with 413, memory flat ------------------
@pytest.fixture(params=[{}, {"CONTACTD_STAND_IN": "1"}], ids=["plain", "stand-in"])
def sqlite_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    # Stand-in mode reads each body before its operation does (standin/middleware.py):
    # it must refuse the same bodies as early.
    process = ServerProcess(
        f"sqlite:///{tmp_path / 'contactd.db'}", tmp_path / "server.log", extra_env=request.param
    )
    yield process
    process.stop()


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _send_huge(port: int, *, chunked: bool, total: int = 100 * MIB) -> bytes:
    """Send headers and up to `total` body bytes until the server answers or closes."""
    head = b"POST /v3/contact/add HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    head += (
        b"Transfer-Encoding: chunked\r\n\r\n" if chunked else b"Content-Length: %d\r\n\r\n" % total
    )
    chunk = b"[" * (64 * 1024)
    frame = b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        sent = 0
        try:
            while sent < total:
                sock.sendall(frame)
                sent += len(chunk)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed: what we want
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while b"\r\n\r\n" not in answer:
            try:
                data = sock.recv(65536)
            except OSError:
                break
            if not data:
                break
            answer += data
        return answer


@pytest.mark.blackbox
@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_a_100_mib_body_is_refused_without_growing_memory(
    sqlite_server: ServerProcess, chunked: bool
) -> None:
    pid = sqlite_server.process.pid
    for _ in range(3):  # warm up: the first requests allocate what every request needs
        _send_huge(sqlite_server.port, chunked=chunked, total=2 * MIB)
    before = _rss_kib(pid)
    answer = _send_huge(sqlite_server.port, chunked=chunked)
    after = _rss_kib(pid)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"code":413' in answer
    assert after - before < 5 * 1024, f"VmRSS grew {after - before} KiB"
    status, _ = sqlite_server.post("/v3/contact/get", {"token": "x"})
    assert status == 404  # still serving

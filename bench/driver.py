"""A lean load driver: raw HTTP/1.1 keep-alive over asyncio (uvloop), on loopback.

Each of N connections sends one request, reads the whole response (by Content-Length)
and records its latency, until a duration or a request count runs out. Requests are
pre-encoded bytes; a case varies them only where it must (an iterator per connection).
The server's cost is read from /proc: CPU time (utime + stime of every thread) before
and after a case, divided by the requests served, and VmRSS sampled meanwhile.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CaseResult",
    "Connection",
    "RssSampler",
    "cpu_seconds",
    "post",
    "postgres_cpu_seconds",
    "rss_kib",
    "run_load",
    "until_idle",
]

CLK_TCK = os.sysconf("SC_CLK_TCK")
_HEAD = b"POST %s HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"


def post(path: str, body: bytes) -> bytes:
    """One complete request, ready to write."""
    return _HEAD % path.encode() + b"Content-Length: %d\r\n\r\n" % len(body) + body


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process (all its threads), in seconds."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the name may hold spaces
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of proc(5)


def _client_ports(pid: int, server_port: int = 5432) -> set[int]:
    """Local ports of `pid`'s TCP connections to `server_port` (its PostgreSQL pool)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            cols = line.split()
            if cols[9] in inodes and int(cols[2].rsplit(":", 1)[1], 16) == server_port:
                ports.add(int(cols[1].rsplit(":", 1)[1], 16))
    return ports


def postgres_cpu_seconds(client_pid: int) -> float:
    """CPU of the PostgreSQL processes working for `client_pid`: the backends of its
    connections (matched by the client port in their process title) and the server's
    own auxiliary processes (WAL writer, checkpointer...), not other clients' backends.
    """
    ports = {f"({port})".encode() for port in _client_ports(client_pid)}
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            title = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if stat[stat.index("(") + 1 : stat.rindex(")")] != "postgres":
            continue
        is_backend = b"(" in title
        if is_backend and not any(port in title for port in ports):
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class _Client(asyncio.Protocol):
    """Reads one response at a time: status, and the body once Content-Length is in."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self._need = -1
        self._status = 0
        self._start = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        if self._need < 0:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buffer[:end]).lower()
            self._status = int(head[9:12])
            at = head.find(b"content-length:")
            if at < 0:
                raise ConnectionError("a response without Content-Length")
            eol = head.find(b"\r\n", at)
            length = int(head[at + 15 : eol if eol >= 0 else len(head)])
            self._need = end + 4 + length
            self._start = end + 4
        if len(buffer) >= self._need:
            body = bytes(buffer[self._start : self._need])
            del buffer[: self._need]
            self._need = -1
            waiter, self._waiter = self._waiter, None
            if waiter is not None and not waiter.done():
                waiter.set_result((self._status, body))

    def connection_lost(self, exc: Exception | None) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(ConnectionError("server closed the connection"))

    def request(self, data: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self.transport is not None
        self._waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return self._waiter


class Connection:
    """One keep-alive connection for set-up work (logins, walks): `await call(...)`."""

    def __init__(self, client: _Client) -> None:
        self._client = client

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        loop = asyncio.get_running_loop()
        _, client = await loop.create_connection(_Client, host, port)
        return cls(client)

    async def call(self, path: str, body: bytes) -> tuple[int, bytes]:
        return await self._client.request(post(path, body))

    def close(self) -> None:
        if self._client.transport is not None:
            self._client.transport.close()


@dataclass
class CaseResult:
    requests: int = 0
    seconds: float = 0.0
    latencies_ns: list[int] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    server_cpu: float = 0.0
    db_cpu: float = 0.0
    bodies: list[bytes] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: float) -> float:
        if not self.latencies_ns:
            return 0.0
        ordered = sorted(self.latencies_ns)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1e6

    @property
    def cpu_us(self) -> float:
        """Server CPU per request, microseconds."""
        return self.server_cpu / self.requests * 1e6 if self.requests else 0.0

    @property
    def db_cpu_us(self) -> float:
        return self.db_cpu / self.requests * 1e6 if self.requests else 0.0

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 300)


Source = Callable[[int], Iterator[bytes]]


def constant(request: bytes) -> Source:
    return lambda _conn: itertools.repeat(request)


def cycling(requests: list[bytes]) -> Source:
    """Each connection cycles through `requests`, starting at its own offset."""

    def source(conn: int) -> Iterator[bytes]:
        start = conn * 97 % len(requests)
        return itertools.cycle(requests[start:] + requests[:start])

    return source


async def run_load(
    host: str,
    port: int,
    source: Source,
    *,
    pid: int,
    connections: int = 8,
    seconds: float = 4.0,
    max_requests: int = 1_000_000,
    keep_bodies: bool = False,
    with_db: bool = False,
    rate: float | None = None,
    on_response: Callable[[bytes, int, bytes], None] | None = None,
    busy_client: bool = False,
    settle: bool = False,
) -> CaseResult:
    """Drive the server until `seconds` pass or `max_requests` are answered.

    With `settle`, the server CPU counted goes on past the last answer until the server
    is idle (`until_idle`): work it defers (SQLite's fragment folds) is then the case's.

    `rate` (requests/s over all connections) paces the sends instead of sending as fast
    as responses come; `on_response(request, status, body)` sees every answer.

    `busy_client` keeps the client's event loop from sleeping in epoll while the case
    runs (a task that only yields to the loop). On loopback the kernel charges the
    wake-up of a sleeping receiver to the sender: a server's CPU per request then
    includes waking this client, which a client on another host never costs it. A
    fast server keeps the client busy and pays that rarely; a slower one leaves the
    client asleep between answers and pays it on every write. With the client never
    asleep, every server is measured without it. It costs the client a whole CPU, so
    cases whose server needs both CPUs (the add, with its writer thread) run without.
    """
    loop = asyncio.get_running_loop()
    clients = []
    for _ in range(connections):
        _, client = await loop.create_connection(_Client, host, port)
        clients.append(client)
    result = CaseResult()
    latencies = result.latencies_ns
    statuses = result.statuses
    bodies = result.bodies
    budget = [max_requests]
    clock = time.perf_counter_ns
    deadline = clock() + int(seconds * 1e9)

    interval = int(connections / rate * 1e9) if rate else 0

    async def drive(conn: int, client: _Client) -> None:
        requests = source(conn)
        due = clock() + interval * conn // connections
        while budget[0] > 0 and clock() < deadline:
            if interval:
                wait = due - clock()
                due += interval
                if wait > 0:
                    await asyncio.sleep(wait / 1e9)
            request = next(requests, None)
            if request is None:
                return
            budget[0] -= 1
            started = clock()
            status, body = await client.request(request)
            latencies.append(clock() - started)
            statuses[status] += 1
            if keep_bodies:
                bodies.append(body)
            if on_response is not None:
                on_response(request, status, body)

    running = True

    async def stay_awake() -> None:
        while running:
            await asyncio.sleep(0)  # a ready task: the loop polls without blocking

    awake = loop.create_task(stay_awake()) if busy_client else None
    cpu_before = cpu_seconds(pid)
    db_before = postgres_cpu_seconds(pid) if with_db else 0.0
    started = time.perf_counter()
    try:
        await asyncio.gather(*(drive(i, c) for i, c in enumerate(clients)))
    finally:
        result.seconds = time.perf_counter() - started
        if settle:
            await until_idle(pid)
        result.server_cpu = cpu_seconds(pid) - cpu_before
        if with_db:
            result.db_cpu = postgres_cpu_seconds(pid) - db_before
        running = False
        if awake is not None:
            await awake
        for client in clients:
            if client.transport is not None:
                client.transport.close()
    result.requests = len(latencies)
    return result


IDLE_SHARE = 0.02
"""A process using less of a CPU than this over `IDLE_WINDOW_SECONDS` is idle."""
IDLE_WINDOW_SECONDS = 0.2


async def until_idle(pid: int, *, limit_seconds: float = 120.0) -> None:
    """Wait until the process is idle (its deferred work done), `limit_seconds` at most."""
    deadline = time.monotonic() + limit_seconds
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        await asyncio.sleep(IDLE_WINDOW_SECONDS)
        if cpu_seconds(pid) - before < IDLE_SHARE * IDLE_WINDOW_SECONDS:
            return


class RssSampler:
    """Samples a process's VmRSS every `interval` seconds in the background."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.pid = pid
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            self.samples.append((time.monotonic(), rss_kib(self.pid)))
            await asyncio.sleep(self.interval)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self.samples.append((time.monotonic(), rss_kib(self.pid)))

    def mark(self) -> int:
        return len(self.samples)

    def peak_kib(self, since: int = 0) -> int:
        return max((kib for _, kib in self.samples[since:]), default=0)

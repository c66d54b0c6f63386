"""The benchmark's cases: what each sends, and the set-up they share (tokens, a deep
cursor, contact ids). `bench.run` runs them; `bench.report` prints their figures."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field

from bench import data
from bench.driver import (
    CaseResult,
    Connection,
    RssSampler,
    Source,
    constant,
    cycling,
    post,
    run_load,
)
from bench.server import Server

__all__ = ["ADD_BATCH", "ADD_CONNECTIONS", "CASES", "ONCE", "WRITES", "Bench", "prepare"]

ONCE = frozenset({"rss_100k", "login"})
"""Cases run once whatever `--repeat` says: long, or argon2-bound."""
WRITES = frozenset({"v3_add"})
"""Cases that write: repeated like the reads, but after them, so that no read runs
against a write's left-overs (a WAL awaiting its checkpoint, deleted rows)."""
DEPTH = 500_000
V1_DEEP_PAGE = 50_000
ADD_BATCH = 100
ADD_CONNECTIONS = 4
RSS_REQUESTS = 100_000


@dataclass
class Bench:
    """What the cases share for one backend: the servers, tokens, request bodies."""

    backend: str
    server: Server
    floor: Server | None
    seconds: float
    connections: int
    manifest: dict[str, object]
    tokens: dict[int, str] = field(default_factory=dict)
    deep_cursor: str = ""
    contact_ids: list[str] = field(default_factory=list)
    page_bytes: int = 0
    walk: CaseResult | None = None
    rss_growth: tuple[int, int] | None = None
    rss_peaks: dict[str, int] = field(default_factory=dict)
    """The server's peak VmRSS (KiB) during each case."""
    rates: dict[str, float] = field(default_factory=dict)
    """Each case's request rate (req/s) once it has run."""

    @property
    def big(self) -> int:
        return int(self.manifest["big_app"])  # type: ignore[call-overload]

    @property
    def small(self) -> int:
        return int(self.manifest["small_apps"][0])  # type: ignore[index]

    @property
    def writes(self) -> int:
        """The app the add case writes to (and cleans up): no read case uses it."""
        return int(self.manifest["small_apps"][-1])  # type: ignore[index]

    async def load(
        self, source: Source, *, server: Server | None = None, warm: bool = True, **options: object
    ) -> CaseResult:
        target = server or self.server
        kwargs: dict[str, object] = {
            "pid": target.pid,
            "connections": self.connections,
            "seconds": self.seconds,
            "with_db": self.backend == "postgresql" and target is self.server,
            # See run_load: no server pays to wake the client. On PostgreSQL the database's
            # processes need the second CPU, so its cases run with a client that sleeps.
            "busy_client": self.backend == "sqlite",
            **options,
        }
        if warm:  # a short untimed run first: connections, caches, pages in memory
            await run_load(target.host, target.port, source, **{**kwargs, "seconds": 0.5})  # type: ignore[arg-type]
        return await run_load(target.host, target.port, source, **kwargs)  # type: ignore[arg-type]


def body(**fields: object) -> bytes:
    return json.dumps(fields, separators=(",", ":")).encode()


# -- the cases ---------------------------------------------------------------------------


async def case_floor(b: Bench) -> CaseResult:
    assert b.floor is not None
    return await b.load(constant(post("/v3/contact/get", b"{}")), server=b.floor)


async def case_floor_paced(b: Bench) -> CaseResult:
    """The floor again, held to the v3 first page's request rate.

    A server's CPU per request depends on its load: saturated, it shares one epoll
    wake-up among several requests; at a lower rate it sleeps between requests and each
    one pays its wake-up alone. The floor runs 3-4 times as fast as a contactd case, so
    this case gives the floor at the rate contactd served (reported beside the target's
    ratio, which stays on the unpaced floor).
    """
    assert b.floor is not None
    return await b.load(
        constant(post("/v3/contact/get", b"{}")), server=b.floor, rate=b.rates["v3_first"]
    )


async def case_v3_first(b: Bench) -> CaseResult:
    request = post("/v3/contact/get", body(token=b.tokens[b.big], limit=10))
    return await b.load(constant(request))


async def case_v3_first_1k(b: Bench) -> CaseResult:
    request = post("/v3/contact/get", body(token=b.tokens[b.small], limit=10))
    return await b.load(constant(request))


async def case_v3_deep(b: Bench) -> CaseResult:
    request = post(
        "/v3/contact/get", body(token=b.tokens[b.big], limit=10, page_state=b.deep_cursor)
    )
    return await b.load(constant(request))


async def case_v3_get_id(b: Bench) -> CaseResult:
    token = b.tokens[b.big]
    requests = [post("/v3/contact/get", body(token=token, contact_id=i)) for i in b.contact_ids]
    return await b.load(cycling(requests))


async def case_v1_page1(b: Bench) -> CaseResult:
    return await b.load(constant(post("/v1/getContact", body(token=b.tokens[b.big], page=1))))


async def case_v1_p50k_cold(b: Bench) -> CaseResult:
    # Only the end of a page is remembered, so page 50,000 asked again and again with
    # page 49,999 never asked is a cold offset every time.
    request = post("/v1/getContact", body(token=b.tokens[b.big], page=V1_DEEP_PAGE))
    return await b.load(constant(request), warm=False)


async def case_v1_p50k_walk(b: Bench) -> CaseResult:
    token = b.tokens[b.big].encode()
    head = post("/v1/getContact", b"").split(b"Content-Length")[0]
    # Each connection walks its own run of pages in order, from its own start at or
    # after page 50,000; the walk goes on from the warm-up, which takes the one cold
    # offset of each run.
    next_page = {conn: V1_DEEP_PAGE + conn * 2_000 for conn in range(b.connections)}

    def source(conn: int) -> Iterator[bytes]:
        while True:
            payload = b'{"token":"%s","page":%d}' % (token, next_page[conn])
            next_page[conn] += 1
            yield head + b"Content-Length: %d\r\n\r\n" % len(payload) + payload

    return await b.load(source)


async def case_v1_mike(b: Bench) -> CaseResult:
    request = post("/v1/getContact", body(token=b.tokens[b.big], page=1, name="mike"))
    return await b.load(constant(request))


async def case_login(b: Bench) -> CaseResult:
    request = post("/v2/user/login", body(id=f"101_{b.big}", password=data.PASSWORD))
    return await b.load(constant(request), connections=2, warm=False, busy_client=False)


def _add_requests(b: Bench, count: int) -> list[bytes]:
    taken = {data.phone_of(b.writes, n)[1] for n in range(data.SMALL_CONTACTS)}
    rng = random.Random()  # fresh phones each run: a run cut short leaves no clash
    base = 6_000_000_000 + rng.randrange(3_000_000_000)
    token = b.tokens[b.writes]
    requests, n = [], 0
    for r in range(count):
        batch = []
        while len(batch) < ADD_BATCH:
            national = str(base + n)
            n += 1
            if "91" + national in taken:
                continue
            batch.append(
                {
                    "phone_no": national,
                    "first_name": rng.choice(data.FIRST),
                    "last_name": rng.choice(data.LAST),
                    "email_id": f"bench{r}.{len(batch)}@example.in",
                    "company": rng.choice(data.COMPANIES),
                    "job_title": rng.choice(data.JOBS),
                }
            )
        requests.append(post("/v3/contact/add", body(token=token, contacts=batch)))
    return requests


def _split(requests: list[bytes]) -> Source:
    """Each request once: connection i sends requests i, i + n, i + 2n, ..."""
    return lambda conn: iter(requests[conn::ADD_CONNECTIONS])


async def case_v3_add(b: Bench) -> CaseResult:
    requests = _add_requests(b, 4_000)
    result = await b.load(
        _split(requests),
        connections=ADD_CONNECTIONS,
        warm=False,
        max_requests=len(requests),
        keep_bodies=True,
        busy_client=False,  # the server's writer thread needs the second CPU
    )
    await _delete_added(b, result)
    return result


async def _delete_added(b: Bench, result: CaseResult) -> None:
    """Delete what the add case stored, so that the reused data set stays as built."""
    ids = [i for raw in result.bodies if raw.startswith(b"{") for i in _ids(raw)]
    token = b.tokens[b.writes]
    requests = [
        post("/v3/contact/delete", body(token=token, contact_ids=ids[at : at + ADD_BATCH]))
        for at in range(0, len(ids), ADD_BATCH)
    ]
    result.bodies.clear()
    if requests:
        cleanup = await b.load(
            _split(requests),
            connections=ADD_CONNECTIONS,
            warm=False,
            seconds=600,
            max_requests=len(requests),
            busy_client=False,
        )
        if cleanup.errors:
            print(f"bench: cleaning up the added contacts failed: {dict(cleanup.statuses)}")


def _ids(raw: bytes) -> list[str]:
    ids: list[str] = json.loads(raw).get("contact_ids") or []
    return ids


async def case_rss_100k(b: Bench) -> CaseResult:
    token = b.tokens[b.big]
    mix = [
        post("/v3/contact/get", body(token=token, limit=10)),
        post("/v3/contact/get", body(token=token, limit=10, page_state=b.deep_cursor)),
        post("/v1/getContact", body(token=token, page=1)),
        *(post("/v3/contact/get", body(token=token, contact_id=i)) for i in b.contact_ids[:200]),
    ]
    sampler = RssSampler(b.server.pid, interval=0.5)
    sampler.start()
    result = await b.load(cycling(mix), warm=False, seconds=300, max_requests=RSS_REQUESTS)
    await sampler.stop()
    b.rss_growth = (sampler.samples[0][1], sampler.samples[-1][1])
    return result


CaseFn = Callable[[Bench], Awaitable[CaseResult]]
CASES: dict[str, tuple[str, CaseFn]] = {
    "floor": ("floor: raw ASGI, constant body", case_floor),
    "v3_first": ("v3 first page, 1M app", case_v3_first),
    "floor_paced": ("floor at the v3 first page's req/s", case_floor_paced),
    "v3_first_1k": ("v3 first page, 1k app", case_v3_first_1k),
    "v3_deep": ("v3 page at 500,000, 1M app", case_v3_deep),
    "v3_get_id": ("v3 get by contact_id", case_v3_get_id),
    "v1_page1": ("v1 page 1", case_v1_page1),
    "v1_p50k_cold": ("v1 page 50,000, cold", case_v1_p50k_cold),
    "v1_p50k_walk": ("v1 page 50,000+, in-order walk", case_v1_p50k_walk),
    "v1_mike": ('v1 name "mike", page 1', case_v1_mike),
    "rss_100k": ("mixed reads, 100,000 requests (RSS)", case_rss_100k),
    "login": ("v2 login (argon2id defaults)", case_login),
    "v3_add": ("v3 add, batches of 100", case_v3_add),
}


async def prepare(b: Bench, cases: list[str]) -> None:
    conn = await Connection.open(b.server.host, b.server.port)
    try:
        for app in (b.big, b.small, b.writes):
            status, raw = await conn.call(
                "/v2/user/login", body(id=f"101_{app}", password=data.PASSWORD)
            )
            if status != 200:
                raise RuntimeError(f"login to app {app} failed: {status} {raw[:200]!r}")
            b.tokens[app] = json.loads(raw)["token"]
        status, raw = await conn.call("/v3/contact/get", body(token=b.tokens[b.big], limit=10))
        b.page_bytes = len(raw)
        if {"v3_deep", "v3_get_id", "rss_100k"} & set(cases):
            await walk_to_depth(b, conn)
    finally:
        conn.close()


async def walk_to_depth(b: Bench, conn: Connection) -> None:
    """Follow the cursor 100 contacts a page to contact 500,000 (timed: one client)."""
    token = b.tokens[b.big]
    cursor: str | None = None
    result = CaseResult()
    started = time.perf_counter()
    for _ in range(DEPTH // 100):
        t0 = time.perf_counter_ns()
        status, raw = await conn.call(
            "/v3/contact/get", body(token=token, limit=100, page_state=cursor)
        )
        result.latencies_ns.append(time.perf_counter_ns() - t0)
        result.statuses[status] += 1
        page = json.loads(raw)
        cursor = page["page_state"]
        b.contact_ids.append(page["contacts"][len(b.contact_ids) % 100]["contact_id"])
    result.seconds = time.perf_counter() - started
    result.requests = len(result.latencies_ns)
    assert cursor is not None
    b.deep_cursor = cursor
    b.walk = result

"""What the benchmark's cases share for one backend (`Bench`), and the set-up that fills
it: the principals' tokens, cursors and contact ids from a walk to depth, and the
request builders that make a case cycle through many different requests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from bench import data
from bench.driver import CaseResult, Connection, Source, cycling, post, run_load, until_idle
from bench.server import Server

__all__ = ["DEPTH", "SMALL_CYCLED", "Bench", "added_ids", "body", "delete_contacts", "prepare"]

DEPTH = 500_000
AROUND = 10_000
"""The deep cursors lie within this many contacts either side of `DEPTH`."""
SMALL_CYCLED = 4
"""How many 1k apps the 1k case cycles over (the writes app aside)."""


def body(**fields: object) -> bytes:
    return json.dumps(fields, separators=(",", ":")).encode()


@dataclass
class Bench:
    """What the cases share for one backend: the servers, tokens, request bodies."""

    backend: str
    server: Server
    floor: Server | None
    seconds: float
    connections: int
    manifest: dict[str, object]
    tokens: dict[int, list[str]] = field(default_factory=dict)
    """Per app, a token of each of its principals (the first is extension 101's)."""
    deep_cursor: str = ""
    """The cursor at contact `DEPTH` exactly."""
    deep_cursors: list[str] = field(default_factory=list)
    """Every cursor of the walk within `AROUND` contacts of `DEPTH`."""
    contact_ids: list[str] = field(default_factory=list)
    page_bytes: int = 0
    walk: CaseResult | None = None
    rss_growth: tuple[int, int] | None = None
    rss_peaks: dict[str, int] = field(default_factory=dict)
    """The server's peak VmRSS (KiB) during each case."""
    rates: dict[str, float] = field(default_factory=dict)
    """Each case's request rate (req/s) once it has run."""
    asked: dict[int, int] = field(default_factory=dict)
    """Per big app, how many name fragments the cases have asked so far (all cases of
    the app draw the next from one run through its pool, so none repeats before the
    pool is used up)."""
    notes: dict[str, str] = field(default_factory=dict)
    """Per case, a line for the report (the writes done beside a read case)."""

    def number(self, key: str) -> int:
        """An integer of the manifest."""
        value = self.manifest[key]
        assert isinstance(value, int), key
        return value

    @property
    def big(self) -> int:
        """The 1M app whose names repeat: every case that names no shape uses it."""
        return self.number("big_app")

    @property
    def varied(self) -> int:
        """The 1M app of several hundred thousand distinct names."""
        return self.number("varied_app")

    @property
    def smalls(self) -> list[int]:
        return [int(a) for a in self.manifest["small_apps"][:SMALL_CYCLED]]  # type: ignore[index]

    @property
    def small(self) -> int:
        return self.smalls[0]

    @property
    def writes(self) -> int:
        """The app the add case writes to (and cleans up): no read case uses it."""
        return int(self.manifest["small_apps"][-1])  # type: ignore[index]

    def token(self, app: int) -> str:
        return self.tokens[app][0]

    def fragments(self, app: int) -> list[str]:
        """The app's name fragments, as drawn at build time (`bench.names.fragments`)."""
        pools: dict[str, list[str]] = self.manifest["fragments"]  # type: ignore[assignment]
        return pools[str(app)]

    def each_principal(
        self, app: int, path: str, requests: Sequence[Mapping[str, object]]
    ) -> Source:
        """`requests` (bodies without a token) cycled, the i-th sent with the token of
        principal i mod n: every principal of the app in turn."""
        tokens = self.tokens[app]
        return cycling(
            [post(path, body(token=tokens[i % len(tokens)], **r)) for i, r in enumerate(requests)]
        )

    def fragment_source(self, app: int, page: int) -> Source:
        """`/v1/getContact` page `page` with each of the app's name fragments in turn,
        every connection taking the next one not yet asked (see `asked`)."""
        tokens = self.tokens[app]
        requests = [
            post("/v1/getContact", body(token=tokens[i % len(tokens)], page=page, name=name))
            for i, name in enumerate(self.fragments(app))
        ]

        def source(_conn: int) -> Iterator[bytes]:
            while True:
                at = self.asked.get(app, 0)
                self.asked[app] = at + 1
                yield requests[at % len(requests)]

        return source

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


async def _login(conn: Connection, app: int, extension: int) -> str:
    status, raw = await conn.call(
        "/v2/user/login", body(id=f"{extension}_{app}", password=data.PASSWORD)
    )
    if status != 200:
        raise RuntimeError(f"login {extension}_{app} failed: {status} {raw[:200]!r}")
    token: str = json.loads(raw)["token"]
    return token


async def prepare(b: Bench, cases: list[str]) -> None:
    principals = b.number("principals")
    conn = await Connection.open(b.server.host, b.server.port)
    try:
        for app in (b.big, b.varied, *b.smalls, b.writes):
            count = principals if app in (b.big, b.varied) else 1
            b.tokens[app] = [await _login(conn, app, data.extension_of(i)) for i in range(count)]
        _, raw = await conn.call("/v3/contact/get", body(token=b.token(b.big), limit=10))
        b.page_bytes = len(raw)
        if {"v3_deep", "v3_get_id", "rss_100k"} & set(cases):
            await walk_to_depth(b, conn)
    finally:
        conn.close()


async def walk_to_depth(b: Bench, conn: Connection) -> None:
    """Follow the cursor 100 contacts a page to contact `DEPTH` + `AROUND` (timed: one
    client), keeping the cursors from `DEPTH` - `AROUND` on and an id of each page's."""
    token = b.token(b.big)
    cursor: str | None = None
    result = CaseResult()
    started = time.perf_counter()
    for pages in range(1, (DEPTH + AROUND) // 100 + 1):
        t0 = time.perf_counter_ns()
        status, raw = await conn.call(
            "/v3/contact/get", body(token=token, limit=100, page_state=cursor)
        )
        result.latencies_ns.append(time.perf_counter_ns() - t0)
        result.statuses[status] += 1
        page = json.loads(raw)
        cursor = page["page_state"]
        assert cursor is not None
        if pages * 100 <= DEPTH:
            b.contact_ids.append(page["contacts"][len(b.contact_ids) % 100]["contact_id"])
        if pages * 100 == DEPTH:
            b.deep_cursor = cursor
        if pages * 100 >= DEPTH - AROUND:
            b.deep_cursors.append(cursor)
    result.seconds = time.perf_counter() - started
    result.requests = len(result.latencies_ns)
    b.walk = result


def added_ids(raw: bytes) -> list[str]:
    """The contact ids of a `/v3/contact/add` answer."""
    ids: list[str] = json.loads(raw).get("contact_ids") or []
    return ids


async def delete_contacts(b: Bench, app: int, ids: list[str], connections: int = 4) -> None:
    """Delete what a case added, so that the reused data set stays as built."""
    token = b.token(app)
    requests = [
        post("/v3/contact/delete", body(token=token, contact_ids=ids[at : at + 100]))
        for at in range(0, len(ids), 100)
    ]
    if not requests:
        return
    cleanup = await b.load(
        lambda conn: iter(requests[conn::connections]),
        connections=connections,
        warm=False,
        seconds=600,
        max_requests=len(requests),
        busy_client=False,
    )
    if cleanup.errors:
        print(f"bench: cleaning up the added contacts failed: {dict(cleanup.statuses)}")
    await until_idle(b.server.pid)  # the next case starts with no deferred work running

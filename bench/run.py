"""The contactd benchmark: cost and speed of the hot paths at a million contacts.

    python -m bench.run [--backend sqlite|postgresql|both] [--cases v3_first,v1_mike,...]
                        [--seconds 4] [--connections 8] [--output bench/RESULTS.md]

Builds (once) or reuses the data set (`bench.data`), starts a real `contactd serve`
process per backend and the floor (`bench.floor`: a raw ASGI app on the same uvicorn
options answering a constant body the size of a v3 10-contact page), drives both with
`bench.driver` on loopback, and prints per case: req/s, p50 and p99 latency, the
server's CPU per request (from /proc, which barely moves with noise), and that CPU as a
ratio to the floor's. The targets of the issue are checked on those ratios.

With every case selected (the default), the report is also written to
bench/RESULTS.md; a partial run prints only, unless `--output` is given.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import uvloop

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

__all__ = ["CASES", "main"]

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
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
RSS_LIMIT_MIB = 200
RSS_FLAT = 0.05
ADD_TARGET = 20_000


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

# -- set-up ----------------------------------------------------------------------------------


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


# -- report ------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    return {
        "cpu": f"{model} x {os.cpu_count()}",
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect(data.BENCH_PG_URL.split("?", 1)[0], connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else "?"
    except Exception as exc:
        return f"unreachable ({type(exc).__name__})"


@dataclass
class Target:
    label: str
    value: float
    limit: float
    at_most: bool = True
    unit: str = "x"

    @property
    def passed(self) -> bool:
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def line(self) -> str:
        sign = "<=" if self.at_most else ">="
        mark = "PASS" if self.passed else "FAIL"
        value = f"{self.value:,.0f}" if self.unit in ("/s", "responses") else f"{self.value:,.2f}"
        return f"{mark}  {self.label}: {value} {self.unit} ({sign} {self.limit:,g})"


def cost(r: CaseResult) -> float:
    """CPU per request counted in ratios: the server's, plus PostgreSQL's own."""
    return r.cpu_us + r.db_cpu_us


def targets(b: Bench, results: dict[str, CaseResult], peak_kib: int) -> list[Target]:
    out: list[Target] = []

    def ratio(label: str, a: str, c: str, limit: float) -> None:
        if a in results and c in results and cost(results[c]) > 0:
            out.append(Target(label, cost(results[a]) / cost(results[c]), limit))

    failed = sum(r.errors for r in results.values())
    out.append(Target("responses other than 2xx (all cases)", failed, 0, unit="responses"))
    ratio("v3 first page (1M) / floor", "v3_first", "floor", 2.5)
    ratio("v3 page at 500,000 / v3 first page", "v3_deep", "v3_first", 1.2)
    ratio("v3 first page: 1M app / 1k app", "v3_first", "v3_first_1k", 1.2)
    ratio("v1 page 50,000 in-order walk / v1 page 1", "v1_p50k_walk", "v1_page1", 2)
    ratio("v1 page 50,000 cold / v1 page 1", "v1_p50k_cold", "v1_page1", 10)
    ratio('v1 name "mike" / v1 page 1', "v1_mike", "v1_page1", 3)
    if "v3_add" in results:
        added = results["v3_add"].rate * ADD_BATCH
        out.append(Target("v3 add, contacts/s", added, ADD_TARGET, at_most=False, unit="/s"))
    reads = max((kib for name, kib in b.rss_peaks.items() if name != "login"), default=0)
    out.append(
        Target("server RSS peak, MiB (login aside)", reads / 1024, RSS_LIMIT_MIB, unit="MiB")
    )
    out.append(
        Target("server RSS peak, MiB (whole run)", peak_kib / 1024, RSS_LIMIT_MIB, unit="MiB")
    )
    if b.rss_growth is not None:
        first, last = b.rss_growth
        growth = abs(last - first) / first * 100 if first else 0.0
        label = (
            f"RSS change over 100,000 requests ({first / 1024:,.1f} -> {last / 1024:,.1f} MiB), %"
        )
        out.append(Target(label, growth, RSS_FLAT * 100, unit="%"))
    return out


def table(b: Bench, results: dict[str, CaseResult]) -> list[str]:
    floor = results.get("floor")
    pg = b.backend == "postgresql"
    head = "| case | req/s | p50 ms | p99 ms | server CPU µs/req |"
    head += " PG CPU µs/req | x floor |" if pg else " x floor |"
    head += " RSS MiB |"
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    for name, r in results.items():
        label = CASES[name][0]
        ratio = f"{cost(r) / cost(floor):.2f}" if floor and cost(floor) else "-"
        extra = f" {r.db_cpu_us:,.0f} |" if pg else ""
        errors = f" ({r.errors} errors: {dict(r.statuses)})" if r.errors else ""
        rss = f"{b.rss_peaks[name] / 1024:,.0f}" if name in b.rss_peaks else "-"
        rows.append(
            f"| {label}{errors} | {r.rate:,.0f} | {r.percentile_ms(0.5):.2f} |"
            f" {r.percentile_ms(0.99):.2f} | {r.cpu_us:,.0f} |{extra} {ratio} | {rss} |"
        )
    return rows


def report(b: Bench, results: dict[str, CaseResult], peak_kib: int, started: float) -> str:
    lines = [f"### {b.backend}", ""]
    lines += table(b, results)
    lines.append("")
    if "v3_add" in results:
        r = results["v3_add"]
        lines.append(
            f"- v3 add: {r.rate * ADD_BATCH:,.0f} contacts/s over {ADD_CONNECTIONS} connections"
            f" ({r.cpu_us / ADD_BATCH:,.0f} µs server CPU per contact"
            + (f", {r.db_cpu_us / ADD_BATCH:,.0f} µs PostgreSQL" if b.backend != "sqlite" else "")
            + ("; synchronous=FULL" if b.backend == "sqlite" else "; synchronous_commit on")
            + ")"
        )
    if "login" in results:
        r = results["login"]
        lines.append(
            f"- login: {r.rate:,.1f} logins/s, {r.cpu_us / 1000:,.1f} ms server CPU per login"
            " (argon2id t=3, 64 MiB: expected to dominate)"
        )
    if b.walk is not None:
        w = b.walk
        lines.append(
            f"- set-up walk to contact 500,000 (v3, 100 a page, one client):"
            f" {w.requests:,} pages in {w.seconds:.1f} s, p50 {w.percentile_ms(0.5):.2f} ms,"
            f" p99 {w.percentile_ms(0.99):.2f} ms"
        )
    lines.append(
        f"- v3 10-contact page: {b.page_bytes} bytes (the floor's body);"
        f" server RSS peak {peak_kib / 1024:,.0f} MiB;"
        f" data set built in {b.manifest.get('build_seconds')} s;"
        f" backend run {time.perf_counter() - started:,.0f} s"
    )
    lines += ["", "Targets (ratios of CPU per request):", ""]
    lines += [f"- {t.line()}" for t in targets(b, results, peak_kib)]
    if {"v3_first", "floor_paced"} <= set(results) and cost(results["floor_paced"]):
        first, paced = results["v3_first"], results["floor_paced"]
        lines.append(
            f"- (beside the target) v3 first page / floor at the same req/s"
            f" ({paced.rate:,.0f}/s: {cost(paced):,.0f} µs): {cost(first) / cost(paced):.2f} x"
        )
    return "\n".join(lines) + "\n"


# -- main ------------------------------------------------------------------------------------


async def run_backend(
    backend: str,
    manifest: dict[str, object],
    cases: list[str],
    *,
    seconds: float,
    connections: int,
    profile: Path | None,
    repeat: int,
) -> tuple[str, dict[str, CaseResult]]:
    started = time.perf_counter()
    server = Server.contactd(data.database_url(backend), profile=profile)
    floor: Server | None = None
    b = Bench(backend, server, None, seconds, connections, manifest)
    sampler = RssSampler(server.pid)
    sampler.start()
    results: dict[str, CaseResult] = {}
    try:
        await prepare(b, cases)
        if {"floor", "floor_paced"} & set(cases):
            floor = b.floor = Server.floor(b.page_bytes)
        # Read cases run in rounds (each once per round, `repeat` rounds) rather than
        # back to back: the machine's load drifts over minutes, and a ratio of two cases
        # measured minutes apart would measure the drift. Writing cases come last.
        reads = [n for n in cases if n not in ONCE | WRITES]
        rounds = [reads] * repeat + [[n for n in cases if n in ONCE]]
        rounds += [[n for n in cases if n in WRITES]] * repeat
        tries: dict[str, list[CaseResult]] = {}
        for names in rounds:
            for name in names:
                runs = len(tries.get(name, []))
                step = "" if name in ONCE else f" (run {runs + 1} of {repeat})"
                print(f"bench: {backend} {name}{step}...", flush=True)
                mark = sampler.mark()
                tries.setdefault(name, []).append(await CASES[name][1](b))
                # The least disturbed run: other work on the machine only adds CPU.
                results[name] = min(
                    tries[name], key=lambda r: cost(r) if r.requests else float("inf")
                )
                b.rates[name] = results[name].rate
                if not name.startswith("floor"):
                    b.rss_peaks[name] = max(b.rss_peaks.get(name, 0), sampler.peak_kib(mark))
        results = {name: results[name] for name in cases}  # report in the cases' order
    finally:
        await sampler.stop()
        if floor is not None:
            floor.stop()
        log = server.stop()
        if "Traceback" in log or "ERROR" in log:
            print(f"bench: the server logged errors:\n{log[-4000:]}")
    text = report(b, results, sampler.peak_kib(), started)
    print(text, flush=True)
    return text, results


def revision() -> str:
    """The commit measured, and whether src/ had changes not committed."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, check=True
        ).stdout.decode()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src"], cwd=root, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "an unknown revision (no git)"
    return f"commit {head.strip()}" + (" with uncommitted changes in src/" if dirty else "")


def header(backends: list[str]) -> str:
    info = machine()
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# contactd benchmark results",
        "",
        f"Run {now} with `make bench` (`python -m bench.run`); see bench/README.md.",
        "",
        f"- machine: {info['cpu']}, {info['memory']}, {info['os']}",
        f"- Python {info['python']}, SQLite {info['sqlite']}",
        f"- contactd at {revision()}",
    ]
    if "postgresql" in backends:
        lines.append(f"- PostgreSQL {postgres_version()} (same machine, loopback)")
    lines += [
        "- server: `contactd serve --workers 1` (uvicorn, uvloop, httptools, connection"
        " limits of contactd.http_limits), one process;"
        " client: bench.driver, 8 keep-alive connections on loopback, same 2 CPUs;"
        " on SQLite its loop is kept awake during read cases (no server pays to wake it)",
        "- each read case: 0.5 s warm-up, then 4 s, in 3 rounds over all read cases (so that"
        " a drift of the machine's load touches every case alike); v3 add 3 times after"
        " them; the run with the least CPU per request is shown (other work on the machine"
        " only adds CPU)",
        "- CPU µs/req: utime+stime of the server process over the case / requests;"
        " on PostgreSQL the ratios add the postgres processes' CPU (PG CPU column)",
        "",
    ]
    return "\n".join(lines) + "\n"


def kept_sections(path: Path) -> str:
    """What the results file holds from its first `## ` section on (the soak's figures,
    written by hand from `make soak`): a new run replaces the tables, not those."""
    if not path.exists():
        return ""
    old = path.read_text()
    at = old.find("\n## ")
    return old[at:] if at >= 0 else ""


def cases_profile(backend: str, cases: list[str]) -> Path:
    data.DATA_DIR.mkdir(parents=True, exist_ok=True)
    name = "-".join(c for c in cases if c != "floor")
    return data.DATA_DIR / f"profile-{backend}-{name}.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description="contactd benchmark (see bench/README.md)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--cases", default="", help="comma-separated; default all: " + ",".join(CASES)
    )
    parser.add_argument("--seconds", type=float, default=4.0, help="per case")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per read case; the least CPU/request is kept"
    )
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run the server under py-spy; summary printed, raw stacks in bench/data/",
    )
    args = parser.parse_args()
    cases = [c for c in args.cases.split(",") if c] or list(CASES)
    unknown = set(cases) - set(CASES)
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    cases = [c for c in CASES if c in cases]
    if "floor" not in cases:  # every ratio needs it
        cases.insert(0, "floor")
    if "floor_paced" in cases and "v3_first" not in cases:  # it runs at v3_first's rate
        cases.insert(cases.index("floor_paced"), "v3_first")
    backends = data.backends_for(args.backend)
    output = args.output or (RESULTS if cases == list(CASES) else None)
    text = header(backends)
    for backend in backends:
        spy = cases_profile(backend, cases) if args.profile else None
        section, _ = uvloop.run(
            run_backend(
                backend,
                data.ensure(backend),
                cases,
                seconds=args.seconds,
                connections=args.connections,
                profile=spy,
                repeat=args.repeat,
            )
        )
        text += "\n" + section
        if spy is not None:
            from bench.profile import summarize

            print(summarize(spy))
    if output is not None:
        output.write_text(text + kept_sections(output))
        print(f"bench: written to {output}")


if __name__ == "__main__":
    main()

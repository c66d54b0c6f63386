"""Soak: mixed reads and writes at ~70 % of capacity for a long while.

    python -m bench.soak [--backend sqlite|postgresql] [--seconds 600] [--load 0.7]

On the bench data set (built first when missing), against one `contactd serve`
process: a short unthrottled run of the mix measures capacity, then the same mix runs
paced at `--load` of it for `--seconds`. Reported: the 5xx count (must be 0), every
other non-2xx status, p50/p99 per minute and overall, and the server's RSS over the
first and the last minute (memory growth). What the writes added is deleted at the end,
so the reused data set stays as built.

The mix, per 100 requests: 10 v3 first pages, 45 v3 pages at cursors (among the first
20,000 contacts), 15
v1 page 1, 10 v3 get by id, 5 v1 name "mike", 5 v1 updateContact of an existing contact,
10 v3 add of 5 new contacts. Latency is measured from the send, so a stall while the
pacing waits is not counted (no coordinated-omission correction).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from collections.abc import Iterator

import uvloop

from bench import data
from bench.driver import CaseResult, Connection, RssSampler, post, run_load
from bench.server import Server

CAPACITY_SECONDS = 5.0
CONNECTIONS = 8


def _body(**fields: object) -> bytes:
    return json.dumps(fields, separators=(",", ":")).encode()


class Mix:
    def __init__(self, tokens: dict[int, str], big: int, writes: int, ids: list[str]) -> None:
        self.big, self.writes = tokens[big], tokens[writes]
        self.ids = ids
        self.existing = [data.phone_of(writes, n)[1] for n in range(data.SMALL_CONTACTS)]
        taken = set(self.existing)
        base = 6_000_000_000 + random.randrange(3_000_000_000)
        self.fresh = (p for n in itertools.count() if (p := f"91{base + n}") not in taken)
        self.added: list[str] = []
        self.page1 = post("/v3/contact/get", _body(token=self.big, limit=10))
        self.v1_page1 = post("/v1/getContact", _body(token=self.big, page=1))
        self.mike = post("/v1/getContact", _body(token=self.big, page=1, name="mike"))

    def source(self, conn: int) -> Iterator[bytes]:
        rng = random.Random(conn)
        while True:
            roll = rng.randrange(100)
            if roll < 10:
                yield self.page1
            elif roll < 55:
                cursor = rng.choice(self.cursors)
                yield post("/v3/contact/get", _body(token=self.big, limit=10, page_state=cursor))
            elif roll < 70:
                yield self.v1_page1
            elif roll < 80:
                yield post(
                    "/v3/contact/get", _body(token=self.big, contact_id=rng.choice(self.ids))
                )
            elif roll < 85:
                yield self.mike
            elif roll < 90:
                phone = rng.choice(self.existing)
                yield post(
                    "/v1/updateContact",
                    _body(token=self.writes, name="Soak Agent", **{"from": phone}, status="open"),
                )
            else:
                contacts = [
                    {"phone_no": next(self.fresh), "first_name": "Soak", "last_name": "Test"}
                    for _ in range(5)
                ]
                yield post("/v3/contact/add", _body(token=self.writes, contacts=contacts))

    cursors: list[str]

    def on_response(self, request: bytes, status: int, body: bytes) -> None:
        if status == 200 and request.startswith(b"POST /v3/contact/add"):
            self.added += json.loads(body)["contact_ids"]


async def prepare(server: Server, manifest: dict[str, object]) -> Mix:
    big = int(manifest["big_app"])  # type: ignore[call-overload]
    writes = int(manifest["small_apps"][-1])  # type: ignore[index]
    conn = await Connection.open(server.host, server.port)
    tokens: dict[int, str] = {}
    for app in (big, writes):
        _, raw = await conn.call("/v2/user/login", _body(id=f"101_{app}", password=data.PASSWORD))
        tokens[app] = json.loads(raw)["token"]
    ids: list[str] = []
    cursors: list[str] = []
    cursor = None
    for _ in range(200):  # 200 cursors and ids spread over the first 20,000 contacts
        _, raw = await conn.call(
            "/v3/contact/get", _body(token=tokens[big], limit=100, page_state=cursor)
        )
        page = json.loads(raw)
        cursor = page["page_state"]
        cursors.append(cursor)
        ids += [c["contact_id"] for c in page["contacts"][::10]]
    conn.close()
    mix = Mix(tokens, big, writes, ids)
    mix.cursors = cursors
    return mix


def per_minute(result: CaseResult, seconds: float) -> list[str]:
    """p50/p99 of each minute: latencies are recorded in send order, near enough."""
    minutes = max(1, round(seconds / 60))
    size = max(1, len(result.latencies_ns) // minutes)
    lines = []
    for m in range(minutes):
        chunk = sorted(result.latencies_ns[m * size : (m + 1) * size])
        if chunk:
            p50, p99 = chunk[len(chunk) // 2] / 1e6, chunk[int(len(chunk) * 0.99)] / 1e6
            lines.append(f"  minute {m + 1}: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    return lines


def rss_windows(sampler: RssSampler, seconds: float) -> tuple[float, float]:
    """Mean RSS (MiB) over the first and the last window (a minute, or a third of a
    shorter run)."""
    window = min(60.0, seconds / 3)
    start, end = sampler.samples[0][0], sampler.samples[-1][0]
    first = [kib for t, kib in sampler.samples if t - start <= window]
    last = [kib for t, kib in sampler.samples if end - t <= window]
    return sum(first) / len(first) / 1024, sum(last) / len(last) / 1024


async def soak(backend: str, manifest: dict[str, object], seconds: float, load: float) -> int:
    server = Server.contactd(data.database_url(backend))
    try:
        mix = await prepare(server, manifest)
        options = {"pid": server.pid, "connections": CONNECTIONS, "on_response": mix.on_response}
        probe = await run_load(
            server.host, server.port, mix.source, seconds=CAPACITY_SECONDS, **options
        )  # type: ignore[arg-type]
        rate = probe.rate * load
        print(
            f"soak: capacity {probe.rate:,.0f} req/s on the mix; pacing at {rate:,.0f} req/s"
            f" ({load:.0%}) for {seconds:.0f} s",
            flush=True,
        )
        sampler = RssSampler(server.pid, interval=1.0)
        sampler.start()
        started = time.perf_counter()
        # The driver's default request budget would end a long soak early: allow for
        # every request the pacing can send in `seconds`, with room to spare.
        budget = int(rate * seconds * 1.5) + 1000
        result = await run_load(
            server.host,
            server.port,
            mix.source,
            seconds=seconds,
            rate=rate,
            max_requests=budget,
            **options,  # type: ignore[arg-type]
        )
        await sampler.stop()
        elapsed = time.perf_counter() - started
        await cleanup(server, mix)
    finally:
        log = server.stop()
    server_errors = sum(n for status, n in result.statuses.items() if status >= 500)
    first, last = rss_windows(sampler, seconds)
    print(
        f"soak: {backend}, {result.requests:,} requests in {elapsed:.0f} s ({result.rate:,.0f}/s)"
    )
    print(f"  statuses: {dict(sorted(result.statuses.items()))}; 5xx: {server_errors}")
    print(
        f"  latency: p50 {result.percentile_ms(0.5):.2f} ms, p99 {result.percentile_ms(0.99):.2f}"
        f" ms; server CPU {result.cpu_us:,.0f} µs/request"
    )
    print("\n".join(per_minute(result, elapsed)))
    print(
        f"  RSS: {first:,.1f} MiB (first window) -> {last:,.1f} MiB (last window),"
        f" {(last - first) / first:+.1%}; peak {sampler.peak_kib() / 1024:,.1f} MiB"
    )
    print(f"  contacts added and deleted again: {len(mix.added):,}")
    if "Traceback" in log:
        print(f"soak: the server logged errors:\n{log[-4000:]}")
    return 1 if server_errors else 0


async def cleanup(server: Server, mix: Mix) -> None:
    requests = [
        post("/v3/contact/delete", _body(token=mix.writes, contact_ids=mix.added[at : at + 100]))
        for at in range(0, len(mix.added), 100)
    ]
    if requests:
        await run_load(
            server.host,
            server.port,
            lambda conn: iter(requests[conn::4]),
            pid=server.pid,
            connections=4,
            seconds=600,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="contactd soak test (see module doc)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--load", type=float, default=0.7, help="fraction of capacity")
    args = parser.parse_args()
    raise SystemExit(
        uvloop.run(soak(args.backend, data.ensure(args.backend), args.seconds, args.load))
    )


if __name__ == "__main__":
    main()

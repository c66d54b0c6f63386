"""Other ASGI servers under the same load: `contactd serve` beside plain uvicorn
(httptools, h11), granian (Rust, hyper) and hypercorn (h11), each serving the floor and
contactd (bench/candidates.py says how each is configured).

    python -m bench.alt_server [--seconds 3] [--servers contactd,httptools,...]

For each server: the v3 first page's and the floor's CPU per request (best of 3, of the
process that serves), and their ratio. Needs the `bench` extra (granian, hypercorn) and
the SQLite data set (`make bench-data`).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import uvloop

from bench import data
from bench.candidates import CANDIDATES
from bench.driver import CaseResult, Connection, constant, post, run_load
from bench.server import Server

REPEAT = 3


def floor_app() -> object:
    """Granian's factory for the floor (the same app as `bench.floor`), answering as many
    bytes as the v3 page measured just before (`BENCH_FLOOR_SIZE`)."""
    from bench.floor import make_app

    return make_app(int(os.environ["BENCH_FLOOR_SIZE"]))


def serving_pid(server: Server) -> int:
    """The process that serves: granian's one worker is a child of its main process."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return int(children[-1]) if children else server.pid


async def v3_first_page(server: Server, big: int, seconds: float) -> tuple[CaseResult, int]:
    """The case's best run, and the size of its response (the floor answers as many)."""
    conn = await Connection.open(server.host, server.port)
    login = {"id": f"{data.EXTENSION}_{big}", "password": data.PASSWORD}
    status, raw = await conn.call("/v2/user/login", json.dumps(login).encode())
    if status != 200:
        conn.close()
        raise RuntimeError(f"login failed: {status} {raw[:200]!r}")
    page = json.dumps({"token": json.loads(raw)["token"], "limit": 10}).encode()
    status, raw = await conn.call("/v3/contact/get", page)
    conn.close()
    if status != 200:
        raise RuntimeError(f"v3 page failed: {status} {raw[:200]!r}")
    return await best(server, post("/v3/contact/get", page), seconds), len(raw)


async def best(server: Server, request: bytes, seconds: float) -> CaseResult:
    pid = serving_pid(server)
    host, port = server.host, server.port
    await run_load(host, port, constant(request), pid=pid, seconds=0.5, busy_client=True)
    runs = [
        await run_load(host, port, constant(request), pid=pid, seconds=seconds, busy_client=True)
        for _ in range(REPEAT)
    ]
    return min(runs, key=lambda r: r.cpu_us)


async def compare(big: int, seconds: float, names: list[str]) -> list[str]:
    lines = [
        "| server | floor µs/req | floor req/s | v3 first page µs/req | req/s | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for name in names:
        candidate = CANDIDATES[name]
        print(f"bench: {candidate.name}...", flush=True)
        contactd = candidate.contactd()
        try:
            c, page_bytes = await v3_first_page(contactd, big, seconds)
        finally:
            contactd.stop()
        floor = candidate.floor(page_bytes)
        try:
            f = await best(floor, post("/v3/contact/get", b"{}"), seconds)
        finally:
            floor.stop()
        lines.append(
            f"| {candidate.name} | {f.cpu_us:,.0f} | {f.rate:,.0f} | {c.cpu_us:,.0f} |"
            f" {c.rate:,.0f} | {c.cpu_us / f.cpu_us:.2f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--servers", default=",".join(CANDIDATES), help="keys of CANDIDATES")
    args = parser.parse_args()
    manifest = data.ensure("sqlite")
    big = int(manifest["big_app"])  # type: ignore[call-overload]
    names = args.servers.split(",")
    print("\n".join(uvloop.run(compare(big, args.seconds, names))))


if __name__ == "__main__":
    main()

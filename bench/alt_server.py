"""Another ASGI server under the same load: uvicorn (what `contactd serve` runs) beside
granian (Rust, hyper), each serving the floor and contactd.

    python -m bench.alt_server [--seconds 3]

For each server: the floor's and the v3 first page's CPU per request (best of 3, the
whole server process tree), and their ratio. Needs the `bench` extra (granian) and the
SQLite data set (`make bench-data`).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import uvloop

from bench import data
from bench.driver import CaseResult, Connection, constant, post, run_load
from bench.server import Server

PAGE_BYTES = 2081  # a v3 10-contact page of the data set, as bench.run measures it
REPEAT = 3


def floor_app() -> object:
    """Granian's factory for the floor (the same app as `bench.floor`)."""
    from bench.floor import make_app

    return make_app(int(os.environ.get("BENCH_FLOOR_SIZE", PAGE_BYTES)))


def granian(target: str, env: dict[str, str]) -> Server:
    argv = ["-m", "granian", "--interface", "asgi", "--factory", "--workers", "1"]
    argv += ["--loop", "uvloop", "--no-ws", "--log-level", "warning", target]
    return Server(argv, env=env)


def serving_pid(server: Server) -> int:
    """The process that serves: granian's one worker is a child of its main process."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return int(children[-1]) if children else server.pid


async def v3_first_page(server: Server, big: int, seconds: float) -> CaseResult:
    conn = await Connection.open(server.host, server.port)
    login = {"id": f"{data.EXTENSION}_{big}", "password": data.PASSWORD}
    status, raw = await conn.call("/v2/user/login", json.dumps(login).encode())
    conn.close()
    if status != 200:
        raise RuntimeError(f"login failed: {status} {raw[:200]!r}")
    token = json.loads(raw)["token"]
    request = post("/v3/contact/get", json.dumps({"token": token, "limit": 10}).encode())
    return await best(server, request, seconds)


async def best(server: Server, request: bytes, seconds: float) -> CaseResult:
    pid = serving_pid(server)
    host, port = server.host, server.port
    await run_load(host, port, constant(request), pid=pid, seconds=0.5)
    runs = [
        await run_load(host, port, constant(request), pid=pid, seconds=seconds)
        for _ in range(REPEAT)
    ]
    return min(runs, key=lambda r: r.cpu_us)


async def compare(big: int, seconds: float) -> list[str]:
    env = {
        "CONTACTD_DATABASE_URL": data.database_url("sqlite"),
        "CONTACTD_LOG_LEVEL": "warning",
        "BENCH_FLOOR_SIZE": str(PAGE_BYTES),
    }
    floor_request = post("/v3/contact/get", b"{}")
    lines = [
        "| server | floor µs/req | floor req/s | v3 first page µs/req | req/s | ratio |",
        "|---|---|---|---|---|---|",
    ]
    servers = {
        "uvicorn (contactd serve)": (
            lambda: Server.floor(PAGE_BYTES),
            lambda: Server.contactd(data.database_url("sqlite")),
        ),
        "granian 1 worker, uvloop": (
            lambda: granian("bench.alt_server:floor_app", env),
            lambda: granian("contactd.api.asgi:app_from_env", env),
        ),
    }
    for name, (start_floor, start_contactd) in servers.items():
        print(f"bench: {name}...", flush=True)
        floor = start_floor()
        try:
            f = await best(floor, floor_request, seconds)
        finally:
            floor.stop()
        contactd = start_contactd()
        try:
            c = await v3_first_page(contactd, big, seconds)
        finally:
            contactd.stop()
        lines.append(
            f"| {name} | {f.cpu_us:,.0f} | {f.rate:,.0f} | {c.cpu_us:,.0f} | {c.rate:,.0f} |"
            f" {c.cpu_us / f.cpu_us:.2f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    manifest = data.ensure("sqlite")
    big = int(manifest["big_app"])  # type: ignore[call-overload]
    print("\n".join(uvloop.run(compare(big, args.seconds))))


if __name__ == "__main__":
    main()

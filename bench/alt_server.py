"""Another ASGI server under the same load: uvicorn (what `contactd serve` runs) beside
granian (Rust, hyper), each serving the floor and contactd.

    python -m bench.alt_server [--seconds 3]

For each server: the v3 first page's and the floor's CPU per request (best of 3, of the
process that serves), and their ratio. Needs the `bench` extra (granian) and the
SQLite data set (`make bench-data`).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path

import uvloop

from bench import data
from bench.driver import CaseResult, Connection, constant, post, run_load
from bench.server import Server

REPEAT = 3


def floor_app() -> object:
    """Granian's factory for the floor (the same app as `bench.floor`), answering as many
    bytes as the v3 page measured just before (`BENCH_FLOOR_SIZE`)."""
    from bench.floor import make_app

    return make_app(int(os.environ["BENCH_FLOOR_SIZE"]))


def granian(target: str, env: dict[str, str]) -> Server:
    argv = ["-m", "granian", "--interface", "asgi", "--factory", "--workers", "1"]
    argv += ["--loop", "uvloop", "--no-ws", "--log-level", "warning", target]
    return Server(argv, env=env)


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


async def compare(big: int, seconds: float) -> list[str]:
    env = {"CONTACTD_DATABASE_URL": data.database_url("sqlite"), "CONTACTD_LOG_LEVEL": "warning"}
    servers: dict[str, tuple[Callable[[], Server], Callable[[int], Server]]] = {
        "uvicorn (contactd serve)": (
            lambda: Server.contactd(data.database_url("sqlite")),
            Server.floor,
        ),
        "granian 1 worker, uvloop": (
            lambda: granian("contactd.api.asgi:app_from_env", env),
            lambda size: granian(
                "bench.alt_server:floor_app", {**env, "BENCH_FLOOR_SIZE": str(size)}
            ),
        ),
    }
    lines = [
        "| server | floor µs/req | floor req/s | v3 first page µs/req | req/s | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for name, (start_contactd, start_floor) in servers.items():
        print(f"bench: {name}...", flush=True)
        contactd = start_contactd()
        try:
            c, page_bytes = await v3_first_page(contactd, big, seconds)
        finally:
            contactd.stop()
        floor = start_floor(page_bytes)
        try:
            f = await best(floor, post("/v3/contact/get", b"{}"), seconds)
        finally:
            floor.stop()
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

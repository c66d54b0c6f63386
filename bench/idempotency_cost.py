"""What the `Idempotency-Key` costs a write, in process, without a server or sockets.

    python -m bench.idempotency_cost [--backend sqlite|postgresql] [--requests 2000]

Drives the ASGI application over a fresh store (a temporary SQLite file, or a schema
of its own on `BENCH_PG_URL`) with one contact, and sends the same `/v3/contact/update`
again and again: without a key, with a new key each time (the check, the insert in the
write's transaction), and with one key (every request after the first a replay). The
process CPU time (every thread: the SQLite writer's too) and the wall time per request
are printed, with the cost of the header scan that every write without a key pays.
"""

from __future__ import annotations

import argparse
import json
import secrets
import tempfile
import time
import timeit
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import psycopg
import uvloop
from psycopg import sql

from bench import data
from contactd.api.app import create_app
from contactd.api.idempotency import idempotency_key
from contactd.config import Settings
from contactd.store.postgres_setup import parse_url

WARM_UP = 200
# What an HTTP client typically sends with a write (httpx's defaults and the SDK's).
HEADERS = [
    (b"host", b"127.0.0.1:8080"),
    (b"accept", b"*/*"),
    (b"accept-encoding", b"gzip, deflate"),
    (b"connection", b"keep-alive"),
    (b"user-agent", b"contactd-python/0.1"),
    (b"content-length", b"180"),
    (b"content-type", b"application/json"),
]


async def per_request(fn: Callable[[int], Awaitable[object]], n: int) -> tuple[float, float]:
    """CPU and wall µs per call of `fn(i)`, after a warm-up."""
    for i in range(WARM_UP):
        await fn(-1 - i)
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(n):
        await fn(i)
    return (time.process_time() - cpu) / n * 1e6, (time.perf_counter() - wall) / n * 1e6


async def measure(database_url: str, n: int) -> list[tuple[str, float, float]]:
    app = create_app(
        Settings(database_url=database_url, argon2_time_cost=1, argon2_memory_kib=1024)
    )
    statuses: list[int] = []

    async def call(path: str, body: bytes, headers: list[tuple[bytes, bytes]]) -> bytes:
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
        await app(scope, receive, send)
        statuses.append(sent[0]["status"])
        return bytes(sent[1]["body"])

    async with app.router.lifespan_context(app):  # type: ignore[arg-type]
        services = app.state.services
        created, secret = await services.apps.create("Bench")
        admin = {"appid": created.app_id, "secret": secret}
        user = {"extension": 1001, "first_name": "A", "last_name": "B"}
        user |= {"phone_number": "919800000000", "password": "bench-password"}
        await call("/v3/user/add", json.dumps(admin | user).encode(), HEADERS)
        login = {"id": f"1001_{created.app_id}", "password": "bench-password"}
        token = json.loads(await call("/v2/user/login", json.dumps(login).encode(), HEADERS))[
            "token"
        ]
        add = {
            "token": token,
            "contacts": [{"phone_no": "919100000000", "first_name": "A", "last_name": "B"}],
        }
        [contact_id] = json.loads(await call("/v3/contact/add", json.dumps(add).encode(), HEADERS))[
            "contact_ids"
        ]
        update = json.dumps(
            {"token": token, "contacts": [{"contact_id": contact_id, "first_name": "Mike"}]}
        ).encode()

        async def plain(_: int) -> object:
            return await call("/v3/contact/update", update, HEADERS)

        async def new_key(i: int) -> object:
            return await call(
                "/v3/contact/update", update, [*HEADERS, (b"idempotency-key", b"k%d" % i)]
            )

        replayed = [*HEADERS, (b"idempotency-key", b"replayed")]

        async def same_key(_: int) -> object:
            return await call("/v3/contact/update", update, replayed)

        rows = [
            ("write, no key", *await per_request(plain, n)),
            ("write, a new key each time", *await per_request(new_key, n)),
            ("write, one key (replays)", *await per_request(same_key, n)),
            ("write, no key (again)", *await per_request(plain, n)),
        ]
        assert set(statuses) == {200}, set(statuses)
        scan = min(timeit.repeat(lambda: idempotency_key(HEADERS), number=100_000, repeat=5))
        rows.append(("header scan without a key", scan / 100_000 * 1e6, float("nan")))
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{Path(directory) / 'contactd.db'}"
            rows = uvloop.run(measure(url, args.requests))
    else:
        schema = f"bench_idem_{secrets.token_hex(4)}"
        base = data.BENCH_PG_URL.split("?", 1)[0]
        try:
            rows = uvloop.run(measure(f"{base}?schema={schema}", args.requests))
        finally:
            with psycopg.connect(parse_url(base).conninfo, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
                )
    print(f"/v3/contact/update of one contact, in process ({args.backend}), µs per request:")
    print(f"  {'':32s} {'CPU':>8s} {'wall':>8s}")
    for label, cpu, wall in rows:
        print(f"  {label:32s} {cpu:8.2f} {wall:8.1f}")


if __name__ == "__main__":
    main()

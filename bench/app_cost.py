"""What one v3 first page costs inside the application, without a server or sockets.

    python -m bench.app_cost [--backend sqlite|postgresql] [--requests 20000]

Drives the ASGI application in process (its lifespan, a real login, then the same
request again and again) and times each part of the request with the others' results
held fixed: decoding, authentication (token cache hit), the store's page read, the
cursor, and encoding the answer (the store's cards spliced in). The process CPU
time of a tight loop is the application's cost with warm CPU caches; `bench.run` gives
the whole request on a real server, where the kernel's socket work and colder caches
come on top (see bench/profile.md).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
import uvloop

from bench import data
from contactd.api import v3
from contactd.api.app import create_app
from contactd.api.decode import decode_body
from contactd.config import Settings
from contactd.domain.cursors import CursorSigner

WARM_UP = 1_000


def per_call_us(fn: Callable[[], object], n: int) -> float:
    for _ in range(WARM_UP):
        fn()
    started = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - started) / n * 1e6


async def per_await_us(fn: Callable[[], Awaitable[object]], n: int) -> float:
    for _ in range(WARM_UP):
        await fn()
    started = time.process_time()
    for _ in range(n):
        await fn()
    return (time.process_time() - started) / n * 1e6


async def measure(backend: str, big: int, n: int) -> list[tuple[str, float]]:
    app = create_app(Settings(database_url=data.database_url(backend)))
    sent: list[dict[str, Any]] = []

    async def call(path: str, body: bytes) -> None:
        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        sent.clear()
        await app({"type": "http", "method": "POST", "path": path, "headers": []}, receive, send)

    async with app.router.lifespan_context(app):  # type: ignore[arg-type]
        services = app.state.services
        login = {"id": f"{data.EXTENSION}_{big}", "password": data.PASSWORD}
        await call("/v2/user/login", json.dumps(login).encode())
        token = json.loads(sent[1]["body"])["token"]
        body = json.dumps({"token": token, "limit": 10}).encode()
        request = decode_body(body, v3.ContactGetRequest)
        await services.principals.authenticate(token)  # the token is cached from here on
        response = await v3.get_contacts(services, request)
        encoder = msgspec.json.Encoder()
        cursors = CursorSigner(b"bench")  # what signing costs does not depend on the key
        principals, store = services.principals, services.store
        whole = await per_await_us(lambda: call("/v3/contact/get", body), n)
        auth = await per_await_us(lambda: principals.authenticate(token), n)
        read = await per_await_us(lambda: store.page_contacts(big, after_seq=0, limit=10), n)
        return [
            ("whole request (ASGI app)", whole),
            ("  decode the body", per_call_us(lambda: decode_body(body, v3.ContactGetRequest), n)),
            ("  authenticate (token cache)", auth),
            ("  store: page and count (one row)", read),
            ("  sign the next cursor", per_call_us(lambda: cursors.encode(big, 10), n)),
            ("  encode the response", per_call_us(lambda: encoder.encode(response), n)),
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--requests", type=int, default=20_000)
    args = parser.parse_args()
    manifest = data.ensure(args.backend)
    big = int(manifest["big_app"])  # type: ignore[call-overload]
    rows = uvloop.run(measure(args.backend, big, args.requests))
    print(f"v3 first page of the 1M app, in process ({args.backend}), CPU µs per call:")
    for label, us in rows:
        print(f"  {label:36s} {us:7.2f}")


if __name__ == "__main__":
    main()

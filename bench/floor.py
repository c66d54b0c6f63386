"""The floor: what this machine's ASGI server can do at all.

    python -m bench.floor --port P --size BYTES

A raw ASGI app (no framework, no store) that reads the request body and answers a
constant JSON body of `--size` bytes, served as `contactd serve` serves (uvicorn's
config and protocol from `contactd.serving`, uvloop, one process, no access log).
Every contactd figure is printed as a ratio to this one's server CPU per request.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import uvicorn

from contactd.config import Settings
from contactd.serving import server_config

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def make_app(size: int) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    filler = max(0, size - len(b'{"code":200,"pad":""}'))
    body = b'{"code":200,"pad":"' + b"x" * filler + b'"}'
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    finish = {"type": "http.response.body", "body": body}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        more = True
        while more:  # read the whole request body, as any endpoint must
            more = (await receive()).get("more_body", False)
        await send(start)
        await send(finish)

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--size", type=int, default=1800)
    args = parser.parse_args()
    settings = Settings(host=args.host, port=args.port, log_level="warning")
    config = server_config(
        settings, make_app(args.size), access_log=False, loop="uvloop", lifespan="off"
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()

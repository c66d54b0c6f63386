"""What the connection limits cost per request: uvicorn's httptools protocol beside
contactd's (contactd.http_limits), in process, without sockets.

    python -m bench.protocol_cost [--requests 50000] [--rounds 5]

Each request (the bench's v3 first page, headers and body in one read) is fed to the
protocol, whose app answers the floor's constant body into a transport that drops it;
the process CPU time per request is the parser, the protocol and the ASGI cycle. Rounds
alternate between the two protocols and the least CPU per request of each is kept, so
a machine's drift touches both alike. The difference is what the limits add.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import uvloop
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from bench.driver import post
from bench.floor import make_app
from contactd.config import Settings
from contactd.serving import server_config

REQUEST = post("/v3/contact/get", b'{"token": "' + b"t" * 64 + b'", "limit": 10}')


class NullTransport(asyncio.Transport):
    """Drops what is written; reports a loopback peer."""

    def __init__(self) -> None:
        super().__init__()
        self.closing = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 8080) if name in {"peername", "sockname"} else default

    def write(self, data: Any) -> None:
        pass

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def _configs() -> dict[str, Config]:
    app = make_app(1800)
    plain = Config(app, http="httptools", lifespan="off", log_level="warning")
    bounded = server_config(Settings(log_level="warning"), app, lifespan="off")
    for config in (plain, bounded):
        config.load()
    return {"uvicorn httptools": plain, "contactd.http_limits": bounded}


async def per_request_us(config: Config, requests: int) -> float:
    protocol_class: type[HttpToolsProtocol] = config.http_protocol_class  # type: ignore[assignment]
    protocol = protocol_class(config, ServerState(), {}, asyncio.get_running_loop())
    protocol.connection_made(NullTransport())
    started = time.process_time()
    for _ in range(requests):
        protocol.data_received(REQUEST)
        await asyncio.sleep(0)  # the ASGI task runs and answers
        await asyncio.sleep(0)
    spent = time.process_time() - started
    protocol.connection_lost(None)
    return spent / requests * 1e6


async def measure(requests: int, rounds: int) -> dict[str, float]:
    configs = _configs()
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, config in configs.items():
            cost = await per_request_us(config, requests)
            best[name] = min(best.get(name, cost), cost)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    best = uvloop.run(measure(args.requests, args.rounds))
    for name, cost in best.items():
        print(f"{name}: {cost:.2f} µs per request (least of {args.rounds} rounds)")
    plain, bounded = best.values()
    print(f"difference: {bounded - plain:+.2f} µs per request")


if __name__ == "__main__":
    main()

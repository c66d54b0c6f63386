"""The ASGI servers measured for `contactd serve`, each configured with the connection
limits it has (bench.alt_server measures CPU, bench.limits_probe the limits).

Each candidate starts contactd (`contactd.api.asgi:app_from_env`) or the floor
(`bench.alt_server:floor_app`, sized by `BENCH_FLOOR_SIZE`) on one process, uvloop, no
access log. Limits, where the server has them: headers 64 KiB, header read timeout and
(hypercorn) read timeout 2 s, 50 connections or requests at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench import data
from bench.server import Server

__all__ = ["CANDIDATES", "PROBE_TIMEOUT_SECONDS", "Candidate"]

PROBE_TIMEOUT_SECONDS = 2
PROBE_CAP = 50
CONTACTD = "contactd.api.asgi:app_from_env"
FLOOR = "bench.alt_server:floor_app"


@dataclass(frozen=True)
class Candidate:
    name: str
    contactd: Callable[[], Server]
    floor: Callable[[int], Server]


def _env(**extra: str) -> dict[str, str]:
    return {
        "CONTACTD_DATABASE_URL": data.database_url("sqlite"),
        "CONTACTD_LOG_LEVEL": "warning",
        **extra,
    }


def _floor_env(size: int) -> dict[str, str]:
    return _env(BENCH_FLOOR_SIZE=str(size))


def _uvicorn(http: str, *extra: str) -> Candidate:
    def argv(target: str) -> list[str]:
        return [
            "-m", "uvicorn", "--factory", "--loop", "uvloop", "--http", http,
            "--log-level", "warning", "--no-access-log", "--limit-concurrency",
            str(PROBE_CAP), *extra, target,
        ]  # fmt: skip

    return Candidate(
        f"uvicorn {http}",
        lambda: Server(argv(CONTACTD), env=_env()),
        lambda size: Server(argv(FLOOR), env=_floor_env(size)),
    )


def _granian() -> Candidate:
    def argv(target: str) -> list[str]:
        return [
            "-m", "granian", "--interface", "asgi", "--factory", "--workers", "1",
            "--loop", "uvloop", "--no-ws", "--log-level", "warning", "--http", "1",
            "--http1-buffer-size", "65536",
            "--http1-header-read-timeout", str(PROBE_TIMEOUT_SECONDS * 1000),
            "--backpressure", str(PROBE_CAP), target,
        ]  # fmt: skip

    return Candidate(
        "granian 2.8",
        lambda: Server(argv(CONTACTD), env=_env()),
        lambda size: Server(argv(FLOOR), env=_floor_env(size)),
    )


def _hypercorn() -> Candidate:
    def argv(target: str) -> list[str]:
        return [
            "-m", "hypercorn", "--worker-class", "uvloop", "--workers", "1",
            "--log-level", "warning", "--read-timeout", str(PROBE_TIMEOUT_SECONDS),
            f"{target}()",
        ]  # fmt: skip

    def bind(host: str, port: int) -> list[str]:
        return ["--bind", f"{host}:{port}"]

    return Candidate(
        "hypercorn 0.18 (h11)",
        lambda: Server(argv(CONTACTD), env=_env(), bind=bind),
        lambda size: Server(argv(FLOOR), env=_floor_env(size), bind=bind),
    )


def _contactd_serve() -> Candidate:
    limits = {
        "CONTACTD_HEADER_TIMEOUT_SECONDS": str(PROBE_TIMEOUT_SECONDS),
        "CONTACTD_BODY_TIMEOUT_SECONDS": str(PROBE_TIMEOUT_SECONDS),
        "CONTACTD_MAX_CONNECTIONS": str(PROBE_CAP),
    }
    return Candidate(
        "contactd serve (httptools + contactd.http_limits)",
        lambda: Server(["-m", "contactd", "serve", "--workers", "1"], env=_env(**limits)),
        Server.floor,
    )


CANDIDATES: dict[str, Candidate] = {
    "httptools": _uvicorn("httptools"),
    "contactd": _contactd_serve(),
    "h11": _uvicorn("h11", "--h11-max-incomplete-event-size", "65536"),
    "granian": _granian(),
    "hypercorn": _hypercorn(),
}
"""By key: `--servers httptools,contactd` picks some."""

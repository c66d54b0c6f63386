"""Launching the API server from Settings: uvicorn with the connection limits.

`contactd serve` calls `run`; the pytest fixture (`contactd.testing`) builds its server
from `server_config`, so both serve the same protocol with the same limits, and build
their app with the same `ServedApp` in a process prepared the same way.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from contactd.config import Settings
from contactd.http_limits import BoundedConfig, ConnectionLimits, fd_budget

if TYPE_CHECKING:
    from contactd.api.app import ContactdApp

__all__ = [
    "GIL_SWITCH_INTERVAL_SECONDS",
    "ServedApp",
    "connection_limits",
    "prepare_process",
    "run",
    "server_config",
]

GIL_SWITCH_INTERVAL_SECONDS = 0.0002
"""How long a thread holding the GIL may run while another waits for it (CPython: 5 ms).

The SQLite writer thread gives the GIL up for every statement it steps and needs it back
after; while the event loop runs Python (validating the next batch), taking it back
waits for the whole interval, several times per batch of contacts. A shorter interval
gives it back sooner; reads use one thread and do not notice (bench/profile.md, "GIL
switch interval").
"""


def prepare_process() -> None:
    """What a process that serves the API sets before it serves: the GIL switch interval.

    A process-wide setting, so it is made where a serving process starts (each worker
    of `contactd serve`, the pytest fixture's server, the factory for other servers),
    never by `create_app`, which an application may call inside a process of its own.
    """
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_SECONDS)


class ServedApp:
    """The application factory uvicorn calls in each serving process, settings inside.

    uvicorn pickles its Config, this factory and its settings with it, to every worker it
    spawns: the settings reach the workers as a value, not through the environment, a
    URL or a command line, where the secret and the database password could be seen.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self) -> ContactdApp:
        from contactd.api.app import create_app

        prepare_process()
        return create_app(self.settings)

    def __repr__(self) -> str:
        # Not the settings: they hold the secret and the database URL.
        return "ServedApp(...)"


def connection_limits(settings: Settings) -> ConnectionLimits:
    """The limits `settings` ask for, checked; ValueError names the setting and the rule."""
    # The other bounds are the Settings' own rules; this one depends on the process.
    budget = fd_budget()
    if settings.max_connections > budget:
        raise ValueError(
            f"--max-connections / CONTACTD_MAX_CONNECTIONS={settings.max_connections}: must be"
            f" at most {budget}, what the open-file limit (ulimit -n) leaves room for, or 0"
            " for that much"
        )
    return ConnectionLimits(
        max_header_bytes=settings.max_header_bytes,
        max_header_count=settings.max_header_count,
        header_timeout_seconds=settings.header_timeout_seconds,
        body_timeout_seconds=settings.body_timeout_seconds,
        max_connections=settings.max_connections or budget,
    )


def server_config(settings: Settings, app: Any = None, **options: Any) -> BoundedConfig:
    """uvicorn's Config under the limits, for `app` (an ASGI app) or, by default, for the
    app each serving process builds from `settings` (`ServedApp`); `options` are
    uvicorn's, over those taken from `settings`."""
    base: dict[str, Any] = {
        "factory": app is None,
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "ws": "none",  # no endpoint speaks WebSocket: an upgrade is an ordinary request
    }
    served = ServedApp(settings) if app is None else app
    return BoundedConfig(served, limits=connection_limits(settings), **{**base, **options})


def run(settings: Settings, *, log_config: dict[str, Any]) -> None:
    """Serve until stopped: one process, or `settings.workers` sharing one socket."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    config = server_config(
        settings,
        workers=settings.workers if settings.workers > 1 else None,
        log_config=log_config,
        access_log=False,  # contactd writes its own request log (api.request_log)
        loop="uvloop",
    )
    server = uvicorn.Server(config)
    if config.workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    server.run()
    if not server.started:  # as uvicorn.run: the cause is in the log above
        raise SystemExit(STARTUP_FAILURE)

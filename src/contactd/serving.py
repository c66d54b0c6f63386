"""Launching the API server from Settings: uvicorn with the connection limits.

`contactd serve` calls `run`; the pytest fixture (`contactd.testing`) builds its server
from `server_config`, so both serve the same protocol with the same limits.
"""

from __future__ import annotations

from typing import Any

from contactd.config import Settings
from contactd.http_limits import BoundedConfig, ConnectionLimits, fd_budget

__all__ = ["APP_FACTORY", "connection_limits", "run", "server_config"]

APP_FACTORY = "contactd.api.asgi:app_from_env"


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


def server_config(settings: Settings, app: Any = APP_FACTORY, **options: Any) -> BoundedConfig:
    """uvicorn's Config for `app` (the factory's import path, or an app) under the limits;
    `options` are uvicorn's, over those taken from `settings`."""
    base: dict[str, Any] = {
        "factory": isinstance(app, str),
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "ws": "none",  # no endpoint speaks WebSocket: an upgrade is an ordinary request
    }
    return BoundedConfig(app, limits=connection_limits(settings), **{**base, **options})


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

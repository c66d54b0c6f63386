"""`contactd serve`: the API on uvicorn, one process or several (contactd.serving)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from contactd import defaults
from contactd.cli.failure import EXIT_USAGE, fail, require_server_extra
from contactd.cli.limit_options import (
    BodyTimeout,
    HeaderTimeout,
    MaxConnections,
    MaxHeaderBytes,
    MaxHeaderCount,
)
from contactd.cli.operator import hold_for_serving
from contactd.cli.options import DatabaseUrl, env_option

__all__ = ["metrics_directory", "serve"]


def serve(
    ctx: typer.Context,
    host: Annotated[str, env_option("host", "The address to listen on")] = defaults.DEFAULT_HOST,
    port: Annotated[
        int, env_option("port", "The TCP port to listen on", min=0, max=defaults.MAX_PORT)
    ] = defaults.DEFAULT_PORT,
    database_url: DatabaseUrl = defaults.DEFAULT_DATABASE_URL,
    workers: Annotated[
        int, env_option("workers", "Server processes; above 1 needs PostgreSQL", min=1)
    ] = defaults.DEFAULT_WORKERS,
    log_level: Annotated[
        defaults.LogLevel,
        env_option("log_level", "Least severe log lines shown", case_sensitive=False),
    ] = defaults.DEFAULT_LOG_LEVEL,
    log_format: Annotated[
        defaults.LogFormat,
        env_option("log_format", "text, or json: one object a line", case_sensitive=False),
    ] = defaults.DEFAULT_LOG_FORMAT,
    access_log: Annotated[
        bool,
        env_option(
            "access_log", "The request log: one line per request", "--access-log/--no-access-log"
        ),
    ] = True,
    max_header_bytes: MaxHeaderBytes = defaults.DEFAULT_MAX_HEADER_BYTES,
    max_header_count: MaxHeaderCount = defaults.DEFAULT_MAX_HEADER_COUNT,
    header_timeout_seconds: HeaderTimeout = defaults.DEFAULT_HEADER_TIMEOUT_SECONDS,
    body_timeout_seconds: BodyTimeout = defaults.DEFAULT_BODY_TIMEOUT_SECONDS,
    max_connections: MaxConnections = defaults.DEFAULT_MAX_CONNECTIONS,
    cors_origins: Annotated[
        str,
        env_option(
            "cors_origins",
            "Origins whose pages may call the API: comma-separated scheme://host[:port], or *",
        ),
    ] = defaults.DEFAULT_CORS_ORIGINS,
    min_password_length: Annotated[
        int | None,
        env_option(
            "min_password_length",
            f"Shortest password an admin may set, in every generation [default:"
            f" {defaults.DEFAULT_MIN_PASSWORD_LENGTH}; in stand-in mode"
            f" {defaults.STAND_IN_MIN_PASSWORD_LENGTH}]",
            min=1,
            max=256,
            show_default=False,
        ),
    ] = None,
    stand_in: Annotated[
        bool,
        env_option(
            "stand_in",
            "Stand-in mode for integrators' tests: the control API under /_contactd/"
            " (docs/stand-in.md)",
            "--stand-in",
        ),
    ] = False,
    journal_size: Annotated[
        int, env_option("journal_size", "Stand-in mode: requests kept per app's journal", min=1)
    ] = defaults.DEFAULT_JOURNAL_SIZE,
    seed: Annotated[
        str | None,
        env_option("seed", "Stand-in mode: a JSON file of apps, principals and contacts to seed"),
    ] = None,
    snapshot: Annotated[
        str | None,
        env_option("snapshot", "Stand-in mode: a snapshot file to load at start"),
    ] = None,
    save_on_exit: Annotated[
        bool,
        env_option(
            "save_on_exit",
            "Stand-in mode: save the store to --snapshot FILE on SIGTERM or SIGINT",
            "--save-on-exit",
        ),
    ] = False,
) -> None:
    """Serve the API (SQLite file ./contactd.db on 127.0.0.1:8080 unless told otherwise)."""
    require_server_extra("serve")
    from contactd import serving
    from contactd.cli.settings import check_store, load_settings
    from contactd.logs import configure_logging, logging_config
    from contactd.store import check_database_url

    # Every parameter of this command is a setting of the same name (config.Settings).
    settings = load_settings(**ctx.params)
    try:
        check_database_url(settings.database_url)
        serving.connection_limits(settings)
    except ValueError as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc
    if settings.workers > 1 and settings.stand_in:
        raise fail(
            "--workers above 1 is refused in stand-in mode: its clocks, faults and"
            " journals live in the memory of one server process",
            code=EXIT_USAGE,
        )
    if settings.workers > 1 and settings.database_url.startswith("sqlite"):
        raise fail(
            "--workers above 1 needs PostgreSQL: SQLite is served by one process, because"
            " several processes writing one SQLite file risk WAL corruption in SQLite"
            " before 3.51.3. Set CONTACTD_DATABASE_URL=postgresql://... to run several.",
            code=EXIT_USAGE,
        )
    configure_logging(settings.log_level, settings.log_format)
    # Before anything opens the store, so that a second server on one SQLite file exits
    # at once, naming the process that holds it.
    store_lock = hold_for_serving(settings.database_url)
    try:
        check_store(settings)
        # The settings go to the workers inside the app factory (serving.ServedApp).
        with metrics_directory(settings.workers):
            serving.run(
                settings, log_config=logging_config(settings.log_level, settings.log_format)
            )
    finally:
        if store_lock is not None:
            store_lock.release()


@contextmanager
def metrics_directory(workers: int) -> Iterator[None]:
    """Under `--workers N`, a fresh `PROMETHEUS_MULTIPROC_DIR` for the workers' metrics
    files while they serve, removed after; a single process keeps them in memory."""
    import logging
    import tempfile

    from contactd.metrics import MULTIPROC_DIR_ENV

    if workers == 1:
        os.environ.pop(MULTIPROC_DIR_ENV, None)
        yield
        return
    with tempfile.TemporaryDirectory(prefix="contactd-metrics-") as directory:
        os.environ[MULTIPROC_DIR_ENV] = directory
        logging.getLogger("contactd").info("metrics of the %d workers in %s", workers, directory)
        try:
            yield
        finally:
            os.environ.pop(MULTIPROC_DIR_ENV, None)

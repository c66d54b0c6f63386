"""Settings for the server's commands: flags over `CONTACTD_*`, refused in one line.

Imported only by commands that have passed `require_server_extra` (it needs msgspec).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import typer

from contactd.cli.failure import EXIT_USAGE, fail
from contactd.config import Settings, settings_from_env, unknown_variables

if TYPE_CHECKING:
    from contactd.store import Store

__all__ = ["check_store", "load_settings"]


def load_settings(**flags: object) -> Settings:
    """The settings, after a warning on stderr for each unknown `CONTACTD_*` variable."""
    for warning in unknown_variables():
        typer.echo(f"contactd: warning: {warning}", err=True)
    try:
        return settings_from_env(**flags)
    except ValueError as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc


def check_store(settings: Settings) -> None:
    """Open the store once and close it: a store that cannot open (a PostgreSQL that
    refuses the role, a database that does not exist) fails here in one line, instead
    of as a traceback out of the server's start-up; the migrations run once, before
    any worker starts. A stand-in's `--seed FILE` is checked on it too, writing nothing,
    so that a bad seed is refused in one line as well, and so is a `--snapshot` file
    that cannot be loaded."""
    from contactd.domain.store import StoreError
    from contactd.standin.snapshot_file import check_at_start
    from contactd.store import open_store

    if settings.snapshot is not None:
        try:
            check_at_start(settings.snapshot, missing_ok=settings.save_on_exit)
        except ValueError as exc:
            raise fail(str(exc), code=EXIT_USAGE) from exc

    async def open_and_close() -> None:
        store = await open_store(settings.database_url, wait_seconds=settings.db_wait_seconds)
        try:
            if settings.seed is not None:
                await _check_seed(settings, store)
        finally:
            await store.close()

    try:
        asyncio.run(open_and_close())
    except (StoreError, ValueError) as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc


async def _check_seed(settings: Settings, store: Store) -> None:
    from contactd.api.app import build_services
    from contactd.metrics import Metrics
    from contactd.standin.seeding import check_seed_file

    assert settings.seed is not None
    await check_seed_file(await build_services(settings, store, Metrics()), settings.seed)

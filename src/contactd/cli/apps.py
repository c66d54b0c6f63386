"""`contactd app ...`: operator commands on apps (tenants), straight on the store."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer

from contactd.cli.failure import EXIT_USAGE, fail, require_server_extra
from contactd.cli.options import DatabaseUrl
from contactd.defaults import DEFAULT_DATABASE_URL

__all__ = ["app_commands"]

app_commands = typer.Typer(help="Create and manage apps (tenants).", no_args_is_help=True)


@app_commands.command("create")
def app_create(
    name: Annotated[str, typer.Option(help="A name for the app (the organization)")],
    country_code: Annotated[
        str, typer.Option(help="Default country code for national phone numbers")
    ] = "91",
    database_url: DatabaseUrl = DEFAULT_DATABASE_URL,
) -> None:
    """Create an app; print {"appid": ..., "secret": ...} as one JSON line."""
    require_server_extra("app create")
    from contactd.cli.settings import load_settings
    from contactd.config import configure_logging
    from contactd.domain.apps import AppService
    from contactd.domain.errors import DomainError
    from contactd.store import open_store
    from contactd.store.base import StoreFull, StoreUnavailable

    settings = load_settings(database_url=database_url)
    configure_logging("warning")

    async def create() -> tuple[int, str]:
        store = await open_store(settings.database_url, wait_seconds=settings.db_wait_seconds)
        try:
            app, secret = await AppService(store).create(name, country_code=country_code)
        finally:
            await store.close()
        return app.app_id, secret

    try:
        appid, secret = asyncio.run(create())
    except DomainError as exc:
        raise fail(exc.msg, code=EXIT_USAGE) from exc
    except (StoreUnavailable, StoreFull, ValueError) as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc
    typer.echo(json.dumps({"appid": appid, "secret": secret}))

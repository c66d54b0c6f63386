"""The `contactd` command: operator commands that talk to the store directly."""

from __future__ import annotations

import asyncio
import json
import os
from typing import Annotated

import msgspec
import typer

from contactd.cli_client import contacts_app, login
from contactd.config import Settings, configure_logging, settings_from_env

__all__ = ["main"]

cli = typer.Typer(
    name="contactd",
    help="A self-hostable contact service that speaks the TeleCMI contact APIs.",
    no_args_is_help=True,
    add_completion=False,
)
app_commands = typer.Typer(help="Create and manage apps (tenants).", no_args_is_help=True)
cli.add_typer(app_commands, name="app")
# The user commands talk to a server over HTTP through the SDK.
cli.command("login")(login)
cli.add_typer(contacts_app, name="contacts")

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="sqlite:///path.db (default ./contactd.db) or postgresql://user@host:port/db"
        " [env: CONTACTD_DATABASE_URL]",
        show_default=False,
    ),
]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"contactd: {message}", err=True)
    return typer.Exit(code=2)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="[env: CONTACTD_HOST] (127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="[env: CONTACTD_PORT] (8080)")] = None,
    database_url: DatabaseUrl = None,
    workers: Annotated[
        int | None, typer.Option(help="Server processes; PostgreSQL only [env: CONTACTD_WORKERS]")
    ] = None,
    log_level: Annotated[str | None, typer.Option(help="[env: CONTACTD_LOG_LEVEL]")] = None,
    access_log: Annotated[bool, typer.Option(help="Log one line per request")] = False,
) -> None:
    """Serve the API (SQLite file ./contactd.db on 127.0.0.1:8080 unless told otherwise)."""
    import uvicorn

    from contactd.store import check_database_url

    try:
        settings = settings_from_env(
            database_url=database_url,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
        )
        check_database_url(settings.database_url)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    if settings.workers < 1:
        raise _fail(f"--workers must be 1 or more, not {settings.workers}")
    if settings.workers > 1 and settings.database_url.startswith("sqlite"):
        raise _fail(
            "--workers above 1 needs PostgreSQL: SQLite is served by one process, because"
            " several processes writing one SQLite file risk WAL corruption in SQLite"
            " before 3.51.3. Set CONTACTD_DATABASE_URL=postgresql://... to run several."
        )
    _export(settings)
    configure_logging(settings.log_level)
    uvicorn.run(
        "contactd.api.asgi:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers if settings.workers > 1 else None,
        log_level=settings.log_level,
        access_log=access_log,
        loop="uvloop",
        http="httptools",
    )


def _export(settings: Settings) -> None:
    """Hand the resolved settings to the worker processes through the environment.

    uvicorn's workers are fresh interpreters that build the app from `CONTACTD_*`
    (`contactd.api.asgi:app_from_env`), so every setting goes, flags included; the
    secret, when one is configured, rides along so that all workers sign cursors alike.
    """
    for name, value in msgspec.structs.asdict(settings).items():
        if value is not None:
            os.environ[f"CONTACTD_{name.upper()}"] = str(value)


@app_commands.command("create")
def app_create(
    name: Annotated[str, typer.Option(help="A name for the app (the organization)")],
    country_code: Annotated[
        str, typer.Option(help="Default country code for national phone numbers")
    ] = "91",
    database_url: DatabaseUrl = None,
) -> None:
    """Create an app; print {"appid": ..., "secret": ...} as one JSON line."""
    from contactd.domain.apps import AppService
    from contactd.domain.errors import DomainError
    from contactd.store import open_store
    from contactd.store.base import StoreUnavailable

    try:
        settings = settings_from_env(database_url=database_url)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
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
        raise _fail(exc.msg) from exc
    except (StoreUnavailable, ValueError) as exc:
        raise _fail(str(exc)) from exc
    typer.echo(json.dumps({"appid": appid, "secret": secret}))


def main() -> None:
    cli()

"""`contactd app ...`: operator commands on apps (tenants).

They run on the store, or through the server that holds a SQLite store
(`cli.operator`); each says on stderr which store it used.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from contactd.cli.failure import require_server_extra
from contactd.cli.operator import run_command
from contactd.cli.options import DatabaseUrl, JsonFlag
from contactd.cli.output import print_json, print_table
from contactd.defaults import DEFAULT_COUNTRY_CODE, DEFAULT_DATABASE_URL

__all__ = ["app_commands"]

app_commands = typer.Typer(help="Create and manage apps (tenants).", no_args_is_help=True)


@app_commands.command("create")
def app_create(
    name: Annotated[str, typer.Option(help="A name for the app (the organization)")],
    country_code: Annotated[
        str, typer.Option(help="Default country code for national phone numbers")
    ] = DEFAULT_COUNTRY_CODE,
    appid: Annotated[
        int | None,
        typer.Option(help="The app id to use (e.g. the vendor's 8 digits); random if not given"),
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option(
            help="The secret to use (16-256 printable characters, 8 different at least);"
            " random if not given"
        ),
    ] = None,
    database_url: DatabaseUrl = DEFAULT_DATABASE_URL,
) -> None:
    """Create an app; print {"appid": ..., "secret": ...} as one JSON line.

    With --appid and --secret the app takes the credentials an integrator's code is
    already configured with; an appid that another app holds is refused.
    """
    require_server_extra("app create")
    from contactd.control.wire import AppCreate

    command = AppCreate(name, country_code, appid=appid, secret=secret)
    print_json(run_command(command, database_url, creates_store=True))


@app_commands.command("list")
def app_list(database_url: DatabaseUrl = DEFAULT_DATABASE_URL, as_json: JsonFlag = False) -> None:
    """List every app with its number of users and contacts (never a secret)."""
    require_server_extra("app list")
    from contactd.control.wire import AppList

    apps: list[dict[str, Any]] = run_command(AppList(), database_url)
    if as_json:
        print_json(apps)
        return
    columns = ("appid", "name", "country_code", "users", "contacts", "created_at")
    print_table(columns, apps, caption=f"apps: {len(apps)}")


@app_commands.command("rotate-secret")
def app_rotate_secret(
    appid: Annotated[int, typer.Argument(help="The app whose secret to replace")],
    database_url: DatabaseUrl = DEFAULT_DATABASE_URL,
) -> None:
    """Give an app a new secret; print {"appid": ..., "secret": ...} as one JSON line.

    The new secret is shown once. The old one is refused from then on, by a running
    server too.
    """
    require_server_extra("app rotate-secret")
    from contactd.control.wire import AppRotateSecret

    print_json(run_command(AppRotateSecret(appid), database_url))

"""`contactd users ...`: operator commands on an app's agents and users (principals)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from contactd.cli.failure import require_server_extra
from contactd.cli.operator import run_command
from contactd.cli.options import DatabaseUrl, JsonFlag
from contactd.cli.output import print_json, print_table
from contactd.defaults import DEFAULT_DATABASE_URL

__all__ = ["users_commands"]

users_commands = typer.Typer(
    help="List an app's agents and users; lift a login throttle.", no_args_is_help=True
)


@users_commands.command("list")
def users_list(
    appid: Annotated[int, typer.Argument(help="The app whose agents and users to list")],
    database_url: DatabaseUrl = DEFAULT_DATABASE_URL,
    as_json: JsonFlag = False,
) -> None:
    """List an app's agents (v1) and users (v2/v3), in extension order."""
    require_server_extra("users list")
    from contactd.control.wire import UsersList

    users: list[dict[str, Any]] = run_command(UsersList(appid), database_url)
    if as_json:
        print_json(users)
        return
    columns = ("id", "name", "phone", "email", "created_at")
    print_table(columns, users, caption=f"agents and users of app {appid}: {len(users)}")


@users_commands.command("unlock")
def users_unlock(
    principal_id: Annotated[
        str, typer.Argument(metavar="ID", help="The id to let log in again, e.g. 1001_1234567")
    ],
    database_url: DatabaseUrl = DEFAULT_DATABASE_URL,
) -> None:
    """Lift the login throttle of an id: forget its failed logins.

    Prints {"id": ..., "cleared_failures": N} as one JSON line.
    """
    require_server_extra("users unlock")
    from contactd.control.wire import UsersUnlock

    print_json(run_command(UsersUnlock(principal_id), database_url))

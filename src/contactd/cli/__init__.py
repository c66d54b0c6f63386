"""The `contactd` command: one root, the server's commands and the client's.

The server's commands (`serve`, `app ...`, `snapshot ...`) import the server's modules only
when they run, so the base install (the SDK and this CLI) answers `--help`, `login` and
`contacts ...` without them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from contactd import __version__
from contactd.cli.apps import app_commands
from contactd.cli.backup import backup, restore
from contactd.cli.contacts import contacts_app
from contactd.cli.login import login
from contactd.cli.server import serve
from contactd.cli.snapshot import snapshot_commands
from contactd.cli.users import users_commands

__all__ = ["cli", "main"]

cli = typer.Typer(
    name="contactd",
    help="A self-hostable contact service that speaks the TeleCMI contact APIs.",
    no_args_is_help=True,
    add_completion=False,
    # Plain help: rich markup would eat `[env var: ...]` and label every flag `<bool>`.
    rich_markup_mode=None,
)


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"contactd {__version__}")
        raise typer.Exit


@cli.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """A self-hostable contact service that speaks the TeleCMI contact APIs."""


cli.command()(serve)
cli.add_typer(app_commands, name="app")
cli.add_typer(users_commands, name="users")
cli.command()(backup)
cli.command()(restore)
cli.add_typer(snapshot_commands, name="snapshot")
cli.command("login")(login)
cli.add_typer(contacts_app, name="contacts")


def main() -> None:
    cli()

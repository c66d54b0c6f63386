"""The one way a `contactd` command fails: a line on stderr and an exit status."""

from __future__ import annotations

import importlib.util

import typer

__all__ = ["EXIT_FAILURE", "EXIT_USAGE", "fail", "require_server_extra"]

EXIT_FAILURE = 1
"""The command ran and did not succeed (the server refused, rows were rejected)."""
EXIT_USAGE = 2
"""The command could not run as asked: a bad setting, a missing extra, a held store."""

# Importable only with `pip install 'contactd[server]'`; the base install is the client.
_SERVER_MODULES = ("msgspec", "starlette", "uvicorn", "phonenumbers", "argon2", "psycopg")


def fail(message: str, *, code: int = EXIT_FAILURE) -> typer.Exit:
    """Print `contactd: message` on stderr; raise the returned exception to exit."""
    typer.echo(f"contactd: {message}", err=True)
    return typer.Exit(code=code)


def require_server_extra(command: str) -> None:
    """Exit 2 with the install line when the server's dependencies are not installed."""
    missing = [name for name in _SERVER_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise fail(
            f"`contactd {command}` needs the server: pip install 'contactd[server]'"
            f" (missing: {', '.join(missing)})",
            code=EXIT_USAGE,
        )

"""`contactd login`: log in (v2) and keep the token for the `contacts` commands."""

from __future__ import annotations

from typing import Annotated

import typer

from contactd.cli.credentials import reporting_errors, save_credentials
from contactd.client import DEFAULT_BASE_URL, Client
from contactd.defaults import BASE_URL_VARIABLE

__all__ = ["login"]


@reporting_errors
def login(
    user_id: Annotated[str, typer.Option("--id", help="User id, e.g. 1001_1234567")],
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, help="Prompted for when omitted")
    ],
    base_url: Annotated[
        str, typer.Option(envvar=BASE_URL_VARIABLE, show_envvar=True, help="The server")
    ] = DEFAULT_BASE_URL,
) -> None:
    """Log in (v2) and keep the token for the `contacts` commands."""
    with Client(base_url=base_url) as client:
        result = client.v2.login(user_id, password)
    path = save_credentials({"base_url": base_url, "id": result.id, "token": result.token})
    typer.echo(f"Logged in as {result.id} ({result.name}); token saved to {path}")

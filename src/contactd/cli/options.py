"""Options more than one command takes, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["DatabaseUrl"]

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="sqlite:///path.db (default ./contactd.db) or postgresql://user@host:port/db"
        " [env: CONTACTD_DATABASE_URL]",
        show_default=False,
    ),
]

"""Options more than one command takes, declared once.

Each setting's flag reads its `CONTACTD_*` variable too (click's `envvar`), so `--help`
shows both with the default, and a bad value is named by flag and variable alike.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from contactd.defaults import ENV_PREFIX

__all__ = ["DatabaseUrl", "JsonFlag", "env_option"]


def env_option(setting: str, help: str, *declarations: str, **options: Any) -> Any:
    """A flag that falls back to `CONTACTD_<SETTING>`; both are listed in `--help`.
    `declarations` name the flag where its name is not the setting's (`--x/--no-x`)."""
    return typer.Option(
        *declarations, envvar=ENV_PREFIX + setting.upper(), show_envvar=True, help=help, **options
    )


DatabaseUrl = Annotated[
    str,
    env_option(
        "database_url",
        "sqlite:///path.db (relative to the working directory) or postgresql://user@host:port/db",
    ),
]
"""Give it `DEFAULT_DATABASE_URL` as the parameter's default."""
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON (for scripts).")]

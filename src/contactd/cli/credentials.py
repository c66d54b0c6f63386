"""Saved credentials: what `contactd login` keeps for the `contacts` commands.

They live in `$XDG_CONFIG_HOME/contactd/credentials.json` (default `~/.config`), mode 0600.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from contactd.cli.failure import fail
from contactd.client import Client, ContactdError

__all__ = ["client_from_credentials", "credentials_path", "reporting_errors", "save_credentials"]

F = TypeVar("F", bound=Callable[..., None])


def credentials_path() -> Path:
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "contactd" / "credentials.json"


def save_credentials(data: dict[str, str]) -> Path:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    path.chmod(0o600)  # also when the file existed with looser permissions
    return path


def client_from_credentials() -> Client:
    path = credentials_path()
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        return Client(base_url=saved["base_url"], token=saved["token"])
    except FileNotFoundError:
        raise fail("not logged in: run `contactd login --base-url URL --id ID` first") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise fail(f"{path} is unreadable ({exc!r}): run `contactd login` again") from exc


def reporting_errors(command: F) -> F:
    """Turn SDK errors into one line on stderr and exit status 1."""

    @functools.wraps(command)  # typer reads the signature through __wrapped__
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except ContactdError as exc:
            raise fail(str(exc)) from exc

    return wrapper  # type: ignore[return-value]

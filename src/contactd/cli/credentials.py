"""Saved credentials: what `contactd login` keeps for the `contacts` commands.

They live in `$XDG_CONFIG_HOME/contactd/credentials.json` (default `~/.config`), mode 0600.
Scripts can set `CONTACTD_BASE_URL` and `CONTACTD_TOKEN` instead: each, when set, is
used in place of the saved value.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from contactd.cli.failure import fail
from contactd.client import (
    DEFAULT_BASE_URL,
    AuthenticationError,
    Client,
    ConflictError,
    ContactdError,
    NotFoundError,
)
from contactd.defaults import BASE_URL_VARIABLE, TOKEN_VARIABLE

__all__ = [
    "client_from_credentials",
    "credentials_path",
    "reporting_errors",
    "save_credentials",
]

F = TypeVar("F", bound=Callable[..., None])
# v3 answers a token naming no live user (expired, revoked, removed) with this 404
# (docs/api.md, "v3 contacts"); an unknown contact is a 404 of its own wording.
_TOKEN_REFUSED = "Authenticated user record not found"  # noqa: S105 (a message)


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
    """A client with the saved credentials, each overridden by its variable when set."""
    base_url, token = os.environ.get(BASE_URL_VARIABLE), os.environ.get(TOKEN_VARIABLE)
    if not token or not base_url:
        saved = _saved_credentials(required=not token)
        base_url = base_url or saved.get("base_url") or DEFAULT_BASE_URL
        token = token or saved["token"]
    return Client(base_url=base_url, token=token)


def _saved_credentials(*, required: bool) -> dict[str, str]:
    path = credentials_path()
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(saved, dict) or (required and not isinstance(saved["token"], str)):
            raise TypeError("not a JSON object with a token")
        return saved
    except FileNotFoundError:
        if not required:
            return {}
        raise fail(
            "not logged in: run `contactd login --base-url URL --id ID` first"
            f" (or set {TOKEN_VARIABLE})"
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise fail(f"{path} is unreadable ({exc!r}): run `contactd login` again") from exc


def describe(exc: ContactdError) -> str:
    """One line for an SDK error, saying what to do where there is something to do."""
    if isinstance(exc, AuthenticationError) or (
        isinstance(exc, NotFoundError) and exc.msg == _TOKEN_REFUSED
    ):
        source = f" from {TOKEN_VARIABLE}" if os.environ.get(TOKEN_VARIABLE) else ""
        return (
            f"{exc}: the token{source} is no longer valid (expired, revoked or its user"
            " removed): run `contactd login` to get a new one"
        )
    if isinstance(exc, ConflictError) and exc.duplicates:
        return f"{exc} (phones: {', '.join(exc.duplicates)})"
    return str(exc)


def reporting_errors(command: F) -> F:
    """Turn SDK errors into one line on stderr and exit status 1."""

    @functools.wraps(command)  # typer reads the signature through __wrapped__
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except ContactdError as exc:
            raise fail(describe(exc)) from exc

    return wrapper  # type: ignore[return-value]

"""What travels on the control channel: one command as a JSON line, one reply as another."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from contactd.defaults import DEFAULT_COUNTRY_CODE

__all__ = [
    "MAX_MESSAGE_BYTES",
    "AppCreate",
    "AppList",
    "AppRotateSecret",
    "Command",
    "Reply",
    "SnapshotSave",
    "UsersList",
    "UsersUnlock",
    "command_name",
    "decode_command",
    "decode_reply",
    "encode",
    "unix_address",
]

MAX_MESSAGE_BYTES = 4 * 1024 * 1024
"""A command is a few hundred bytes; a reply lists at most 9,900 users of an app."""


class AppCreate(msgspec.Struct, frozen=True, tag="app create"):
    name: str
    country_code: str = DEFAULT_COUNTRY_CODE
    appid: int | None = None
    """The app's id and secret when chosen (`--appid`, `--secret`), else random ones."""
    secret: str | None = None


class AppList(msgspec.Struct, frozen=True, tag="app list"):
    pass


class AppRotateSecret(msgspec.Struct, frozen=True, tag="app rotate-secret"):
    appid: int


class UsersList(msgspec.Struct, frozen=True, tag="users list"):
    appid: int


class UsersUnlock(msgspec.Struct, frozen=True, tag="users unlock"):
    id: str


class SnapshotSave(msgspec.Struct, frozen=True, tag="snapshot save"):
    path: str
    """Absolute: the server writes the file, from a working directory of its own."""


Command = AppCreate | AppList | AppRotateSecret | UsersList | UsersUnlock | SnapshotSave
"""Each is named by the CLI command that sends it (its `type` tag on the wire)."""
WRITES = (AppCreate, AppRotateSecret, UsersUnlock)


def command_name(command: Command) -> str:
    """The CLI command that sends it, e.g. "app create" (its tag on the wire)."""
    return str(type(command).__struct_config__.tag)


class Reply(msgspec.Struct, frozen=True):
    result: Any = None
    error: str | None = None
    """Set when the command was refused; the message names the field and the rule."""
    could_not_run: bool = False
    """The command could not run as asked (a bad argument, a full or failing store:
    exit status 2), rather than being refused (a record that does not exist: 1)."""


_command_decoder = msgspec.json.Decoder(Command)
_reply_decoder = msgspec.json.Decoder(Reply)


def encode(message: msgspec.Struct) -> bytes:
    return msgspec.json.encode(message) + b"\n"


def decode_command(line: bytes) -> Command:
    """Raise `msgspec.ValidationError` or `msgspec.DecodeError` for a malformed line."""
    return _command_decoder.decode(line)


def decode_reply(line: bytes) -> Reply:
    return _reply_decoder.decode(line)


# A Unix socket address holds at most 107 bytes of path (Linux's sun_path).
_MAX_SOCKET_PATH = 107


@contextlib.contextmanager
def unix_address(path: Path) -> Iterator[str]:
    """An address `bind` and `connect` accept for `path`, however long it is.

    A longer path is reached through its directory's descriptor (`/proc/self/fd/N/x`),
    which keeps the permission checks of the real directory.
    """
    if len(os.fsencode(path)) <= _MAX_SOCKET_PATH:
        yield str(path)
        return
    directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        yield f"/proc/self/fd/{directory}/{path.name}"
    finally:
        os.close(directory)

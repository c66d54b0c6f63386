"""The server's end of the control channel: a Unix socket beside its SQLite store.

Only the store's owner reaches it: the socket is mode 0600 before it listens, and a
peer whose uid differs from the server's (root, which passes any mode) is refused
(SO_PEERCRED) even so. Each
connection carries one command and gets one reply; a peer that sends nothing within
`READ_TIMEOUT_SECONDS` is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import struct
from pathlib import Path

import msgspec

from contactd.control.commands import execute
from contactd.control.wire import (
    MAX_MESSAGE_BYTES,
    Reply,
    command_name,
    decode_command,
    encode,
    unix_address,
)
from contactd.domain.apps import AppService
from contactd.domain.store import Store, StoreError
from contactd.store.sqlite_files import socket_path

__all__ = ["READ_TIMEOUT_SECONDS", "ControlChannel", "open_control_channel"]

log = logging.getLogger("contactd.control")
READ_TIMEOUT_SECONDS = 10.0
_UCRED = struct.Struct("3i")  # pid, uid, gid


class ControlChannel:
    def __init__(self, path: Path, store: Store, apps: AppService) -> None:
        self.path = path
        self._store = store
        self._apps = apps
        self._server: asyncio.AbstractServer | None = None

    async def start(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            # A socket file left by a server that was killed: this process holds the
            # store's writer lock, so no live server is behind it.
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            with unix_address(self.path) as address:
                sock.bind(address)
            os.chmod(self.path, 0o600)
            self._server = await asyncio.start_unix_server(
                self._answer, sock=sock, limit=MAX_MESSAGE_BYTES
            )
        except BaseException:
            sock.close()
            raise
        log.info("operator commands are answered on %s", self.path)

    async def close(self) -> None:
        if self._server is None:
            return
        self._server.close()
        await self._server.wait_closed()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            peer = _peer_uid(writer)
            if peer != os.geteuid():  # root passes the socket's mode; it is told why not
                refusal = (
                    f"refused: operator commands run as the server's user (uid {os.geteuid()}),"
                    f" not uid {peer}, so that the store's files keep one owner"
                )
                writer.write(encode(Reply(error=refusal, could_not_run=True)))
                await writer.drain()
                return
            line = await asyncio.wait_for(reader.readline(), READ_TIMEOUT_SECONDS)
            writer.write(encode(await self._reply(line)))
            await writer.drain()
        except (TimeoutError, ConnectionError, ValueError) as exc:
            log.warning("control channel: dropped a peer: %r", exc)
        finally:
            writer.close()

    async def _reply(self, line: bytes) -> Reply:
        try:
            command = decode_command(line)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            return Reply(error=f"malformed command: {exc}", could_not_run=True)
        try:
            reply = await execute(command, self._store, self._apps)
        except StoreError as exc:
            return Reply(error=str(exc), could_not_run=True)
        except Exception:
            log.exception("control channel: %r failed", command)
            return Reply(error="internal error; it is in the server's log")
        log.info("operator command %r answered", command_name(command))
        return reply


def _peer_uid(writer: asyncio.StreamWriter) -> int:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:  # not Linux: the socket's mode alone keeps other users out
        return os.geteuid()
    sock: socket.socket = writer.get_extra_info("socket")
    creds = sock.getsockopt(socket.SOL_SOCKET, option, _UCRED.size)
    return int(_UCRED.unpack(creds)[1])


async def open_control_channel(store: Store, apps: AppService) -> ControlChannel | None:
    """Start the channel beside a SQLite file store; None for any other store.

    A channel that cannot start is logged, not fatal: the server serves, and operator
    commands say that it does not answer them.
    """
    path = getattr(store, "path", None)
    if store.backend != "sqlite" or path is None or path == ":memory:":
        return None
    channel = ControlChannel(socket_path(Path(path)), store, apps)
    try:
        await channel.start()
    except OSError as exc:
        log.warning("no control channel at %s: %s", channel.path, exc)
        return None
    return channel

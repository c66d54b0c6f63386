"""The CLI's end of the control channel: send one command to the server, read the reply."""

from __future__ import annotations

import socket
from pathlib import Path

import msgspec

from contactd.control.wire import (
    MAX_MESSAGE_BYTES,
    Command,
    Reply,
    decode_reply,
    encode,
    unix_address,
)

__all__ = ["DEFAULT_TIMEOUT_SECONDS", "ChannelUnavailable", "send"]

DEFAULT_TIMEOUT_SECONDS = 30.0


class ChannelUnavailable(Exception):
    """Nothing answers on the socket (no server, or one still starting or stopping)."""


def send(path: Path, command: Command, *, timeout: float | None = None) -> Reply:
    """Raise `ChannelUnavailable` when no server listens; `OSError` when one stops mid-way
    or has not answered within `timeout` seconds (None: `DEFAULT_TIMEOUT_SECONDS`)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(DEFAULT_TIMEOUT_SECONDS if timeout is None else timeout)
        try:
            with unix_address(path) as address:
                sock.connect(address)
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            raise ChannelUnavailable(str(exc)) from exc
        sock.sendall(encode(command))
        reply = _read_line(sock)
    try:
        return decode_reply(reply)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise OSError(f"the server's reply on {path} is unreadable: {exc}") from exc


def _read_line(sock: socket.socket) -> bytes:
    received = bytearray()
    while not received.endswith(b"\n"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
        if len(received) > MAX_MESSAGE_BYTES:
            raise OSError("the server's reply is too long")
    return bytes(received)

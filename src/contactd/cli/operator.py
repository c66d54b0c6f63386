"""How an operator command reaches its store, and says which store that is.

PostgreSQL: straight on the database, which any number of processes may share. SQLite:
one process writes a file (`store.sqlite_lock`), so a command takes the store's writer
lock and runs on the file itself when no server runs, and is sent to the server over
its control channel (`contactd.control`) when one holds the lock. Either way the line
`contactd: store: ...` on stderr names the store (absolute path, or the URL with its
password masked); stdout carries only the command's answer.

Only the server's modules are imported here, so the caller checks the server extra
first (`require_server_extra`).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from contactd.cli.failure import EXIT_FAILURE, EXIT_USAGE, fail

if TYPE_CHECKING:
    from contactd.config import Settings
    from contactd.control.wire import Command, Reply
    from contactd.store.sqlite_lock import StoreHeld, WriterLock

__all__ = [
    "SERVER_START_WAIT_SECONDS",
    "announce",
    "describe_store",
    "hold_for_serving",
    "load_settings",
    "run_command",
    "sqlite_file",
    "try_lock",
]

SERVER_START_WAIT_SECONDS = 10.0
"""How long a command waits for a server that holds the store but does not answer yet
(it is starting), and `serve` for an operator command that holds it briefly."""
_POLL_SECONDS = 0.1


def load_settings(database_url: str) -> Settings:
    """The settings for an operator command (unknown `CONTACTD_*` variables warned about),
    its store's URL checked; logging quiet, as stderr names the store."""
    from contactd.cli import settings as cli_settings
    from contactd.logs import configure_logging
    from contactd.store import check_database_url

    settings = cli_settings.load_settings(database_url=database_url)
    try:
        check_database_url(settings.database_url)
    except ValueError as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc
    configure_logging("warning")
    return settings


def sqlite_file(database_url: str) -> Path | None:
    """The absolute path of a SQLite store; None for PostgreSQL."""
    from urllib.parse import urlsplit

    from contactd.store import sqlite_path
    from contactd.store.sqlite_files import resolve

    if urlsplit(database_url).scheme != "sqlite":
        return None
    return resolve(sqlite_path(database_url))


def describe_store(database_url: str) -> str:
    db = sqlite_file(database_url)
    if db is not None:
        return f"SQLite {db}"
    from contactd.store.postgres_setup import parse_url

    target = parse_url(database_url)
    return f"PostgreSQL {target.redacted} (schema {target.schema})"


def announce(text: str) -> None:
    typer.echo(f"contactd: store: {text}", err=True)


def run_command(
    command: Command,
    database_url: str,
    *,
    creates_store: bool = False,
    timeout: float | None = None,
) -> Any:
    """Run an operator command on its store; return its result or exit with its refusal.

    `creates_store`: the command may start a new SQLite file (`app create`); the others
    refuse a path where no store exists. `timeout`: how long a server that holds the
    store may take to answer (None: the channel's default).
    """
    settings = load_settings(database_url)
    db = sqlite_file(settings.database_url)
    if db is None:
        announce(describe_store(settings.database_url))
        return _result(asyncio.run(_on_store(settings, command)))
    return _result(_on_sqlite(settings, db, command, creates_store=creates_store, timeout=timeout))


def _on_sqlite(
    settings: Settings, db: Path, command: Command, *, creates_store: bool, timeout: float | None
) -> Reply:
    from contactd.control.client import ChannelUnavailable, send
    from contactd.control.wire import WRITES, command_name
    from contactd.store.sqlite_files import StoreLocationError, require_existing, socket_path

    try:
        if not creates_store:
            require_existing(db)
        deadline = time.monotonic() + SERVER_START_WAIT_SECONDS
        while True:
            lock, held = try_lock(db, role=command_name(command))
            if lock is not None:
                with lock:
                    announce(f"SQLite {db}")
                    return asyncio.run(_on_store(settings, command))
            try:
                reply = send(socket_path(db), command, timeout=timeout)
            except ChannelUnavailable:
                if time.monotonic() > deadline:
                    break
                time.sleep(_POLL_SECONDS)
                continue
            who = held.holder if held is not None and held.holder else "the server"
            done = "written" if isinstance(command, WRITES) else "read"
            announce(f"SQLite {db} ({done} by {who}, which serves it)")
            return reply
    except StoreLocationError as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc
    except OSError as exc:
        raise fail(f"the server holding {db} did not answer: {exc}") from exc
    if held is not None and held.holder is not None and held.holder.role != "serve":
        raise fail(f"{held}: run this command again once it has finished", code=EXIT_USAGE)
    raise fail(
        f"{held}, which does not answer operator commands on {socket_path(db)};"
        " is it an older contactd? Stop it to run this command on the file.",
        code=EXIT_USAGE,
    )


def try_lock(db: Path, *, role: str) -> tuple[WriterLock | None, StoreHeld | None]:
    from contactd.store.sqlite_lock import StoreHeld, acquire

    try:
        return acquire(db, role=role), None
    except StoreHeld as held:
        return None, held


async def _on_store(settings: Settings, command: Command) -> Reply:
    from contactd.control.commands import execute
    from contactd.domain.apps import AppService
    from contactd.domain.store import StoreError
    from contactd.store import open_store

    # A store that cannot open or write (unreachable, full, read-only) is exit 2, as
    # the same condition answered by a running server is.
    try:
        store = await open_store(settings.database_url, wait_seconds=settings.db_wait_seconds)
    except (StoreError, ValueError) as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc
    try:
        return await execute(command, store, AppService(store))
    except StoreError as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc
    finally:
        await store.close()


def _result(reply: Reply) -> Any:
    if reply.error is not None:
        raise fail(reply.error, code=EXIT_USAGE if reply.could_not_run else EXIT_FAILURE)
    return reply.result


def hold_for_serving(database_url: str) -> WriterLock | None:
    """Take the writer lock of a SQLite store for `serve`, or exit 2 naming its holder.

    An operator command holds a store for a moment: that is waited for (briefly). A
    server holds it for as long as it runs: that is refused at once.
    """
    from contactd.store.sqlite_files import StoreLocationError, lock_path

    db = sqlite_file(database_url)
    if db is None:
        return None
    deadline = time.monotonic() + SERVER_START_WAIT_SECONDS
    try:
        while True:
            lock, held = try_lock(db, role="serve")
            if lock is not None:
                return lock
            assert held is not None
            serving = held.holder is not None and held.holder.role == "serve"
            if serving or time.monotonic() > deadline:
                break
            time.sleep(_POLL_SECONDS)
    except StoreLocationError as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc
    raise fail(
        f"{held}: one process serves a SQLite store (lock {lock_path(db)}). Stop that"
        " process first, or use PostgreSQL to run several servers.",
        code=EXIT_USAGE,
    )

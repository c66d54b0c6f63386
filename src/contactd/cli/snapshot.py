"""`contactd snapshot save FILE` and `contactd snapshot load FILE`: the whole store to a
portable file and back, on either backend (docs/stand-in.md, "Snapshots").

A save runs while a server serves: a server holding a SQLite store writes the file
itself, asked over its control channel (`contactd.control`), from one read snapshot
of the store. A load replaces every row, so it refuses while a server holds a SQLite
store: the server would go on with what it remembers of the old rows (its listings,
its server secret). `contactd serve --stand-in --snapshot FILE` loads at start
instead. A PostgreSQL store tells no command which servers use it: stop them before a
load.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from contactd.cli.failure import EXIT_USAGE, fail, require_server_extra
from contactd.cli.operator import (
    announce,
    describe_store,
    load_settings,
    run_command,
    sqlite_file,
    try_lock,
)
from contactd.cli.options import DatabaseUrl
from contactd.defaults import DEFAULT_DATABASE_URL

if TYPE_CHECKING:
    from contactd.config import Settings
    from contactd.domain.snapshot import StoreSnapshot
    from contactd.standin.snapshot_file import SnapshotSummary

__all__ = ["snapshot_commands"]

SAVE_TIMEOUT_SECONDS = 600.0
"""How long a server holding the store may take to write the file."""

SnapshotPath = Annotated[Path, typer.Argument(metavar="FILE", help="The snapshot file")]

snapshot_commands = typer.Typer(
    help="Save the whole store to a portable file, and load one (stand-in mode).",
    no_args_is_help=True,
)


@snapshot_commands.command("save")
def snapshot_save(file: SnapshotPath, database_url: DatabaseUrl = DEFAULT_DATABASE_URL) -> None:
    """Write every app, user and contact of the store to FILE (replaced whole if it
    exists), consistent while a server writes. FILE holds the hashes of every secret
    and password and the server secret: it is made readable by its owner only."""
    require_server_extra("snapshot save")
    from contactd.control.wire import SnapshotSave

    path = file.expanduser().absolute()
    saved = run_command(SnapshotSave(str(path)), database_url, timeout=SAVE_TIMEOUT_SECONDS)
    typer.echo(
        f"saved the store to {path}: {saved['apps']} apps, {saved['principals']} agents"
        f" and users, {saved['contacts']} contacts"
    )


@snapshot_commands.command("load")
def snapshot_load(file: SnapshotPath, database_url: DatabaseUrl = DEFAULT_DATABASE_URL) -> None:
    """Replace the whole store with the snapshot in FILE: every app, user and contact
    of the store is dropped, in one transaction (a refused file changes nothing).

    Refused while a server serves a SQLite store: stop it, or start it with `contactd
    serve --stand-in --snapshot FILE`. Stop the servers of a PostgreSQL store first.
    """
    require_server_extra("snapshot load")
    from contactd.standin.snapshot_file import SnapshotRefused, read

    settings = load_settings(database_url)
    source = file.expanduser().absolute()
    try:
        snapshot = read(source)  # before the store opens: a bad file creates no store
    except SnapshotRefused as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc
    db = sqlite_file(settings.database_url)
    if db is None:
        announce(describe_store(settings.database_url))
        summary = asyncio.run(_load(settings, snapshot, source))
    else:
        try:
            lock, held = try_lock(db, role="snapshot load")
        except ValueError as exc:  # the store's directory is missing or not writable
            raise fail(str(exc), code=EXIT_USAGE) from exc
        if lock is None:
            raise fail(
                f"{held}: stop it before loading a snapshot (a load replaces the whole"
                " store, and a running server would go on with what it remembers of the"
                f" old one), or start it with `contactd serve --stand-in --snapshot {source}`",
                code=EXIT_USAGE,
            )
        with lock:
            announce(f"SQLite {db}")
            summary = asyncio.run(_load(settings, snapshot, source))
    typer.echo(f"loaded {source}: {summary}")


async def _load(settings: Settings, snapshot: StoreSnapshot, source: Path) -> SnapshotSummary:
    from contactd.domain.store import StoreError
    from contactd.standin.snapshot_file import SnapshotRefused, replace_with
    from contactd.store import open_store

    try:
        store = await open_store(settings.database_url, wait_seconds=settings.db_wait_seconds)
    except (StoreError, ValueError) as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc
    try:
        return await replace_with(store, snapshot, source)
    except (SnapshotRefused, StoreError) as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc
    finally:
        await store.close()

"""`contactd backup PATH` and `contactd restore PATH`: a SQLite store to a file and back.

A backup runs while the server serves (it only reads); a restore replaces the store, so
it refuses while a server holds it. A PostgreSQL store is copied with PostgreSQL's own
tools: both commands print the `pg_dump` / `pg_restore` command to run and exit 2, so
that a script never mistakes the advice for a backup made.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from contactd.cli.failure import EXIT_USAGE, fail, require_server_extra
from contactd.cli.operator import announce, describe_store, load_settings, sqlite_file, try_lock
from contactd.cli.options import DatabaseUrl
from contactd.defaults import DEFAULT_DATABASE_URL

__all__ = ["backup", "restore"]

BackupPath = Annotated[Path, typer.Argument(metavar="PATH", help="The backup file")]


def backup(path: BackupPath, database_url: DatabaseUrl = DEFAULT_DATABASE_URL) -> None:
    """Copy the store to PATH (replaced if it exists), consistent while the server writes."""
    db, destination, _ = _sqlite_store("backup", path, database_url)
    from contactd.store.sqlite_backup import backup as copy_store

    with _failures(f"backup of {db} to {destination}"):
        lock, held = try_lock(db, role="backup")
        if lock is None:
            announce(f"SQLite {db} (read while {held.holder if held else 'a server'} serves it)")
            contents = copy_store(db, destination, read_only=True)
        else:
            with lock:
                announce(f"SQLite {db}")
                contents = copy_store(db, destination, read_only=False)
    typer.echo(f"backed up {db} to {destination}: {contents}")


def restore(path: BackupPath, database_url: DatabaseUrl = DEFAULT_DATABASE_URL) -> None:
    """Replace the store with the backup at PATH: every app, user and contact in it.

    Refused while a server serves the store: stop it, restore, start it again.
    """
    db, source, database_url = _sqlite_store("restore", path, database_url)
    from contactd.store.sqlite_backup import restore as copy_backup
    from contactd.store.sqlite_files import lock_path

    with _failures(f"restore of {source} into {db}"):
        lock, held = try_lock(db, role="restore")
        if lock is None:
            raise fail(
                f"{held}: stop it before restoring (a restore replaces the whole store;"
                f" lock {lock_path(db)})",
                code=EXIT_USAGE,
            )
        with lock:
            announce(f"SQLite {db}")
            contents = copy_backup(source, db)
            asyncio.run(_migrate(database_url))
    typer.echo(f"restored {source} into {db}: {contents}")


def _sqlite_store(verb: str, path: Path, database_url: str) -> tuple[Path, Path, str]:
    """The SQLite file the settings name, PATH made absolute and the settings' URL; a
    PostgreSQL store is refused with the command that does the job instead."""
    require_server_extra(verb)
    settings = load_settings(database_url)
    db = sqlite_file(settings.database_url)
    if db is None:
        raise _postgres_instead(verb, path, settings.database_url)
    return db, path.expanduser().absolute(), settings.database_url


@contextlib.contextmanager
def _failures(what: str) -> Iterator[None]:
    """Turn a refused path (ValueError) into a usage error and a failed copy into exit 1,
    naming `what` was attempted."""
    import sqlite3

    try:
        yield
    except ValueError as exc:
        raise fail(str(exc), code=EXIT_USAGE) from exc
    except (OSError, sqlite3.Error) as exc:
        raise fail(f"{what} failed: {exc}") from exc


async def _migrate(database_url: str) -> None:
    """Open the restored store once: a backup from an older contactd is migrated now."""
    from contactd.store import open_store

    store = await open_store(database_url)
    await store.close()


def _postgres_instead(verb: str, path: Path, database_url: str) -> typer.Exit:
    from contactd.store.postgres_setup import parse_url

    target = parse_url(database_url)
    announce(describe_store(database_url))
    url, file = shlex.quote(target.redacted), shlex.quote(str(path.expanduser().absolute()))
    if verb == "backup":
        command = f"pg_dump --format=custom --schema={target.schema} --file={file} {url}"
    else:
        command = (
            f"pg_restore --clean --if-exists --no-owner --schema={target.schema}"
            f" --dbname={url} {file}"
        )
    typer.echo(command)
    return fail(
        f"`contactd {verb}` copies SQLite stores; for PostgreSQL run the command above"
        " (the password is masked: give it in PGPASSWORD or ~/.pgpass; docs/operations.md)",
        code=EXIT_USAGE,
    )

"""Backup and restore of a SQLite store with SQLite's online backup API.

`backup` copies the store in one backup step, which is one read transaction: the copy
is the store as of one moment, every write committed before that moment in it, while
the server goes on writing (WAL: a reader blocks no writer). It reads through a
read-only connection when a server holds the store, so the one-writer rule holds. The
copy is written under a temporary name, converted to a self-contained rollback-journal
file, checked, flushed to disk and only then renamed to its name.

`restore` checks the backup (`integrity_check`, contactd's tables and migrations) and
copies it over the store page by page through SQLite, inside one transaction of the
store's own journal, so a crash midway leaves the old store, never a mix. The caller
holds the store's writer lock: no server is running.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from contactd.store.migrations.runner import migrations_for
from contactd.store.sqlite_conn import BUSY_TIMEOUT_MS
from contactd.store.sqlite_files import StoreLocationError, check_location, require_existing

__all__ = ["NotAStore", "StoreContents", "backup", "check_store", "restore"]

_TABLES = ("apps", "principals", "contacts", "schema_migrations")


class NotAStore(ValueError):
    """The file is not a sound contactd store (or is one from a newer contactd)."""


@dataclass(frozen=True)
class StoreContents:
    apps: int
    principals: int
    contacts: int
    schema_version: int

    def __str__(self) -> str:
        return (
            f"{self.apps} apps, {self.principals} agents and users, {self.contacts} contacts"
            f" (schema version {self.schema_version})"
        )


def check_store(conn: sqlite3.Connection, path: Path) -> StoreContents:
    """Raise `NotAStore` unless the database passes `integrity_check` and holds contactd's
    tables with migrations this contactd knows; return what it holds."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        missing = [t for t in _TABLES if t not in tables]
        if missing:
            raise NotAStore(f"{path} is not a contactd store: no table {', '.join(missing)}")
        versions = {int(row[0]) for row in conn.execute("SELECT version FROM schema_migrations")}
        counts = [
            int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("apps", "principals", "contacts")
        ]
    except sqlite3.DatabaseError as exc:
        raise NotAStore(f"{path} is not a contactd store: {exc}") from exc
    if problems != ["ok"]:
        raise NotAStore(f"{path} fails integrity_check: {'; '.join(problems[:5])}")
    unknown = versions - {version for version, _, _ in migrations_for("sqlite")}
    if unknown:
        raise NotAStore(
            f"{path} was made by a newer contactd (schema versions {sorted(unknown)}):"
            " upgrade contactd first"
        )
    apps, principals, contacts = counts
    return StoreContents(apps, principals, contacts, max(versions, default=0))


def backup(store: Path, destination: Path, *, read_only: bool) -> StoreContents:
    """Copy the store at `store` to `destination` (replaced if it exists); return what the
    copy holds. `read_only`: another process writes the store (a server holds it)."""
    require_existing(store)
    _check_destination(destination, store)
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    source = _connect(store, read_only=read_only)
    try:
        target = sqlite3.connect(temporary, isolation_level=None)
        try:
            source.backup(target)  # every page in one step: one snapshot of the store
            target.execute("PRAGMA journal_mode = DELETE")  # the copy stands alone
            contents = check_store(target, destination)
        finally:
            target.close()
        _flush(temporary)
        os.replace(temporary, destination)
        _flush(destination.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    finally:
        source.close()
    return contents


def restore(source: Path, store: Path) -> StoreContents:
    """Replace the store at `store` with the backup at `source`; return what it holds.
    The caller holds the store's writer lock."""
    if not source.is_file():
        raise StoreLocationError(f"there is no backup file at {source}")
    if source == store:
        raise StoreLocationError(f"{source} is the store itself")
    check_location(store)
    backup_conn = _connect(source, read_only=True)
    try:
        contents = check_store(backup_conn, source)
        target = sqlite3.connect(store, isolation_level=None)
        try:
            target.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Out of WAL for the copy (no other connection is open: the caller holds the
            # lock), so that a backup of another page size can be copied in; the store
            # goes back to WAL when it is next opened.
            target.execute("PRAGMA journal_mode = DELETE")
            backup_conn.backup(target)
        finally:
            target.close()
    finally:
        backup_conn.close()
    return contents


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        # mode=ro: this connection never writes the file, nor checkpoints its WAL.
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    else:
        conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _check_destination(destination: Path, store: Path) -> None:
    if destination == store or destination.name.startswith(store.name + "-"):
        raise StoreLocationError(f"{destination} is the store or one of its files")
    if not destination.parent.is_dir():
        raise StoreLocationError(
            f"the directory of the backup {destination} does not exist:"
            f" create {destination.parent} first"
        )
    if destination.is_dir():
        raise StoreLocationError(f"{destination} is a directory: name the backup file")
    if not os.access(destination.parent, os.W_OK | os.X_OK):
        raise StoreLocationError(f"the directory {destination.parent} is not writable")


def _flush(path: Path) -> None:
    """fsync a file or a directory, so that the rename survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

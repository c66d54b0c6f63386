"""Where a SQLite store lives: its absolute path, the files beside it, and whether it can
be used there.

A store is one database file and, in its directory, SQLite's `-wal` and `-shm` files
plus two of contactd's: `<db>.lock` (the writer lock, `sqlite_lock`) and `<db>.sock`
(the running server's control socket, `contactd.control`). So the directory must exist
and be writable, and so must the file; both are checked before anything opens, so that
the message names the path instead of SQLite's `unable to open database file`.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "StoreLocationError",
    "check_location",
    "lock_path",
    "require_existing",
    "resolve",
    "socket_path",
]


class StoreLocationError(ValueError):
    """The store's path cannot be used: its directory is missing, or it is not writable."""


def resolve(path: str) -> Path:
    """The absolute path of a store file (symbolic links resolved): the name every
    message uses and the key of the writer lock."""
    return Path(path).expanduser().resolve()


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def socket_path(db: Path) -> Path:
    return db.with_name(db.name + ".sock")


def check_location(db: Path) -> None:
    """Raise `StoreLocationError` naming the path unless a store can be opened at `db`.

    A missing directory is refused rather than created: a typo in the path would
    otherwise start an empty store somewhere unexpected.
    """
    directory = db.parent
    try:
        is_directory = directory.is_dir()
    except PermissionError:  # an ancestor this user may not enter
        raise StoreLocationError(
            f"the directory of the SQLite store {db} cannot be reached by this user"
            f" (uid {os.geteuid()}): check the modes of {directory} and its parents"
        ) from None
    if not is_directory:
        raise StoreLocationError(
            f"the directory of the SQLite store {db} does not exist: create {directory} first"
            " or correct the path"
        )
    if db.is_dir():
        raise StoreLocationError(f"the SQLite store {db} is a directory, not a database file")
    if db.exists() and not os.access(db, os.R_OK | os.W_OK):
        raise StoreLocationError(
            f"the SQLite store {db} is not writable by this user (uid {os.geteuid()}):"
            " check its owner and mode"
        )
    if not os.access(directory, os.W_OK | os.X_OK):
        raise StoreLocationError(
            f"the directory {directory} of the SQLite store {db} is not writable by this user"
            f" (uid {os.geteuid()}): SQLite keeps its -wal and -shm files beside the database"
        )


def require_existing(db: Path) -> None:
    """Raise `StoreLocationError` unless a store file exists at `db` (for reads)."""
    check_location(db)
    if not db.exists():
        raise StoreLocationError(f"there is no SQLite store at {db}")

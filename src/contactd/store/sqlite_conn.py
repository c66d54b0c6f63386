"""Connections of the SQLite backend, as the store core's `Tx` too, and the small SQL
helpers its modules share."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import NoReturn

from contactd.domain.errors import Outcome
from contactd.domain.names import name_search_key
from contactd.domain.store import StoreError, StoreFault, StoreFull, StoreUnavailable
from contactd.store.tx import Params, Row

__all__ = [
    "BUSY_TIMEOUT_MS",
    "SEARCH_KEY_FUNCTION",
    "SQLiteTx",
    "assignments",
    "connect",
    "marks",
    "raise_store_fault",
    "statements",
    "store_fault",
]

BUSY_TIMEOUT_MS = 5000
SEARCH_KEY_FUNCTION = "contactd_search_key"
"""`contactd_search_key(first_name, last_name)`: the folded name the search compares.

Folding is Python's (`domain.names.search_key`): SQLite's own `lower()` is ASCII-only,
so "ZOË" would not find "Zoë". The function lives on contactd's connections only, never
in the schema (no trigger or index calls it), so other tools can still open and write
the file; a name they write is found once contactd rewrites it.
"""


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.create_function(SEARCH_KEY_FUNCTION, 2, name_search_key, deterministic=True)
    return conn


# Primary result codes (https://sqlite.org/rescode.html); an extended code such as
# SQLITE_IOERR_WRITE carries its primary code in the low byte.
_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_FAULT_CODES = frozenset({sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN})


def store_fault(exc: sqlite3.OperationalError) -> StoreError | None:
    """The store condition an operational error means, or None for any other error.

    On SQLITE_FULL (the disk, or `max_page_count`) SQLite has undone the statement, and
    the writer rolls the transaction back; an I/O error or a read-only file leaves the
    connection usable once the disk writes again. Neither needs a new connection."""
    extended = getattr(exc, "sqlite_errorcode", -1)
    code = extended & 0xFF
    detail = f"SQLite: {exc} ({getattr(exc, 'sqlite_errorname', 'no error code')})"
    # SHMSIZE: the -shm file could not grow, which on Linux is a full disk (ENOSPC).
    if code == sqlite3.SQLITE_FULL or extended == sqlite3.SQLITE_IOERR_SHMSIZE:
        return StoreFull(detail)
    # Commits run in this process, so the outcome of a write is known but for an I/O
    # error, which may strike the COMMIT's own write or fsync. A busy database refused
    # the transaction (BEGIN IMMEDIATE waits for the lock) or the COMMIT, which SQLite
    # then leaves open for the ROLLBACK; a read-only file refuses before writing.
    if code == sqlite3.SQLITE_IOERR:
        return StoreFault(detail, outcome=Outcome.UNKNOWN)
    if code in _FAULT_CODES:
        return StoreFault(detail, outcome=Outcome.NOT_APPLIED)
    if code in _BUSY_CODES:
        return StoreUnavailable("the database is busy; retry shortly", outcome=Outcome.NOT_APPLIED)
    return None


def raise_store_fault(exc: sqlite3.OperationalError) -> NoReturn:
    """Raise the store condition `exc` means, or `exc` itself if it means none."""
    fault = store_fault(exc)
    if fault is None:
        raise exc
    raise fault from exc


class SQLiteTx:
    """A connection as the store core's `Tx` (`store.tx`): each method runs its statement
    at once and never suspends, so an operation over it completes in one step
    (`run_to_completion`). A locked, full or failing database is a store condition (a 503
    or 507), not a bug."""

    __slots__ = ("_conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    async def one(self, query: str, params: Params = ()) -> Row | None:
        try:
            row: Row | None = self._conn.execute(query, params).fetchone()
        except sqlite3.OperationalError as exc:
            raise_store_fault(exc)
        return row

    async def all(self, query: str, params: Params = ()) -> list[Row]:
        try:
            return self._conn.execute(query, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise_store_fault(exc)

    async def run(self, query: str, params: Params = ()) -> int:
        try:
            return self._conn.execute(query, params).rowcount
        except sqlite3.OperationalError as exc:
            raise_store_fault(exc)


def marks(n: int) -> str:
    return ", ".join("?" * n)


def assignments(changes: object, columns: Sequence[str]) -> tuple[list[str], list[object]]:
    """`col = ?` pairs and values for the fields of `changes` that are not None."""
    names = [c for c in columns if getattr(changes, c) is not None]
    return [f"{c} = ?" for c in names], [getattr(changes, c) for c in names]


def statements(sql: str) -> list[str]:
    """Split a migration file into statements, keeping trigger bodies whole."""
    found: list[str] = []
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    if pending.strip():
        found.append(pending.strip())
    return found

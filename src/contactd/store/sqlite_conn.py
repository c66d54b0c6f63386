"""Connections of the SQLite backend: the writer, reader and search connections and the
threads they run on (`SQLiteConnections`), each connection as the store core's `Tx`
(`SQLiteTx`), and the small SQL helpers the backend's modules share."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import NoReturn, ParamSpec, TypeVar

from contactd.domain.errors import Outcome
from contactd.domain.names import name_search_key
from contactd.domain.store import StoreError, StoreFault, StoreFull, StoreUnavailable
from contactd.store.fragment_folder import FragmentFolder
from contactd.store.sqlite_fragment_fold import fold_pending_fragments, phones_pending
from contactd.store.sqlite_name_fold import fold_name_changes
from contactd.store.tx import Op, Params, Reads, Row, run_to_completion

__all__ = [
    "BUSY_TIMEOUT_MS",
    "SEARCH_KEY_FUNCTION",
    "SQLiteConnections",
    "SQLiteTx",
    "assignments",
    "connect",
    "marks",
    "raise_store_fault",
    "statements",
    "store_fault",
]

T = TypeVar("T")
P = ParamSpec("P")

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


def _fetch_all(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[Row]:
    return conn.execute(sql, params).fetchall()


class SQLiteConnections:
    """The connections of a `SQLiteStore` (its module docstring says which runs where)
    and how its statements run on them."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._writer_thread = ThreadPoolExecutor(1, thread_name_prefix="contactd-sqlite-writer")
        self._writer = connect(path)
        self._reader = connect(path)
        self._reads: Reads = SQLiteTx(self._reader)
        self._writer_tx = SQLiteTx(self._writer)
        self._search_thread = ThreadPoolExecutor(1, thread_name_prefix="contactd-sqlite-search")
        self._searcher = connect(path)
        self._fragment_folder = FragmentFolder(
            lambda chunk: self._write(functools.partial(fold_pending_fragments, chunk=chunk))
        )

    def _resume_fragment_folds(self) -> None:
        """Fold the fragment changes an earlier process left pending (store/name_index.py)."""
        pending = "SELECT EXISTS (SELECT 1 FROM name_pending UNION ALL SELECT 1 FROM phone_pending)"
        if self._read(pending)[0][0]:
            self._fragment_folder.resume()

    async def _close_connections(self) -> None:
        await self._fragment_folder.stop()
        await self._run_on_writer(self._writer.close)
        self._writer_thread.shutdown(wait=True)
        self._search_thread.shutdown(wait=True)
        self._searcher.close()
        self._reader.close()

    async def _run_on_writer(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._writer_thread, fn)

    async def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` in one IMMEDIATE transaction on the writer; commit or roll back.

        The name changes its contact writes logged are folded into the name dictionary
        in the same transaction, and the fragment counts follow them a moment later
        (store/name_index.py)."""

        def transaction() -> T:
            conn = self._writer
            try:
                conn.execute("BEGIN IMMEDIATE")
                result = fn(conn)
                if fold_name_changes(conn) or phones_pending(conn):
                    self._fragment_folder.appended += 1
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

        try:
            return await self._run_on_writer(transaction)
        except sqlite3.OperationalError as exc:
            raise_store_fault(exc)
        finally:
            self._fragment_folder.note_pending()

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        return self._guarded(_fetch_all, self._reader, sql, params)

    @staticmethod
    def _guarded(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a read; a locked, full or failing database is a store condition (a 503
        or 507), not a bug.

        The arguments are passed through rather than closed over: the v3 read path
        calls this on every request, and a closure per call is work for nothing."""
        try:
            return fn(*args, **kwargs)
        except sqlite3.OperationalError as exc:
            raise_store_fault(exc)

    async def _search(self, fn: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._search_thread, self._guarded, fn)

    async def _transact(self, op: Op[T]) -> T:
        tx = self._writer_tx
        return await self._write(lambda _: run_to_completion(op(tx)))

    async def _read_snapshot(self, op: Op[T]) -> T:
        """Run `op`'s reads in one read transaction (WAL: one snapshot, which blocks
        no writer) on the search thread, so that a long read holds up no request."""

        def read() -> T:
            conn = self._searcher
            conn.execute("BEGIN")
            try:
                return run_to_completion(op(SQLiteTx(conn)))
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

        return await self._search(read)

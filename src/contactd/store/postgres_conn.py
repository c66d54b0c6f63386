"""Connections of the PostgreSQL backend: the pool, its reads and transactions (with the
retries that are safe), and psycopg as the store core's `Reads` and `Tx` (`store.tx`).

Connections run in autocommit, so a read is one statement and one round trip on a
pooled connection; a write is one explicit transaction that has committed before the
method returns. Storage errors become `StoreFull` or `StoreFault`, a database that
cannot be reached `StoreUnavailable`, never a 500. After writes, the fragment counts
are folded from the name changes they left pending (store/postgres_fragment_fold.py).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import psycopg
from psycopg import errors
from psycopg_pool import AsyncConnectionPool

from contactd.domain.errors import Outcome
from contactd.domain.store import StoreUnavailable
from contactd.store.fragment_folder import FragmentFolder
from contactd.store.postgres_faults import STORAGE_ERRORS, one_line, store_fault
from contactd.store.postgres_fragment_fold import (
    fold_pending_fragments,
    names_pending,
    vacuum_pending,
)
from contactd.store.tx import Op, Params, Reads, Row

if TYPE_CHECKING:
    from contactd.store.postgres_setup import PgTarget

__all__ = ["Conn", "PoolReads", "PostgresConnections", "PostgresTx"]

log = logging.getLogger("contactd.store")
T = TypeVar("T")
Conn = psycopg.AsyncConnection[Any]

NOT_APPLIED = Outcome.NOT_APPLIED
_WRITE_ATTEMPTS = 3


class PostgresTx:
    """A connection inside the store's open transaction (`PostgresStore._write`)."""

    __slots__ = ("_conn",)

    def __init__(self, conn: Conn) -> None:
        self._conn = conn

    async def one(self, query: str, params: Params = ()) -> Row | None:
        return await (await self._conn.execute(query, params)).fetchone()

    async def all(self, query: str, params: Params = ()) -> list[Row]:
        return await (await self._conn.execute(query, params)).fetchall()

    async def run(self, query: str, params: Params = ()) -> int:
        return (await self._conn.execute(query, params)).rowcount


class PoolReads:
    """Reads outside a transaction: each statement on a pooled connection of its own, in
    autocommit (`PostgresStore._rows`, which replaces a connection found dead)."""

    __slots__ = ("_rows",)

    def __init__(self, rows: Callable[[str, Params], Awaitable[list[Row]]]) -> None:
        self._rows = rows

    async def one(self, query: str, params: Params = ()) -> Row | None:
        rows = await self._rows(query, params)
        return rows[0] if rows else None

    async def all(self, query: str, params: Params = ()) -> list[Row]:
        return await self._rows(query, params)


def _commit_outcome(exc: psycopg.Error, conn: Conn | None, *, committing: bool) -> Outcome:
    """Whether a write that failed this way may have been applied. Only a COMMIT that
    got no answer is in doubt: an error the server sent (it has a SQLSTATE) on a live
    connection means it rolled the transaction back."""
    answered = exc.sqlstate is not None and conn is not None and not conn.closed
    return Outcome.UNKNOWN if committing and not answered else NOT_APPLIED


async def _in_snapshot(conn: Conn, fn: Callable[[Conn], Awaitable[T]]) -> T:
    """Run `fn` in a repeatable-read, read-only transaction. The options ride on the
    BEGIN itself (set client-side, no round trip) and are reset before the connection
    goes back to the pool, where writes expect the default."""
    await conn.set_isolation_level(psycopg.IsolationLevel.REPEATABLE_READ)
    await conn.set_read_only(True)
    try:
        async with conn.transaction():
            return await fn(conn)
    finally:
        if not conn.closed:  # a dead connection is discarded by the pool anyway
            await conn.set_isolation_level(None)
            await conn.set_read_only(None)


class PostgresConnections:
    """The pool of a `PostgresStore` and how its statements run on it."""

    def __init__(self, pool: AsyncConnectionPool[Conn], target: PgTarget) -> None:
        self._pool = pool
        self.target = target
        self._reads: Reads = PoolReads(self._rows)
        self._fragment_folder = FragmentFolder(self._fold_fragments)

    async def close(self) -> None:
        await self._fragment_folder.stop()
        await self._pool.close()

    async def _resume_fragment_folds(self) -> None:
        """Fold the name changes an earlier process left pending (store/name_index.py)."""
        if await self._snapshot(names_pending):
            self._fragment_folder.resume()

    async def _fold_fragments(self, chunk: int) -> bool:
        """One fold, then the vacuum of what it took; whether it took `chunk`."""
        fold = functools.partial(fold_pending_fragments, chunk=chunk)
        taken = await self._transaction(fold, read_only=False)
        if taken:
            async with self._pool.connection() as conn:
                await vacuum_pending(conn)
        return taken >= chunk

    def pool_stats(self) -> dict[str, int]:
        """The pool's figures now (psycopg_pool's `get_stats`), for the metrics."""
        return self._pool.get_stats()

    async def _rows(
        self, query: Any, params: Params = (), *, timeout: float | None = None
    ) -> list[Row]:
        """One read statement. A pooled connection found dead (the server restarted, a
        proxy dropped it) is discarded and the read, which changes nothing, retried on
        the next: a restart of PostgreSQL costs a reconnect, not a 503 per stale
        connection. Every authenticated request starts with such a read (its token)."""
        for _ in range(self.target.pool_max_size + 1):
            conn: Conn | None = None
            try:
                async with self._pool.connection(timeout=timeout) as conn:
                    cursor = await conn.execute(query, params)
                    return await cursor.fetchall()
            except STORAGE_ERRORS as exc:
                raise store_fault(exc) from exc
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                if conn is not None and conn.closed:
                    log.warning("retrying on a fresh connection: %s", one_line(exc))
                    continue
                raise StoreUnavailable(
                    f"PostgreSQL unavailable: {one_line(exc)}", outcome=NOT_APPLIED
                ) from exc
        raise StoreUnavailable(
            "PostgreSQL unavailable: every pooled connection was lost", outcome=NOT_APPLIED
        )

    async def _snapshot(self, fn: Callable[[Conn], Awaitable[T]]) -> T:
        """Run reads in one snapshot (repeatable read), so a count and its page agree."""
        return await self._transaction(fn, read_only=True)

    async def _write(self, fn: Callable[[Conn], Awaitable[T]]) -> T:
        """Run `fn` in one transaction; commit, or roll back and re-raise. Its contact
        writes may have left name changes pending: the folds follow (a write that
        changed no name leaves them nothing to fold)."""
        try:
            return await self._transaction(fn, read_only=False)
        finally:
            self._fragment_folder.appended += 1
            self._fragment_folder.note_pending()

    async def _transact(self, op: Op[T]) -> T:
        return await self._write(lambda conn: op(PostgresTx(conn)))

    async def _read_snapshot(self, op: Op[T]) -> T:
        return await self._snapshot(lambda conn: op(PostgresTx(conn)))

    async def _transaction(self, fn: Callable[[Conn], Awaitable[T]], *, read_only: bool) -> T:
        """One transaction, retried only where running it again is known to be safe.

        A deadlock or serialization failure (which the lock order should prevent) rolled
        the transaction back whole. A pooled connection found dead is replaced when the
        transaction changed nothing: a read, or a write that died at BEGIN. A write whose
        connection is lost after BEGIN is a 503: one that had not sent its COMMIT was
        rolled back by the server (`Outcome.NOT_APPLIED`); one lost during its COMMIT
        may have landed (`Outcome.UNKNOWN`), and repeating it could apply it twice.
        """
        conflicts = lost = 0
        while True:
            conn: Conn | None = None
            began = committing = False
            try:
                async with self._pool.connection() as conn:
                    if read_only:
                        return await _in_snapshot(conn, fn)
                    async with conn.transaction():
                        began = True
                        result = await fn(conn)
                        committing = True  # what fails from here on is the COMMIT
                    return result
            except (errors.DeadlockDetected, errors.SerializationFailure) as exc:
                conflicts += 1
                if conflicts == _WRITE_ATTEMPTS:
                    raise StoreUnavailable(
                        f"write kept conflicting: {exc}", outcome=NOT_APPLIED
                    ) from exc
                log.warning("retrying a transaction after %s", type(exc).__name__)
            except STORAGE_ERRORS as exc:  # rolled back whole: nothing was stored
                raise store_fault(exc) from exc
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                dead = conn is not None and conn.closed and (read_only or not began)
                if not dead or lost > self.target.pool_max_size:
                    raise StoreUnavailable(
                        f"PostgreSQL unavailable: {one_line(exc)}",
                        outcome=_commit_outcome(exc, conn, committing=committing),
                    ) from exc
                lost += 1
                log.warning("retrying on a fresh connection: %s", one_line(exc))

"""psycopg as the store core's `Reads` and `Tx` (`store.tx`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import psycopg

from contactd.store.tx import Params, Row

__all__ = ["Conn", "PoolReads", "PostgresTx"]

Conn = psycopg.AsyncConnection[Any]


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

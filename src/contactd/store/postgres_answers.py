"""Keyed contact writes on PostgreSQL: the write in the store's transaction
(`PostgresStore._write`), then, in the same transaction, the request's pending answer
(`answers.keep_pending`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from contactd.store.answers import claim, keep_pending
from contactd.store.postgres_conn import Conn, PostgresTx
from contactd.store.queries import POSTGRES

__all__ = ["keyed"]

T = TypeVar("T")


def keyed(
    app_id: int,
    fn: Callable[[Conn], Awaitable[T]],
    result_of: Callable[[T], object] | None = None,
) -> Callable[[Conn], Awaitable[T]]:
    """`fn`, a write of `app_id`, followed in its transaction by keeping the request's
    pending answer (if any) for its result (`result_of(result)` where the answer needs
    another value)."""
    pending = claim(app_id)
    if pending is None:
        return fn

    async def write(conn: Conn) -> T:
        result = await fn(conn)
        answer_of = result if result_of is None else result_of(result)
        await keep_pending(PostgresTx(conn), POSTGRES.keep_answer, pending, answer_of)
        return result

    return write

"""Idempotency keys on PostgreSQL: the answers kept under them (migration 0006).

`keep_pending` runs inside a contact write's transaction (`PostgresStore._write`), so
the key commits with the write or not at all. Two requests racing with one new key:
the second's insert waits on the first's uncommitted row, then finds it live and
raises `KeyTaken`, which rolls the second write back.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

import psycopg

from contactd.domain.idempotency import PENDING_ANSWER, KeptAnswer
from contactd.domain.store import KeyTaken

__all__ = [
    "FIND",
    "SWEEP",
    "PostgresAnswers",
    "PostgresPlumbing",
    "found",
    "insert",
    "keyed",
]

Conn = psycopg.AsyncConnection[Any]
T = TypeVar("T")

FIND = (
    "SELECT digest, status, body, created_at FROM idempotency_keys"
    " WHERE app_id = %s AND key = %s AND created_at >= %s"
)
# A dead key (older than 24 hours, not yet swept) is taken over; a live one is not.
_INSERT = (
    "INSERT INTO idempotency_keys AS k (app_id, key, digest, status, body, created_at)"
    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (app_id, key) DO UPDATE SET"
    " digest = excluded.digest, status = excluded.status, body = excluded.body,"
    " created_at = excluded.created_at WHERE k.created_at < %s"
)
SWEEP = (
    "DELETE FROM idempotency_keys WHERE (app_id, key) IN (SELECT app_id, key"
    " FROM idempotency_keys WHERE created_at < %s ORDER BY created_at LIMIT %s)"
)


async def insert(
    conn: Conn, app_id: int, key: str, answer: KeptAnswer, expired_before: int
) -> bool:
    """Keep `answer` under the key; False if a live answer is kept under it."""
    cursor = await conn.execute(
        _INSERT,
        (app_id, key, answer.digest, answer.status, answer.body, answer.created_at, expired_before),
    )
    return cursor.rowcount == 1


def keyed(
    app_id: int,
    fn: Callable[[Conn], Awaitable[T]],
    result_of: Callable[[T], object] | None = None,
) -> Callable[[Conn], Awaitable[T]]:
    """`fn`, a write of `app_id`, followed in its transaction by keeping the request's
    pending answer (if any) for its result (`result_of(result)` where the answer needs
    another value). The pending answer is now known to belong to `app_id`, the app of
    the write, which the caller's credentials proved."""
    pending = PENDING_ANSWER.get()
    if pending is None:
        return fn
    pending.app_id = app_id

    async def write(conn: Conn) -> T:
        result = await fn(conn)
        answer = pending.answer_for(result if result_of is None else result_of(result))
        if answer is not None:
            if not await insert(conn, app_id, pending.key, answer, pending.expired_before):
                raise KeyTaken(pending.key)
            pending.kept = True
        return result

    return write


def found(row: tuple[Any, ...]) -> KeptAnswer:
    digest, status, body, created_at = row
    return KeptAnswer(bytes(digest), int(status), bytes(body), int(created_at))


class PostgresPlumbing(Protocol):
    async def _rows(
        self, query: Any, params: Sequence[Any] = (), *, timeout: float | None = None
    ) -> list[tuple[Any, ...]]: ...

    async def _write(self, fn: Callable[[Conn], Awaitable[T]]) -> T: ...


class PostgresAnswers:
    """The store's idempotency-key methods (`Store.find_answer` ...), on the plumbing of
    `PostgresStore`, which they are mixed into."""

    async def find_answer(
        self: PostgresPlumbing, app_id: int, key: str, *, since: int
    ) -> KeptAnswer | None:
        rows = await self._rows(FIND, (app_id, key, since))
        return found(rows[0]) if rows else None

    async def keep_answer(
        self: PostgresPlumbing, app_id: int, key: str, answer: KeptAnswer, *, expired_before: int
    ) -> bool:
        return await self._write(
            functools.partial(
                insert, app_id=app_id, key=key, answer=answer, expired_before=expired_before
            )
        )

    async def sweep_answers(self: PostgresPlumbing, *, before: int, limit: int) -> int:
        async def sweep(conn: Conn) -> int:
            return (await conn.execute(SWEEP, (before, limit))).rowcount

        return await self._write(sweep)

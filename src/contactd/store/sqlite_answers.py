"""Idempotency keys on SQLite: the answers kept under them (migration 0006).

`keep_pending` runs inside a contact write's transaction on the writer connection, so
the key commits with the write or not at all.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from contactd.domain.idempotency import PENDING_ANSWER, KeptAnswer, PendingAnswer
from contactd.domain.store import KeyTaken

__all__ = [
    "FIND",
    "SWEEP",
    "SQLiteAnswers",
    "SQLitePlumbing",
    "claim",
    "found",
    "insert",
    "keep_pending",
    "keyed",
]

T = TypeVar("T")

FIND = (
    "SELECT digest, status, body, created_at FROM idempotency_keys"
    " WHERE app_id = ? AND key = ? AND created_at >= ?"
)
# A dead key (older than 24 hours, not yet swept) is taken over; a live one is not.
_INSERT = (
    "INSERT INTO idempotency_keys (app_id, key, digest, status, body, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (app_id, key) DO UPDATE SET"
    " digest = excluded.digest, status = excluded.status, body = excluded.body,"
    " created_at = excluded.created_at WHERE idempotency_keys.created_at < ?"
)
SWEEP = (
    "DELETE FROM idempotency_keys WHERE (app_id, key) IN (SELECT app_id, key"
    " FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)"
)


def insert(
    conn: sqlite3.Connection, app_id: int, key: str, answer: KeptAnswer, expired_before: int
) -> bool:
    """Keep `answer` under the key; False if a live answer is kept under it."""
    cursor = conn.execute(
        _INSERT,
        (app_id, key, answer.digest, answer.status, answer.body, answer.created_at, expired_before),
    )
    return cursor.rowcount == 1


def claim(app_id: int) -> PendingAnswer | None:
    """The request's pending answer, if any, now known to belong to `app_id` (the app
    of the write, which the caller's credentials proved). Called on the event loop,
    where the request's context is: the writer thread does not see it."""
    pending = PENDING_ANSWER.get()
    if pending is not None:
        pending.app_id = app_id
    return pending


def keep_pending(conn: sqlite3.Connection, pending: PendingAnswer | None, result: object) -> None:
    """Keep the pending key's answer for this write's `result`, in its transaction;
    raise `KeyTaken` (which rolls the write back) if a live one is kept already."""
    if pending is None or pending.app_id is None:
        return
    answer = pending.answer_for(result)
    if answer is None:
        return
    if not insert(conn, pending.app_id, pending.key, answer, pending.expired_before):
        raise KeyTaken(pending.key)
    pending.kept = True


def found(row: tuple[object, ...]) -> KeptAnswer:
    digest, status, body, created_at = row
    return KeptAnswer(bytes(digest), int(status), bytes(body), int(created_at))  # type: ignore[call-overload]


def keyed(app_id: int, fn: Callable[[sqlite3.Connection], T]) -> Callable[[sqlite3.Connection], T]:
    """`fn`, a write of `app_id`, followed in its transaction by keeping the request's
    pending answer (if any) for its result."""
    pending = claim(app_id)
    if pending is None:
        return fn

    def write(conn: sqlite3.Connection) -> T:
        result = fn(conn)
        keep_pending(conn, pending, result)
        return result

    return write


class SQLitePlumbing(Protocol):
    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]: ...

    async def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T: ...


class SQLiteAnswers:
    """The store's idempotency-key methods (`Store.find_answer` ...), on the plumbing of
    `SQLiteStore`, which they are mixed into."""

    async def find_answer(
        self: SQLitePlumbing, app_id: int, key: str, *, since: int
    ) -> KeptAnswer | None:
        rows = self._read(FIND, (app_id, key, since))
        return found(rows[0]) if rows else None

    async def keep_answer(
        self: SQLitePlumbing, app_id: int, key: str, answer: KeptAnswer, *, expired_before: int
    ) -> bool:
        return await self._write(
            functools.partial(
                insert, app_id=app_id, key=key, answer=answer, expired_before=expired_before
            )
        )

    async def sweep_answers(self: SQLitePlumbing, *, before: int, limit: int) -> int:
        def sweep(conn: sqlite3.Connection) -> int:
            return conn.execute(SWEEP, (before, limit)).rowcount

        return await self._write(sweep)

"""Keyed contact writes on SQLite: the write on the writer connection, then, in its
transaction, the request's pending answer (`answers.keep_pending`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

from contactd.domain.idempotency import PendingAnswer
from contactd.store.answers import claim
from contactd.store.answers import keep_pending as keep_pending_in
from contactd.store.queries import SQLITE
from contactd.store.sqlite_conn import SQLiteTx
from contactd.store.tx import run_to_completion

__all__ = ["keep_pending", "keyed"]

T = TypeVar("T")


def keep_pending(conn: sqlite3.Connection, pending: PendingAnswer | None, result: object) -> None:
    """`answers.keep_pending` on the writer connection, inside its open transaction."""
    if pending is not None:
        run_to_completion(keep_pending_in(SQLiteTx(conn), SQLITE.keep_answer, pending, result))


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

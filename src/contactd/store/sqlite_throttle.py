"""The login throttle's SQL for SQLite: password checks reserved per principal id.

The reservation counts and inserts in one write transaction on the one writer
connection (`SQLiteStore._write`), so nothing can reserve for the id in between: the
window never holds more than its bound.
"""

from __future__ import annotations

import sqlite3

__all__ = ["RECENT_ATTEMPTS", "clear_attempt", "reserve_attempt"]

RECENT_ATTEMPTS = (
    "SELECT attempted_at FROM login_attempts"
    " WHERE app_id = ? AND extension = ? AND attempted_at > ? ORDER BY attempted_at"
)


def reserve_attempt(
    conn: sqlite3.Connection,
    *,
    app_id: int,
    extension: int,
    attempt_id: int,
    at: int,
    since: int,
    limit: int,
) -> list[int]:
    conn.execute(
        "DELETE FROM login_attempts WHERE app_id = ? AND attempted_at <= ?", (app_id, since)
    )
    times = [int(row[0]) for row in conn.execute(RECENT_ATTEMPTS, (app_id, extension, since))]
    if len(times) < limit:
        conn.execute(
            "INSERT INTO login_attempts (app_id, extension, attempt_id, attempted_at)"
            " VALUES (?, ?, ?, ?)",
            (app_id, extension, attempt_id, at),
        )
    return times


def clear_attempt(
    conn: sqlite3.Connection, *, app_id: int, extension: int, attempt_id: int
) -> None:
    conn.execute(
        "DELETE FROM login_attempts WHERE app_id = ? AND extension = ? AND attempt_id = ?",
        (app_id, extension, attempt_id),
    )

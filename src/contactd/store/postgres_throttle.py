"""The login throttle's SQL for PostgreSQL: password checks reserved per principal id.

Many processes reserve at once, so a reservation first upserts the id's row in
`login_ids`, which locks it until the transaction ends: reservations of one id run one
after another, and each one's count (a new snapshot per statement, read committed)
sees every attempt committed before it. So the window never holds more attempts than
its bound, whatever the number of processes.

The sweep of rows that left the window skips rows another reservation holds
(`SKIP LOCKED`): two reservations of one app never wait on each other's rows, so they
cannot deadlock; a skipped row goes with a later sweep.
"""

from __future__ import annotations

from typing import Any

import psycopg

__all__ = ["CLEAR_ATTEMPT", "RECENT_ATTEMPTS", "reserve_attempt"]

Conn = psycopg.AsyncConnection[Any]

RECENT_ATTEMPTS = (
    "SELECT attempted_at FROM login_attempts"
    " WHERE app_id = %s AND extension = %s AND attempted_at > %s ORDER BY attempted_at"
)
CLEAR_ATTEMPT = (
    "DELETE FROM login_attempts WHERE app_id = %s AND extension = %s AND attempt_id = %s"
)
_LOCK_ID = (
    "INSERT INTO login_ids AS i (app_id, extension, last_attempt_at) VALUES (%s, %s, %s)"
    " ON CONFLICT (app_id, extension)"
    " DO UPDATE SET last_attempt_at = greatest(i.last_attempt_at, excluded.last_attempt_at)"
)
_INSERT_ATTEMPT = (
    "INSERT INTO login_attempts (app_id, extension, attempt_id, attempted_at)"
    " VALUES (%s, %s, %s, %s)"
)
_SWEEP = (
    "WITH old_attempts AS (DELETE FROM login_attempts WHERE (app_id, extension, attempt_id) IN"
    " (SELECT app_id, extension, attempt_id FROM login_attempts"
    "  WHERE app_id = %(app)s AND attempted_at <= %(since)s FOR UPDATE SKIP LOCKED))"
    " DELETE FROM login_ids WHERE (app_id, extension) IN"
    " (SELECT app_id, extension FROM login_ids"
    "  WHERE app_id = %(app)s AND last_attempt_at <= %(since)s FOR UPDATE SKIP LOCKED)"
)


async def reserve_attempt(
    conn: Conn,
    *,
    app_id: int,
    extension: int,
    attempt_id: int,
    at: int,
    since: int,
    limit: int,
) -> list[int]:
    """Run inside the store's write transaction (`PostgresStore._write`)."""
    await conn.execute(_LOCK_ID, (app_id, extension, at))
    cursor = await conn.execute(RECENT_ATTEMPTS, (app_id, extension, since))
    times = [int(row[0]) for row in await cursor.fetchall()]
    if len(times) < limit:
        await conn.execute(_INSERT_ATTEMPT, (app_id, extension, attempt_id, at))
    await conn.execute(_SWEEP, {"app": app_id, "since": since})
    return times

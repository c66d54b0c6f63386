"""The SQLite store's queries for the operator commands (`contactd app ...`, `users ...`),
kept apart from the request path's. Mixed into `SQLiteStore`, whose `_read` and
`_write` they use."""

from __future__ import annotations

import sqlite3
from typing import TypeVar

from contactd.domain.models import AppSummary
from contactd.store.sqlite_answers import SQLitePlumbing

__all__ = ["SQLiteOperatorQueries"]

T = TypeVar("T")

_LIST_APPS = (
    "SELECT app_id, name, country_code, created_at, contact_count,"
    " (SELECT count(*) FROM principals p WHERE p.app_id = a.app_id) FROM apps a ORDER BY app_id"
)


class SQLiteOperatorQueries:
    async def list_apps(self: SQLitePlumbing) -> list[AppSummary]:
        return [AppSummary(*row) for row in self._read(_LIST_APPS)]  # type: ignore[arg-type]

    async def set_app_secret(self: SQLitePlumbing, app_id: int, secret_hash: bytes) -> bool:
        def update(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "UPDATE apps SET secret_hash = ? WHERE app_id = ?", (secret_hash, app_id)
            )
            return cursor.rowcount == 1

        return await self._write(update)

    async def clear_login_failures(self: SQLitePlumbing, app_id: int, extension: int) -> int:
        def clear(conn: sqlite3.Connection) -> int:
            cursor = conn.execute(
                "DELETE FROM login_attempts WHERE app_id = ? AND extension = ?",
                (app_id, extension),
            )
            return cursor.rowcount

        return await self._write(clear)

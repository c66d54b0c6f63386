"""The PostgreSQL store's queries for the operator commands (`contactd app ...`, `users
...`), kept apart from the request path's. Mixed into `PostgresStore`, whose `_rows`
and `_write` they use."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

import psycopg

from contactd.domain.models import AppSummary
from contactd.store.postgres_answers import PostgresPlumbing

__all__ = ["PostgresOperatorQueries"]

T = TypeVar("T")
Conn = psycopg.AsyncConnection[Any]

_LIST_APPS = (
    "SELECT app_id, name, country_code, created_at, contact_count,"
    " (SELECT count(*) FROM principals p WHERE p.app_id = a.app_id) FROM apps a ORDER BY app_id"
)
_SET_APP_SECRET = "UPDATE apps SET secret_hash = %s WHERE app_id = %s"  # noqa: S105 (SQL)
_CLEAR_LOGIN_FAILURES = "DELETE FROM login_attempts WHERE app_id = %s AND extension = %s"


async def _changed(query: str, params: Sequence[Any], conn: Conn) -> int:
    """Run one statement; how many rows it changed."""
    return (await conn.execute(query, params)).rowcount


class PostgresOperatorQueries:
    async def list_apps(self: PostgresPlumbing) -> list[AppSummary]:
        return [AppSummary(*row) for row in await self._rows(_LIST_APPS)]

    async def set_app_secret(self: PostgresPlumbing, app_id: int, secret_hash: bytes) -> bool:
        changed = functools.partial(_changed, _SET_APP_SECRET, (secret_hash, app_id))
        return await self._write(changed) == 1

    async def clear_login_failures(self: PostgresPlumbing, app_id: int, extension: int) -> int:
        changed = functools.partial(_changed, _CLEAR_LOGIN_FAILURES, (app_id, extension))
        return await self._write(changed)

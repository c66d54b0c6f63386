"""Migration 0007 carries the failed logins kept before it over to `login_attempts`.

A store written before 0007 (up to 0006) holds failures in `login_failures`; after the
upgrade the throttle counts them exactly as before, on both backends.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from contactd.domain.names import name_search_key
from contactd.store import open_store
from contactd.store.migrations.runner import migrations_for
from contactd.store.postgres_setup import parse_url
from contactd.store.sqlite_conn import SEARCH_KEY_FUNCTION

APP = 7_777_777
FAILURES = [(1001, 1_700_000_000_000), (1001, 1_700_000_001_000), (2002, 1_700_000_002_000)]
BEFORE = 7


async def _attempts_after_upgrade(url: str) -> dict[int, list[int]]:
    store = await open_store(url)
    try:
        return {
            extension: await store.recent_login_attempts(APP, extension, 0)
            for extension in (1001, 2002)
        }
    finally:
        await store.close()


def _expected() -> dict[int, list[int]]:
    return {
        extension: [at for ext, at in FAILURES if ext == extension] for extension in (1001, 2002)
    }


def test_sqlite_failures_carry_over(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function(SEARCH_KEY_FUNCTION, 2, name_search_key, deterministic=True)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INT)"
    )
    for version, name, text in migrations_for("sqlite"):
        if version < BEFORE:
            conn.executescript(text)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 0)", (version, name))
    conn.executemany(
        "INSERT INTO login_failures (app_id, extension, failed_at) VALUES (?, ?, ?)",
        [(APP, extension, at) for extension, at in FAILURES],
    )
    conn.close()

    assert asyncio.run(_attempts_after_upgrade(f"sqlite:///{path}")) == _expected()
    check = sqlite3.connect(path)
    tables = {row[0] for row in check.execute("SELECT name FROM sqlite_master")}
    assert "login_failures" not in tables


@pytest.mark.postgres
def test_postgresql_failures_carry_over(pg_database_url: str) -> None:
    target = parse_url(pg_database_url)
    schema = sql.Identifier(target.schema)
    with psycopg.connect(target.conninfo, autocommit=True) as conn:
        # The extensions the first migration's indexes use, wherever they are installed.
        for extension in ("pg_trgm", "btree_gin"):
            conn.execute(
                sql.SQL("CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA public").format(
                    sql.Identifier(extension)
                )
            )
        homes = [
            str(row[0])
            for row in conn.execute(
                "SELECT DISTINCT n.nspname FROM pg_extension e"
                " JOIN pg_namespace n ON n.oid = e.extnamespace"
                " WHERE e.extname IN ('pg_trgm', 'btree_gin')"
            )
        ]
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(schema))
        conn.execute(
            sql.SQL("SET search_path TO {}").format(
                sql.SQL(", ").join([schema, *map(sql.Identifier, homes)])
            )
        )
        conn.execute(
            "CREATE TABLE schema_migrations"
            " (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)"
        )
        for version, name, text in migrations_for("postgresql"):
            if version < BEFORE:
                conn.execute(text.encode("utf-8"))
                conn.execute("INSERT INTO schema_migrations VALUES (%s, %s, 0)", (version, name))
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO login_failures (app_id, extension, failed_at) VALUES (%s, %s, %s)",
                [(APP, extension, at) for extension, at in FAILURES],
            )

    assert asyncio.run(_attempts_after_upgrade(pg_database_url)) == _expected()

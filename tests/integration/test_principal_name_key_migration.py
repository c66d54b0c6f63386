"""SQLite migration 0008 keeps each principal's folded name (`name_key`), as PostgreSQL's
schema always has: users kept before it are found by the user filter after it, and the
upgraded file has the schema of a new one."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from contactd.domain.names import name_search_key
from contactd.store import open_store
from contactd.store.migrations.runner import migrations_for
from contactd.store.sqlite_conn import SEARCH_KEY_FUNCTION

APP = 8_888_888
BEFORE = 8
USERS = [(101, "ZOË", "Adams"), (102, "Mike", "Ross"), (103, "Anna", "Zoë-Ross")]


def _store_before(path: Path) -> None:
    """A store as contactd wrote it before 0008, with an app and its users."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function(SEARCH_KEY_FUNCTION, 2, name_search_key, deterministic=True)
    conn.execute(
        "CREATE TABLE schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
    )
    for version, name, text in migrations_for("sqlite"):
        if version < BEFORE:
            conn.executescript(text)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 0)", (version, name))
    conn.execute(
        "INSERT INTO apps (app_id, name, secret_hash, country_code, created_at)"
        " VALUES (?, 'app', x'00', '91', 0)",
        (APP,),
    )
    conn.executemany(
        "INSERT INTO principals (app_id, extension, first_name, last_name, phone, email,"
        " password_hash, start_time, end_time, notify, followme, created_at)"
        " VALUES (?, ?, ?, ?, '', '', 'hash', NULL, NULL, 1, 0, 0)",
        [(APP, extension, first, last) for extension, first, last in USERS],
    )
    conn.close()


def _schema(path: Path) -> list[tuple[str, str, str | None]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name != 'schema_migrations'"
            " ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()


async def _filtered(url: str, name: str) -> list[int]:
    store = await open_store(url)
    try:
        _, found = await store.list_principals(APP, offset=0, limit=10, name=name)
        return [p.extension for p in found]
    finally:
        await store.close()


def test_users_kept_before_0008_are_found_after_it(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    _store_before(old)
    assert asyncio.run(_filtered(f"sqlite:///{old}", "zoë")) == [101, 103]
    assert asyncio.run(_filtered(f"sqlite:///{old}", "ROSS")) == [102, 103]
    keys = sqlite3.connect(old).execute("SELECT name_key FROM principals ORDER BY extension")
    assert [row[0] for row in keys] == [name_search_key(f, last) for _, f, last in USERS]

    new = tmp_path / "new.db"
    asyncio.run(_filtered(f"sqlite:///{new}", ""))
    assert _schema(old) == _schema(new)

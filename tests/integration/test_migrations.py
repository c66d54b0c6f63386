"""Migrations: a store written at any earlier schema version, once upgraded, has the
schema of a new store, and keeps what it held (0007's login failures, 0008's folded
user names), on both backends.

A store is rebuilt here at each version as contactd of that version made it: the
migration files as they are, but for those whose steps were removed since because a
later migration undoes them (tests/released_migrations/ keeps the text such stores ran). A new store
runs the files as they are; an old one ran the earlier text and runs the rest.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from contactd.domain.names import name_search_key
from contactd.store import open_store
from contactd.store.migrations.runner import migrations_for
from contactd.store.postgres_setup import parse_url
from contactd.store.queries import POSTGRES, SQLITE
from contactd.store.sqlite_conn import SEARCH_KEY_FUNCTION
from tests.helpers import migration_history

APP = 7_777_777
FAILURES = [(1001, 1_700_000_000_000), (1001, 1_700_000_001_000), (2002, 1_700_000_002_000)]
USERS = [(101, "ZOË", "Adams"), (102, "Mike", "Ross"), (103, "Anna", "Zoë-Ross")]


def _versions(backend: str) -> list[int]:
    return [version for version, _, _ in migrations_for(backend)]


# -- SQLite ---------------------------------------------------------------------------
def _sqlite_at(path: Path, before: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function(SEARCH_KEY_FUNCTION, 2, name_search_key, deterministic=True)
    conn.execute(SQLITE.create_schema_migrations)
    for version, name, text in migration_history("sqlite", before):
        conn.executescript(text)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 0)", (version, name))
    return conn


def _sqlite_schema(path: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
        return [*rows.fetchall(), ("versions", str(versions), None)]


def _upgrade(url: str) -> None:
    async def open_and_close() -> None:
        await (await open_store(url, wait_seconds=5)).close()

    asyncio.run(open_and_close())


@pytest.mark.parametrize("before", _versions("sqlite"))
def test_a_sqlite_store_from_any_version_has_the_schema_of_a_new_one(
    tmp_path: Path, before: int
) -> None:
    new, old = tmp_path / "new.db", tmp_path / "old.db"
    _upgrade(f"sqlite:///{new}")
    _sqlite_at(old, before).close()
    _upgrade(f"sqlite:///{old}")
    assert _sqlite_schema(old) == _sqlite_schema(new)


def test_sqlite_failures_carry_over(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = _sqlite_at(path, 7)
    conn.executemany(
        "INSERT INTO login_failures (app_id, extension, failed_at) VALUES (?, ?, ?)",
        [(APP, extension, at) for extension, at in FAILURES],
    )
    conn.close()
    assert asyncio.run(_attempts_after_upgrade(f"sqlite:///{path}")) == _expected()
    with sqlite3.connect(path) as check:
        tables = {row[0] for row in check.execute("SELECT name FROM sqlite_master")}
    assert "login_failures" not in tables


def test_sqlite_users_kept_before_0008_are_found_after_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = _sqlite_at(path, 8)
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
    url = f"sqlite:///{path}"
    assert asyncio.run(_filtered(url, "zoë")) == [101, 103]
    assert asyncio.run(_filtered(url, "ROSS")) == [102, 103]
    with sqlite3.connect(path) as check:
        keys = [row[0] for row in check.execute("SELECT name_key FROM principals")]
    assert keys == [name_search_key(first, last) for _, first, last in USERS]


# -- PostgreSQL -----------------------------------------------------------------------
def _postgres_at(url: str, before: int) -> None:
    target = parse_url(url)
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
        conn.execute(POSTGRES.create_schema_migrations)
        for version, name, text in migration_history("postgresql", before):
            conn.execute(text.encode("utf-8"))
            conn.execute("INSERT INTO schema_migrations VALUES (%s, %s, 0)", (version, name))


def _postgres_schema(url: str) -> list[tuple[object, ...]]:
    target = parse_url(url)
    catalog = [
        "SELECT 'column', table_name, column_name, ordinal_position::text, data_type,"
        " is_nullable, column_default, is_identity FROM information_schema.columns"
        " WHERE table_schema = %(s)s",
        "SELECT 'index', tablename, indexname, indexdef, '', '', '', '' FROM pg_indexes"
        " WHERE schemaname = %(s)s",
        "SELECT 'constraint', table_name, constraint_name, constraint_type, '', '', '', ''"
        " FROM information_schema.table_constraints WHERE constraint_schema = %(s)s"
        " AND constraint_type != 'CHECK'",
        "SELECT 'trigger', event_object_table, trigger_name, event_manipulation,"
        " action_timing, action_orientation, action_statement, ''"
        " FROM information_schema.triggers WHERE trigger_schema = %(s)s",
        "SELECT 'function', p.proname, pg_get_functiondef(p.oid), '', '', '', '', ''"
        " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(s)s",
        "SELECT 'version', version::text, name, '', '', '', '', '' FROM {}.schema_migrations",
    ]
    with psycopg.connect(target.conninfo, autocommit=True) as conn:
        rows: list[tuple[object, ...]] = []
        for query in catalog:
            text = query.format(sql.Identifier(target.schema).as_string(conn))
            rows += conn.execute(text, {"s": target.schema}).fetchall()
    # Names that carry the schema's own name are compared without it.
    return sorted(
        tuple(re.sub(rf"\b{target.schema}\b", "S", v) if isinstance(v, str) else v for v in row)
        for row in rows
    )


@pytest.mark.postgres
@pytest.mark.parametrize("before", _versions("postgresql"))
def test_a_postgresql_store_from_any_version_has_the_schema_of_a_new_one(
    pg_database_url: str, before: int
) -> None:
    old = pg_database_url
    new_schema = f"{parse_url(old).schema}_new"
    new = old.replace(f"schema={parse_url(old).schema}", f"schema={new_schema}")
    try:
        _postgres_at(old, before)
        _upgrade(old)
        _upgrade(new)
        assert _postgres_schema(old) == _postgres_schema(new)
    finally:
        with psycopg.connect(parse_url(old).conninfo, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(new_schema))
            )


@pytest.mark.postgres
def test_postgresql_failures_carry_over(pg_database_url: str) -> None:
    _postgres_at(pg_database_url, 7)
    target = parse_url(pg_database_url)
    with psycopg.connect(target.conninfo, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.executemany(
            sql.SQL(
                "INSERT INTO {}.login_failures (app_id, extension, failed_at) VALUES (%s, %s, %s)"
            ).format(sql.Identifier(target.schema)),
            [(APP, extension, at) for extension, at in FAILURES],
        )
    assert asyncio.run(_attempts_after_upgrade(pg_database_url)) == _expected()


@pytest.mark.postgres
def test_postgresql_contacts_get_their_renderings_and_a_vacuum_from_0018(
    pg_database_url: str,
) -> None:
    _postgres_at(pg_database_url, 18)
    target = parse_url(pg_database_url)
    schema = sql.Identifier(target.schema)
    with psycopg.connect(target.conninfo, autocommit=True) as conn:
        # The triggers name their tables as the store's connections see them.
        conn.execute(sql.SQL("SET search_path TO {}, public").format(schema))
        conn.execute(
            sql.SQL(
                "INSERT INTO {}.apps (app_id, name, secret_hash, country_code, created_at)"
                " VALUES (%s, 'app', '\\x00', '91', 0)"
            ).format(schema),
            (APP,),
        )
        for n, (_, first, last) in enumerate(USERS):
            conn.execute(
                sql.SQL(
                    "INSERT INTO {}.contacts (app_id, contact_id, phone, phone_key, first_name,"
                    " last_name, name_key, email, company, job_title, tag, status, remindme,"
                    " info, notes, saved_by, created_at) VALUES (%s, gen_random_uuid(), %s,"
                    " %s, %s, %s, %s, '', 'Co', '', 'vip', '', NULL, '', '[]', 'agent', %s)"
                ).format(schema),
                (
                    APP,
                    f"9190000000{n}",
                    f"9190000000{n}",
                    first,
                    last,
                    name_search_key(first, last),
                    n,
                ),
            )
    _upgrade(pg_database_url)
    with psycopg.connect(target.conninfo, autocommit=True) as conn:
        # The rewrite left no page all-visible; the vacuum after it marked them.
        visible = conn.execute(
            "SELECT relallvisible FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relname = 'contacts'",
            (target.schema,),
        ).fetchone()
        assert visible is not None and visible[0] > 0
        rows = conn.execute(
            sql.SQL("SELECT v3_card, v1_head FROM {}.contacts ORDER BY seq").format(schema)
        ).fetchall()
    cards = [json.loads(card) for card, _ in rows]
    heads = [json.loads(head) for _, head in rows]
    assert [(c["first_name"], c["last_name"], c["company"]) for c in cards] == [
        (first, last, "Co") for _, first, last in USERS
    ]
    assert [(h["name"], h["mobile"], h["tag"]) for h in heads] == [
        (f"{first} {last}", int(f"9190000000{n}"), "vip")
        for n, (_, first, last) in enumerate(USERS)
    ]


# -- what the stores answer after the upgrade ------------------------------------------
async def _attempts_after_upgrade(url: str) -> dict[int, list[int]]:
    store = await open_store(url, wait_seconds=5)
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


async def _filtered(url: str, name: str) -> list[int]:
    store = await open_store(url)
    try:
        _, found = await store.list_principals(APP, offset=0, limit=10, name=name)
        return [p.extension for p in found]
    finally:
        await store.close()

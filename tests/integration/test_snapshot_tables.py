"""Every table of a migrated store is either carried by a snapshot or derived by its load,
and every one is emptied by the load: a migration that adds a table fails here until
`store/snapshot_rows.py` says which it is. Both backends."""

from __future__ import annotations

import asyncio
import sqlite3

import psycopg
from psycopg import sql

from contactd.store import open_store
from contactd.store.postgres_setup import parse_url
from contactd.store.snapshot_rows import POSTGRES_SNAPSHOT, SQLITE_SNAPSHOT, TABLES

DERIVED = {
    "names",  # the name dictionary, and its trigram index on SQLite
    "names_fts",
    "names_shared_fts",  # SQLite's trigram index of the names carried by 2 contacts or more
    "name_fragments",
    "name_changes",  # SQLite's log of a transaction's name changes, empty between them
    "name_pending",  # SQLite's name changes not yet in the fragment counts
    "phone_fragments",  # SQLite's counts of the numbers' digit runs, and their changes
    "phone_pending",
    "contacts_phone",  # SQLite's index of phone digits
    "contact_blocks",
    "due_blocks",  # the reminders counted per block of time, and per agent
    "due_agent_blocks",
    "login_ids",  # PostgreSQL's lock rows of the login throttle
}
BOOKKEEPING = {"schema_migrations", "sqlite_sequence"}
DERIVED_COLUMNS = {
    "apps": {"contact_count", "list_version", "distinct_names"},
    "principals": {"name_key"},
    "contacts": {"name_key", "card", "v3_card", "v1_head"},  # stored generated columns
}


def tables_of(database_url: str) -> dict[str, set[str]]:
    """Each table of the migrated store, with its columns."""
    asyncio.run(_migrate(database_url))
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            found = {(str(name), str(text)) for name, text in rows}
            virtual = {name for name, text in found if text.startswith("CREATE VIRTUAL TABLE")}
            # FTS5 keeps each index in shadow tables named after it (names_fts_data, ...).
            names = {n for n, _ in found if not any(n.startswith(f"{v}_") for v in virtual)}
            return {
                name: {str(c[1]) for c in conn.execute(f"PRAGMA table_xinfo({name})")}
                for name in names
            }
    target = parse_url(database_url)
    with psycopg.connect(target.conninfo) as conn:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(target.schema)))
        rows = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
        )
        columns: dict[str, set[str]] = {}
        for table, column in rows:
            columns.setdefault(str(table), set()).add(str(column))
        return columns


async def _migrate(database_url: str) -> None:
    store = await open_store(database_url)
    await store.close()


def test_every_table_is_carried_or_derived_and_emptied_by_a_load(database_url: str) -> None:
    columns = tables_of(database_url)
    tables = set(columns) - BOOKKEEPING
    carried = {table for table, _, _ in TABLES}
    assert tables - DERIVED == carried
    for table, record, _ in TABLES:
        assert columns[table] - DERIVED_COLUMNS.get(table, set()) <= set(
            record.__struct_fields__
        ), table
        assert set(record.__struct_fields__) <= columns[table], table
    snapshot_sql = SQLITE_SNAPSHOT if database_url.startswith("sqlite") else POSTGRES_SNAPSHOT
    emptied = " ".join(snapshot_sql.empty).replace(",", " ").split()
    assert tables <= set(emptied)

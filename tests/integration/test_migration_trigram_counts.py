"""PostgreSQL's migration 0013 counts the 3-character fragments of the names a store
already holds: a store whose names were counted before it (its 3-character rows
removed, the migration not yet run) has, once opened, the name dictionary its contacts
imply, and a query's count is the number of contacts holding it.

On SQLite, 0015 counts every stored name's fragments again (and 0014 re-keys the
names), so a store taken back to before 0013 is no longer one any release wrote:
tests/integration/test_name_ids_migration.py upgrades stores of 0013 and of before
0011 instead."""

from __future__ import annotations

import asyncio

import psycopg
import pytest
from psycopg import sql

from contactd.domain.models import App
from contactd.domain.names import name_search_key, search_key
from contactd.store import open_store
from contactd.store.postgres_setup import parse_url
from tests import records
from tests.helpers import name_index_differences_at

APP = 3_333_334
# Repeated names, a trigram twice in one name ("anana"), accents and case that fold.
NAMES = [
    ("Anana", "Rao"),
    ("Anana", "Rao"),
    ("Zoë", "Banana"),
    ("ZOË", "Ranade"),
    ("Priyā", "Nandan"),
    ("Al", ""),
]
_BEFORE_0013 = [
    "DELETE FROM name_fragments WHERE length(fragment) = 3",
    "DELETE FROM schema_migrations WHERE version = 13",
]


def _rewind(url: str) -> None:
    """Take the store back to what 0012 left: no 3-character counts, 0013 not run."""
    target = parse_url(url)
    with psycopg.connect(target.conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(target.schema)))
        for statement in _BEFORE_0013:
            conn.execute(statement.encode("utf-8"))


async def _fill(url: str) -> None:
    store = await open_store(url, wait_seconds=5)
    try:
        await store.add_app(App(APP, "app", b"x", "91", 0))
        contacts = [records.new_contact(n, f, last) for n, (f, last) in enumerate(NAMES)]
        await store.add_contacts(APP, contacts)
    finally:
        await store.close()


async def _counts(url: str, queries: list[str]) -> list[int]:
    store = await open_store(url, wait_seconds=5)
    try:
        return [(await store.list_contacts(APP, offset=0, limit=10, name=q))[0] for q in queries]
    finally:
        await store.close()


@pytest.mark.postgres
def test_0013_counts_the_trigrams_of_the_names_stored_before_it(pg_database_url: str) -> None:
    asyncio.run(_fill(pg_database_url))
    _rewind(pg_database_url)
    queries = ["ana", "NAN", "zoë", "oë ", "ran", "al", "xyz", "anana", "ana r", "oë b"]
    counts = asyncio.run(_counts(pg_database_url, queries))
    keys = [name_search_key(first, last) for first, last in NAMES]
    assert counts == [sum(search_key(q) in key for key in keys) for q in queries]
    assert name_index_differences_at(pg_database_url) == []

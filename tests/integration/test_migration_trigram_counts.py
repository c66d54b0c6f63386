"""PostgreSQL's migrations 0013 and 0015 count the 3-, then the 4- and 5-character
fragments of the names a store already holds: a store whose names were counted before
them (its longer rows removed, its pending changes folded, the migrations not yet run)
has, once opened, the name dictionary its contacts imply, and a query's count is the
number of contacts holding it.

On SQLite, 0015 counts every stored name's fragments again (and 0014 re-keys the
names), so a store taken back to before 0013 is no longer one any release wrote:
tests/integration/test_name_ids_migration.py upgrades stores of 0013 and of before
0011 instead."""

from __future__ import annotations

import asyncio

import psycopg
import pytest

from contactd.domain.models import App
from contactd.domain.names import name_search_key, search_key
from contactd.store import open_store
from contactd.store.postgres_fragment_fold import fold_pending_fragments
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
    "DELETE FROM name_fragments WHERE length(fragment) >= 3",
    "DROP TABLE name_pending",
    "DELETE FROM schema_migrations WHERE version IN (13, 15)",
]


async def _rewind(url: str) -> None:
    """Take the store back to what 0012 left: every name change folded, no counts of 3
    characters or more, 0013 and 0015 not run."""
    target = parse_url(url)
    options = f"-c search_path={target.schema}"
    async with await psycopg.AsyncConnection.connect(target.conninfo, options=options) as conn:
        while True:
            async with conn.transaction():
                if not await fold_pending_fragments(conn, 1_000):
                    break
        async with conn.transaction():
            for statement in _BEFORE_0013:
                await conn.execute(statement.encode("utf-8"))


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
    asyncio.run(_rewind(pg_database_url))
    queries = ["ana", "NAN", "zoë", "oë ", "ran", "al", "xyz", "anana", "ana r", "oë b"]
    counts = asyncio.run(_counts(pg_database_url, queries))
    keys = [name_search_key(first, last) for first, last in NAMES]
    assert counts == [sum(search_key(q) in key for key in keys) for q in queries]
    assert name_index_differences_at(pg_database_url) == []

"""The PostgreSQL listing's remembered boundaries and counts, and its block counts.

As tests/unit/test_sqlite_listing_memo.py for SQLite: every write that can change a v1
listing (v3 add, v3 rename, v1 upsert that creates or renames, both deletes) is checked
against a model, a remembered count is checked to be used when nothing changed, and
pages past one block (found from `contact_blocks`, migration 0004) and walked pages
(from a remembered boundary) are checked against the model through deletes.
"""

from __future__ import annotations

import asyncio
import random

import psycopg
import pytest
from psycopg import sql

from contactd.domain.models import App, ContactChanges, NewContact, PhoneUpsert
from contactd.domain.names import name_search_key, search_key
from contactd.store import open_store
from contactd.store import postgres_contacts as pgc
from contactd.store.postgres import PostgresStore
from contactd.store.postgres_setup import parse_url
from tests import records

pytestmark = pytest.mark.postgres

APP, OTHER_APP = 3_333_334, 4_444_445


def new_contact(n: int, first: str, last: str = "Ross") -> NewContact:
    return records.new_contact(n, first, last, prefix="9180", saved_by="101_3333334")


async def _store(url: str) -> PostgresStore:
    store = await open_store(url, wait_seconds=5)
    assert isinstance(store, PostgresStore)
    for app_id in (APP, OTHER_APP):
        await store.add_app(App(app_id, "app", b"x", "91", 0))
    return store


async def _no_count(*args: object) -> int:
    raise AssertionError("counted again")


def test_a_remembered_count_follows_every_write(
    pg_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    names: dict[str, tuple[str, str]] = {}
    ids: dict[int, str] = {}

    def expected(query: str) -> int:
        key = search_key(query)
        return sum(key in name_search_key(f, last) for f, last in names.values())

    async def check(store: PostgresStore) -> None:
        for query in ("mike", "Mi", "ross", "zz"):
            count, rows = await store.list_contacts(APP, offset=0, limit=3, name=query)
            assert count == expected(query), query
            assert len(rows) == min(3, count)
        # Nothing changed: the remembered counts answer (a count would now fail).
        with monkeypatch.context() as patch:
            patch.setattr(pgc, "count_matching", _no_count)
            for query in ("mike", "Mi", "ross", "zz"):
                count, _ = await store.list_contacts(APP, offset=0, limit=3, name=query)
                assert count == expected(query), query

    async def scenario() -> None:
        store = await _store(pg_database_url)
        try:
            await store.add_contacts(OTHER_APP, [new_contact(900 + n, "Mike") for n in range(5)])
            batch = [new_contact(n, "Mike" if n % 2 else "Anna") for n in range(10)]
            await store.add_contacts(APP, batch)
            names.update({c.contact_id: (c.first_name, c.last_name) for c in batch})
            ids.update({n: c.contact_id for n, c in enumerate(batch)})
            await check(store)
            await store.add_contacts(APP, [new_contact(20, "Mikey")])
            names["c20"] = ("Mikey", "Ross")
            await check(store)
            await store.update_contacts(APP, [ContactChanges(ids[0], first_name="Mike")])
            names[ids[0]] = ("Mike", "Ross")
            await check(store)
            await store.update_contacts(APP, [ContactChanges(ids[2], last_name="Zz")])
            names[ids[2]] = ("Anna", "Zz")
            await check(store)
            created = new_contact(30, "MIKE")
            await store.upsert_by_phone(APP, PhoneUpsert(new=created))
            names["c30"] = ("MIKE", "Ross")
            await check(store)
            renamed = new_contact(1, "Anna")
            await store.upsert_by_phone(APP, PhoneUpsert(new=renamed))
            names[ids[1]] = ("Anna", "Ross")
            await check(store)
            assert await store.delete_contacts(APP, [ids[3]]) == 1
            del names[ids[3]]
            await check(store)
            assert await store.delete_by_phone(APP, "918000000005")
            del names[ids[5]]
            await check(store)
        finally:
            await store.close()

    asyncio.run(scenario())


def test_deep_and_walked_pages_match_the_model(pg_database_url: str) -> None:
    rng = random.Random(7)
    live: list[str] = []

    async def scenario() -> None:
        store = await _store(pg_database_url)
        try:
            serial = 0
            for _ in range(4):
                for app_id in (APP, OTHER_APP):
                    batch = [new_contact(serial + n, f"N{serial + n}") for n in range(1500)]
                    serial += len(batch)
                    await store.add_contacts(app_id, batch)
                    if app_id == APP:
                        live.extend(c.contact_id for c in batch)
                gone = rng.sample(live, 200)
                assert await store.delete_contacts(APP, gone) == 200
                gone_set = set(gone)
                live[:] = [cid for cid in live if cid not in gone_set]
                # Cold offsets (from the block counts), then a walk (from boundaries).
                for offset in [4097, len(live) - 5, len(live) // 2, 2 * 4096 + 17, len(live)]:
                    count, rows = await store.list_contacts(APP, offset=offset, limit=10, name="")
                    assert count == len(live)
                    assert [r.contact_id for r in rows] == live[offset : offset + 10], offset
                for offset in range(4500, 4600, 20):
                    _, rows = await store.list_contacts(APP, offset=offset, limit=20, name="")
                    assert [r.contact_id for r in rows] == live[offset : offset + 20], offset
        finally:
            await store.close()
        target = parse_url(pg_database_url)
        with psycopg.connect(target.conninfo) as conn:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(target.schema)))
            kept = conn.execute(
                "SELECT app_id, block, n FROM contact_blocks WHERE n > 0 ORDER BY 1, 2"
            ).fetchall()
            actual = conn.execute(
                "SELECT app_id, seq >> 12, count(*) FROM contacts GROUP BY 1, 2 ORDER BY 1, 2"
            ).fetchall()
            assert kept == actual

    asyncio.run(scenario())

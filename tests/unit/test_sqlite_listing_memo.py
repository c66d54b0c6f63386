"""The SQLite listing's remembered counts and block counts never serve a stale answer.

`CountMemo` keeps the count of a filtered v1 listing per (app, folded query), valid
while the app's (list_version, contact_count) pair is unchanged; `contact_blocks`
(migration 0004) counts each app's contacts per block of seq values, so that a deep
unfiltered page starts within one block. Each write that can change a listing (v3 add,
v3 rename, v1 upsert that creates or renames, both deletes) is checked here against a
model of the app, and the memo is checked to be used when nothing changed.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from contactd.domain.models import ContactChanges, NewContact, PhoneUpsert
from contactd.domain.names import name_search_key, search_key
from contactd.store import sqlite as sqlite_module
from contactd.store.sqlite import SQLiteStore
from contactd.store.sqlite_search import BLOCK_BITS, CountMemo, Listing
from tests import records
from tests.helpers import open_sqlite_with_apps

APP, OTHER_APP = 3_333_334, 4_444_445


def new_contact(n: int, first: str, last: str = "Ross") -> NewContact:
    return records.new_contact(n, first, last, prefix="9180", saved_by="101_3333334")


def upsert(n: int, first: str, last: str = "Ross") -> PhoneUpsert:
    return PhoneUpsert(new=new_contact(n, first, last))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    opened = asyncio.run(open_sqlite_with_apps(str(tmp_path / "memo.db"), (APP, OTHER_APP)))
    yield opened
    asyncio.run(opened.close())


class Counted:
    """Counts the statements that count matches, on every connection of the store."""

    def __init__(self, store: SQLiteStore) -> None:
        self.counts = 0
        for conn in (store._reader, store._searcher):
            conn.set_trace_callback(self._seen)

    def _seen(self, sql: str) -> None:
        if "count(*)" in sql:
            self.counts += 1


@pytest.mark.parametrize("inline", [True, False], ids=["on the loop", "on the search thread"])
def test_a_remembered_count_follows_every_write(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch, inline: bool
) -> None:
    monkeypatch.setattr(sqlite_module, "INLINE_ROWS", 10**9 if inline else -1)
    monkeypatch.setattr(sqlite_module, "INLINE_NAMES", 10**9 if inline else -1)
    names: dict[str, tuple[str, str]] = {}  # contact_id -> (first, last), the model
    by_phone: dict[int, str] = {}

    def expected(query: str) -> int:
        key = search_key(query)
        return sum(key in name_search_key(f, last) for f, last in names.values())

    async def check(counted: Counted, *, recounts: bool) -> None:
        for query in ("mike", "Mi", "ross", "zz"):
            before = counted.counts
            count, rows = await store.list_contacts(APP, offset=0, limit=3, name=query)
            assert count == expected(query), query
            assert len(rows) == min(3, count)
            if not recounts:
                assert counted.counts == before, f"{query}: counted again with nothing changed"

    async def scenario() -> None:
        counted = Counted(store)
        await store.add_contacts(OTHER_APP, [new_contact(900 + n, "Mike") for n in range(5)])
        batch = [new_contact(n, "Mike" if n % 2 else "Anna") for n in range(10)]
        await store.add_contacts(APP, batch)
        names.update({c.contact_id: (c.first_name, c.last_name) for c in batch})
        by_phone.update({n: c.contact_id for n, c in enumerate(batch)})
        await check(counted, recounts=True)
        await check(counted, recounts=False)  # nothing changed: the memo answers
        # Another app's writes leave this app's counts as they are.
        await store.add_contacts(OTHER_APP, [new_contact(950, "Mike")])
        await check(counted, recounts=False)

        writes = [
            ("v3 add", lambda: store.add_contacts(APP, [new_contact(20, "Mikey")])),
            (
                "v3 rename",
                lambda: store.update_contacts(
                    APP, [ContactChanges(by_phone[0], first_name="Mike")]
                ),
            ),
            (
                "v3 last name",
                lambda: store.update_contacts(APP, [ContactChanges(by_phone[2], last_name="Zz")]),
            ),
            ("v1 upsert creates", lambda: store.upsert_by_phone(APP, upsert(30, "MIKE"))),
            ("v1 upsert renames", lambda: store.upsert_by_phone(APP, upsert(1, "Anna"))),
            ("v3 delete", lambda: store.delete_contacts(APP, [by_phone[3]])),
            ("v1 delete", lambda: store.delete_by_phone(APP, "918000000005")),
        ]
        model_changes = {
            "v3 add": lambda: names.__setitem__("c20", ("Mikey", "Ross")),
            "v3 rename": lambda: names.__setitem__(by_phone[0], ("Mike", "Ross")),
            "v3 last name": lambda: names.__setitem__(by_phone[2], ("Anna", "Zz")),
            "v1 upsert creates": lambda: names.__setitem__("c30", ("MIKE", "Ross")),
            "v1 upsert renames": lambda: names.__setitem__(by_phone[1], ("Anna", "Ross")),
            "v3 delete": lambda: names.pop(by_phone[3]),
            "v1 delete": lambda: names.pop(by_phone[5]),
        }
        for what, write in writes:
            await write()
            model_changes[what]()
            await check(counted, recounts=True)
            await check(counted, recounts=False)

    asyncio.run(scenario())


def test_a_rename_then_an_insert_cannot_bring_a_pair_back(store: SQLiteStore) -> None:
    """A delete and an insert leave contact_count as it was, but not list_version."""

    async def scenario() -> None:
        batch = [new_contact(n, "Mike") for n in range(4)]
        await store.add_contacts(APP, batch)
        assert (await store.list_contacts(APP, offset=0, limit=2, name="mike"))[0] == 4
        await store.delete_contacts(APP, [batch[0].contact_id])
        await store.add_contacts(APP, [new_contact(10, "Anna")])
        assert await store.contact_count(APP) == 4
        assert (await store.list_contacts(APP, offset=0, limit=2, name="mike"))[0] == 3

    asyncio.run(scenario())


def test_the_count_memo_is_bounded() -> None:
    memo = CountMemo(capacity=2)
    for n in range(5):
        memo.record(APP, f"q{n}", Listing(n, [], 0, 10))
    assert memo.find(APP, "q0") is None
    assert memo.find(APP, "q4") == (0, 10, 4)
    assert memo.find(APP, "q3") is not None
    memo.record(APP, "", Listing(10, [], 0, 10))  # the unfiltered count is kept already
    assert memo.find(APP, "") is None


def test_deep_pages_from_block_counts_match_the_model(store: SQLiteStore) -> None:
    """Pages past one block start from the block counts; they stay exact through deletes
    and inserts of this app and of another app interleaved with it."""
    rng = random.Random(7)
    block = 1 << BLOCK_BITS
    live: list[str] = []  # this app's contact ids in seq order

    async def scenario() -> None:
        serial = 0
        for round_ in range(6):
            for app_id in (APP, OTHER_APP):
                batch = [new_contact(serial + n, f"N{serial + n}") for n in range(700)]
                serial += len(batch)
                await store.add_contacts(app_id, batch)
                if app_id == APP:
                    live.extend(c.contact_id for c in batch)
            gone = rng.sample(live, 150)
            assert await store.delete_contacts(APP, gone) == 150
            gone_set = set(gone)
            live[:] = [cid for cid in live if cid not in gone_set]
            if round_ < 3:
                continue
            for offset in [block + 1, len(live) - 5, len(live) // 2, 2 * block + 17, len(live)]:
                count, rows = await store.list_contacts(APP, offset=offset, limit=10, name="")
                assert count == len(live)
                assert [r.contact_id for r in rows] == live[offset : offset + 10], offset

        blocks = store._reader.execute(
            "SELECT app_id, block, n FROM contact_blocks WHERE n > 0 ORDER BY 1, 2"
        ).fetchall()
        actual = store._reader.execute(
            f"SELECT app_id, seq >> {BLOCK_BITS}, count(*) FROM contacts"
            " GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        assert blocks == actual

    asyncio.run(scenario())

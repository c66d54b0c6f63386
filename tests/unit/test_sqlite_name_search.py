"""The SQLite backend's name search and page-number listing, against a reference model.

SQLite-only by nature: it checks that the FTS5 trigram index (3+ characters), the
covering-index scan (1-2 characters), the remembered page boundaries and the search
thread all give exactly "the folded query is a substring of the folded name", in seq
order, through adds, renames and deletes; and that migration 0002 indexes the rows of a
database made before it.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from contactd.domain.models import ContactChanges, NewContact, PhoneUpsert
from contactd.domain.names import name_search_key, search_key
from contactd.store import name_index, sqlite_names
from contactd.store import sqlite as sqlite_module
from contactd.store.migrations.runner import migrations_for
from contactd.store.sqlite import SQLiteStore
from tests import records
from tests.helpers import open_sqlite_with_apps, sqlite_name_index_differences

APP, OTHER_APP = 1_111_112, 2_222_223
# Letters whose folding is not ASCII's, wildcards of LIKE/GLOB/FTS5, a quote, a space.
ALPHABET = [
    "a",
    "b",
    "A",
    "B",
    "ë",
    "Ë",
    "ā",
    "Ā",
    "ß",
    "\u03c3",
    "\u03a3",
    "%",
    "_",
    '"',
    "*",
    " ",
]


def new_contact(n: int, first: str, last: str) -> NewContact:
    return records.new_contact(n, first, last, prefix="9190", saved_by="101_1111112")


def random_name(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 7)))


class Model:
    """What the store must answer: the live contacts of one app in creation order."""

    def __init__(self) -> None:
        self.contacts: dict[str, tuple[str, str]] = {}  # contact_id -> (first, last)

    def listing(self, name: str, offset: int, limit: int) -> tuple[int, list[str]]:
        key = search_key(name)
        matching = [
            cid for cid, (f, last) in self.contacts.items() if key in name_search_key(f, last)
        ]
        return len(matching), matching[offset : offset + limit]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    opened = asyncio.run(open_sqlite_with_apps(str(tmp_path / "search.db"), (APP, OTHER_APP)))
    yield opened
    asyncio.run(opened.close())


async def check_pages(store: SQLiteStore, model: Model, query: str, limit: int) -> None:
    """Every page of `query`, `limit` contacts a page, against the model."""
    expected_count, _ = model.listing(query, 0, 0)
    for offset in range(0, expected_count + limit, limit):
        count, rows = await store.list_contacts(APP, offset=offset, limit=limit, name=query)
        assert (count, [r.contact_id for r in rows]) == model.listing(query, offset, limit), (
            query,
            offset,
            limit,
        )


async def check_walks(
    store: SQLiteStore, model: Model, queries: list[str], rng: random.Random
) -> None:
    for query in queries:
        await check_pages(store, model, query, rng.choice([1, 2, 3, 5, 50]))


@pytest.mark.parametrize("shared", [True, False], ids=["two apps", "one app"])
@pytest.mark.parametrize("inline", [True, False], ids=["on the loop", "on the search thread"])
@pytest.mark.parametrize("plan", ["walk", "lookup", "walk cut short"])
@pytest.mark.parametrize("split", [True, False], ids=["split count", "one-pass count"])
def test_listings_match_the_model_through_adds_renames_and_deletes(
    store: SQLiteStore,
    monkeypatch: pytest.MonkeyPatch,
    inline: bool,
    shared: bool,
    plan: str,
    split: bool,
) -> None:
    # A longer query counted from both trigram indexes, or from the names' rows alone.
    monkeypatch.setattr(sqlite_names, "SPLIT_COUNT_CONTACTS_PER_NAME", 1e18 if split else 0)
    monkeypatch.setattr(sqlite_module, "INLINE_ROWS", 10**9 if inline else -1)
    monkeypatch.setattr(sqlite_module, "INLINE_NAMES", 10**9 if inline else -1)
    # Each page by one plan: the walk of the app in creation order, or the lookup by name.
    monkeypatch.setattr(name_index, "LOOKUP_ENTRY_COST", 0.0 if plan == "lookup" else 1e18)
    monkeypatch.setattr(name_index, "LOOKUP_NAME_COST", 0.0)
    if plan == "walk cut short":  # a walk of a few entries: most pages end in the lookup
        monkeypatch.setattr(name_index, "WALK_BUDGET_FACTOR", 0)
        monkeypatch.setattr(name_index, "WALK_BUDGET_MIN", 3)
    rng = random.Random(20240601)
    model = Model()

    async def scenario() -> None:
        serial = 0
        if shared:  # they share the tables, but must never be listed
            others = [new_contact(n, random_name(rng), random_name(rng)) for n in range(40)]
            await store.add_contacts(OTHER_APP, [new_contact(99, "ab", "ab"), *others])
        for _ in range(6):
            batch = []
            for _ in range(15):
                serial += 1
                batch.append(new_contact(serial, random_name(rng), random_name(rng)))
            await store.add_contacts(APP, batch)
            model.contacts.update({c.contact_id: (c.first_name, c.last_name) for c in batch})
            ids = list(model.contacts)
            for cid in rng.sample(ids, 3):
                first, last = random_name(rng), random_name(rng)
                await store.update_contacts(APP, [ContactChanges(cid, first_name=first)])
                model.contacts[cid] = (first, model.contacts[cid][1])
                await store.update_contacts(APP, [ContactChanges(cid, last_name=last)])
                model.contacts[cid] = (first, last)
            gone = rng.sample(ids, 2)
            assert await store.delete_contacts(APP, gone) == 2
            for cid in gone:
                del model.contacts[cid]
            names = [f"{f} {last}" for f, last in model.contacts.values()]
            queries = ["", *ALPHABET, "ab", "AB", "ss", "ß", "ab a", '""', "%_", "zz", "abab"]
            queries += [n[i : i + rng.randint(1, 4)] for n in names[:10] for i in (0, 2)]
            await check_walks(store, model, queries, rng)

    asyncio.run(scenario())
    assert sqlite_name_index_differences(store.path) == []


def test_first_names_pages_hold_every_contact_of_the_shared_names(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first-names page (store/name_index.py) finds the contacts of a shared name
    after its first one: names carried by one, two and three contacts, interleaved, and
    a shared name whose first contact is deleted (its id moves to its next contact)."""
    monkeypatch.setattr(sqlite_names, "first_names_cost", lambda *, wanted: 0.0)
    carriers = ["Ann Solo", "Anna Pair", "Anita Three", "Annie Solo"]
    # The solo names come twice each, numbered apart: names of one contact each.
    order = [0, 1, 2, 3, 1, 2, 2, 0, 3]
    model = Model()

    async def check() -> None:
        for query in ("an", "ann", "anna", "an p", "ita", "solo", "nn"):
            for limit in (1, 2, 3, 4, 9):
                await check_pages(store, model, query, limit)

    async def scenario() -> None:
        batch = []
        for serial, which in enumerate(order):
            first, last = carriers[which].split()
            last = f"{last}{serial}" if which in (0, 3) else last
            batch.append(new_contact(serial, first, last))
        await store.add_contacts(APP, batch)
        model.contacts.update({c.contact_id: (c.first_name, c.last_name) for c in batch})
        await check()
        first_of_pair = batch[1].contact_id
        assert await store.delete_contacts(APP, [first_of_pair]) == 1
        del model.contacts[first_of_pair]
        await check()

    asyncio.run(scenario())
    assert sqlite_name_index_differences(store.path) == []


def test_page_boundaries_are_forgotten_when_a_delete_moves_them(store: SQLiteStore) -> None:
    async def scenario() -> None:
        batch = [new_contact(n, f"Name{n}", "") for n in range(10)]
        await store.add_contacts(APP, batch)
        _, first = await store.list_contacts(APP, offset=0, limit=4, name="name")
        assert [c.first_name for c in first] == ["Name0", "Name1", "Name2", "Name3"]
        await store.delete_contacts(APP, [batch[0].contact_id])
        # The boundary after "Name3" would now skip "Name4": the next page must not use it.
        _, second = await store.list_contacts(APP, offset=4, limit=4, name="name")
        assert [c.first_name for c in second] == ["Name5", "Name6", "Name7", "Name8"]
        _, again = await store.list_contacts(APP, offset=4, limit=4, name="")
        assert [c.first_name for c in again] == ["Name5", "Name6", "Name7", "Name8"]

    asyncio.run(scenario())


def test_concurrent_upserts_of_one_phone_make_one_contact_with_every_note(
    store: SQLiteStore,
) -> None:
    def upsert(n: int) -> PhoneUpsert:
        note = f'{{"msg": "note {n}", "date": {n}, "agent": "101_1111112"}}'
        new = new_contact(1, "Mike", f"V{n}")
        new = msgspec.structs.replace(new, info=f"note {n}", notes_json=f"[{note}]")
        return PhoneUpsert(new=new, replaces=frozenset({"info"}))

    async def scenario() -> None:
        await asyncio.gather(*(store.upsert_by_phone(APP, upsert(n)) for n in range(20)))
        assert await store.contact_count(APP) == 1
        count, [found] = await store.list_contacts(APP, offset=0, limit=10, name="mike")
        assert count == 1
        notes = msgspec.json.decode(found.notes_json)
        assert sorted(note["msg"] for note in notes) == sorted(f"note {n}" for n in range(20))

    asyncio.run(scenario())


def test_migration_0002_indexes_contacts_stored_before_it(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    conn = sqlite3.connect(path, isolation_level=None)
    [(_, _, initial)] = [m for m in migrations_for("sqlite") if m[0] == 1]
    conn.executescript(initial)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INT)"
    )
    conn.execute("INSERT INTO schema_migrations VALUES (1, '0001_initial.sql', 0)")
    conn.execute("INSERT INTO apps VALUES (?, 'old', x'00', '91', 2, 0)", (APP,))
    for n, (first, last) in enumerate([("Zoë", "Saldana"), ("Priyā", "Sharma")]):
        conn.execute(
            "INSERT INTO contacts (app_id, contact_id, phone, phone_key, first_name, last_name,"
            " email, company, job_title, tag, status, remindme, info, notes, saved_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, '', '', '', '', '', NULL, '', '[]', '', 0)",
            (APP, str(uuid.uuid4()), f"91900000000{n}", f"91900000000{n}", first, last),
        )
    conn.close()

    async def scenario() -> None:
        store = await SQLiteStore.open(path)
        try:
            for query, expected in [("ZOË", "Zoë"), ("oë", "Zoë"), ("PRIYĀ S", "Priyā")]:
                count, rows = await store.list_contacts(APP, offset=0, limit=10, name=query)
                assert (count, [r.first_name for r in rows]) == (1, [expected])
        finally:
            await store.close()

    asyncio.run(scenario())
    assert sqlite_name_index_differences(path) == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("ZOË", "zoë"),
        ("Zoe\u0308", "zoë"),  # decomposed: the same key as the composed form
        ("PRIYĀ", "priyā"),
        ("Straße", "strasse"),
        ("50% OFF_", "50% off_"),
        ("a\x00b", "ab"),
    ],
)
def test_search_key_folds_case_and_form(text: str, key: str) -> None:
    assert search_key(text) == key

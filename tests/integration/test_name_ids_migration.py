"""SQLite migration 0014 keys each name by its first contact: a store of either earlier
shape, once upgraded, holds the name dictionary its contacts imply, and answers a name
search as a filter over its contacts would.

- A store at 0013 kept its names under ids handed out in write order; the names here
  are given those ids in another order than their first contacts', so that a name
  left under its old id would show.
- A store from before 0011 has no names yet: 0011 logs its contacts, and the fold
  after the upgrade writes the names, under the ids of 0014.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from contactd.domain.names import name_search_key, search_key
from contactd.store import open_store
from contactd.store.name_index import fragments
from tests.helpers import sqlite_name_index_differences
from tests.integration.test_migrations import _sqlite_at

APP = 7_777_777
# (first, last): repeating names, one carried by one contact, one whose first contact
# is deleted before the upgrade.
PEOPLE = [
    ("Mike", "Ross"),
    ("Anna", "Zoë"),
    ("Mike", "Ross"),
    ("Ravi", "Plumber"),
    ("Anna", "Zoë"),
    ("Mike", "Rossi"),
    ("Zoë", ""),
]
DELETED_FIRST = 2
"""The seq of the first "Anna Zoë": the name's first contact is then the second."""


def _with_contacts(path: Path, before: int) -> None:
    conn = _sqlite_at(path, before)
    conn.execute(
        "INSERT INTO apps (app_id, name, secret_hash, country_code, created_at)"
        " VALUES (?, 'app', x'00', '91', 0)",
        (APP,),
    )
    conn.executemany(
        "INSERT INTO contacts (app_id, contact_id, phone, phone_key, first_name, last_name,"
        " email, company, job_title, tag, status, remindme, info, notes, saved_by,"
        " created_at, name_key) VALUES (?, ?, ?, ?, ?, ?, '', '', '', '', '', NULL, '',"
        " '[]', '', 0, ?)",
        [
            (APP, f"id-{i}", f"9190000000{i}", f"9190000000{i}", f, la, name_search_key(f, la))
            for i, (f, la) in enumerate(PEOPLE)
        ],
    )
    conn.execute("DELETE FROM contacts WHERE seq = ?", (DELETED_FIRST,))
    conn.execute("UPDATE apps SET contact_count = (SELECT count(*) FROM contacts)")
    if before > 13:
        _names_as_0013_kept_them(conn)
    conn.close()


def _names_as_0013_kept_them(conn: sqlite3.Connection) -> None:
    """The dictionary as the fold of 0011-0013 left it: ids `(app_id << 32) + k`."""
    names = conn.execute(
        "SELECT name_key, count(*) FROM contacts GROUP BY name_key ORDER BY max(seq) DESC"
    ).fetchall()
    rows = [((APP << 32) + k, key, n) for k, (key, n) in enumerate(names, 1)]
    conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", [(i, APP, k, n) for i, k, n in rows])
    conn.execute("INSERT INTO names_fts (names_fts) VALUES ('rebuild')")
    conn.executemany(
        "INSERT INTO names_shared_fts (rowid, name_key) VALUES (?, ?)",
        [(i, key) for i, key, n in rows if n >= 2],
    )
    counts: Counter[str] = Counter()
    for key, n in names:
        for fragment in fragments(key, 3):
            counts[fragment] += n
    conn.executemany(
        "INSERT INTO name_fragments VALUES (?, ?, ?)", [(APP, f, n) for f, n in counts.items()]
    )
    conn.execute("DELETE FROM name_changes")


async def _search(url: str, term: str) -> tuple[int, list[str]]:
    store = await open_store(url, wait_seconds=5)
    try:
        count, contacts = await store.list_contacts(APP, offset=0, limit=10, name=term)
        return count, [f"{c.first_name} {c.last_name}" for c in contacts]
    finally:
        await store.close()


@pytest.mark.parametrize("before", [14, 11])
def test_names_are_keyed_by_their_first_contact_after_the_upgrade(
    tmp_path: Path, before: int
) -> None:
    path = tmp_path / "old.db"
    _with_contacts(path, before)
    url = f"sqlite:///{path}"
    kept = [p for seq, p in enumerate(PEOPLE, 1) if seq != DELETED_FIRST]
    for term in ("ross", "zoë", "an", "mike r"):
        count, found = asyncio.run(_search(url, term))
        expected = [f"{f} {la}" for f, la in kept if search_key(term) in name_search_key(f, la)]
        assert (count, found) == (len(expected), expected), term
    assert sqlite_name_index_differences(str(path)) == []

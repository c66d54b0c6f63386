"""A PostgreSQL store survives the dump and restore docs/operations.md gives.

`pg_restore` loads each table with an empty search path, and PostgreSQL computes a stored
generated column (the card and the v1 entry's head, migration 0018) as it loads the row:
the functions that render them must find their types all the same.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import msgspec
import psycopg
import pytest
from psycopg import sql

from contactd.api.v3 import ContactCard
from contactd.domain.models import App, PhoneUpsert
from contactd.store import open_store
from contactd.store.postgres_setup import parse_url
from tests import records

pytestmark = pytest.mark.postgres

APP = 7_777_002
PAGE = 10


async def _pages(url: str, *, add: int = 0) -> tuple[str, str]:
    """The app's first v3 page and first v1 page; `add` contacts are added first (an app
    and two contacts, one renamed by a v1 upsert, when the store is new)."""
    store = await open_store(url, wait_seconds=5)
    try:
        if await store.add_app(App(APP, "Restore", b"hash", "91", 1)):
            await store.add_contacts(
                APP, [records.new_contact(0, "Zoë", 'O"Brien'), records.new_contact(1, "Ravi", "")]
            )
            await store.upsert_by_phone(APP, PhoneUpsert(new=records.new_contact(1, "Ånna", "")))
        if add:
            await store.add_contacts(
                APP, [records.new_contact(n, "Kiran", "") for n in range(2, 2 + add)]
            )
        v3 = await store.page_contacts(APP, after_seq=0, limit=PAGE)
        v1 = await store.page_entries(APP, offset=0, limit=PAGE)
        return v3.cards, v1.entries
    finally:
        await store.close()


def test_a_dumped_and_restored_store_keeps_its_rendered_contacts(
    pg_database_url: str, tmp_path: Path
) -> None:
    target = parse_url(pg_database_url)
    before = asyncio.run(_pages(pg_database_url))
    dump = tmp_path / "contactd.dump"
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            f"--schema={target.schema}",
            f"--file={dump}",
            f"--dbname={target.conninfo}",
        ],
        check=True,
    )
    with psycopg.connect(target.conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(target.schema)))
    restore = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target.conninfo}", str(dump)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert restore.returncode == 0, restore.stderr
    assert asyncio.run(_pages(pg_database_url)) == before
    cards = msgspec.json.decode(before[0], type=list[ContactCard])
    assert [c.first_name for c in cards] == ["Zoë", "Ånna"]

    # The restored store renders new rows too.
    cards_after, entries_after = asyncio.run(_pages(pg_database_url, add=1))
    assert [c.first_name for c in msgspec.json.decode(cards_after, type=list[ContactCard])] == [
        "Zoë",
        "Ånna",
        "Kiran",
    ]
    assert [e["name"] for e in msgspec.json.decode(entries_after)] == [
        'Zoë O"Brien',
        "Ånna",
        "Kiran",
    ]

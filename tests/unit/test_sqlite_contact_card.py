"""Migration 0005 rebuilds the SQLite contacts table with a stored v3 card per row.

A file written before it must come out whole: every contact with its card, the seq
high-water mark (a deleted contact's seq is never reused), the name index and the
block counts in step, and the triggers that keep them so still firing.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path

import msgspec

from contactd.domain.names import name_search_key
from contactd.store.migrations.runner import migrations_for
from contactd.store.sqlite import SQLiteStore
from contactd.store.sqlite_conn import SEARCH_KEY_FUNCTION
from tests import records
from tests.helpers import migration_history, sqlite_name_index_differences

APP = 5_555_556
PEOPLE = [("Zoë", "Saldana", 'Acme "West"'), ("Priyā", "Sharma", "नमस्ते\\Co"), ("Mike", "Ross", "")]


def _file_before_0005(path: str) -> list[dict[str, str]]:
    """A database at migration 0004 holding PEOPLE, the last of them deleted again."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function(SEARCH_KEY_FUNCTION, 2, name_search_key, deterministic=True)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INT)"
    )
    for version, name, sql in migration_history("sqlite", 5):
        conn.executescript(sql)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 0)", (version, name))
    conn.execute(
        "INSERT INTO apps (app_id, name, secret_hash, country_code, contact_count,"
        " created_at) VALUES (?, 'old', x'00', '91', 2, 0)",
        (APP,),
    )
    kept = []
    for n, (first, last, company) in enumerate(PEOPLE):
        contact_id, phone = str(uuid.uuid4()), f"91900000000{n}"
        conn.execute(
            "INSERT INTO contacts (app_id, contact_id, phone, phone_key, first_name, last_name,"
            " email, company, job_title, tag, status, remindme, info, notes, saved_by,"
            " created_at, name_key) VALUES (?, ?, ?, ?, ?, ?, '', ?, 'Lead', '', '', NULL,"
            " '', '[]', '', 0, ?)",
            (APP, contact_id, phone, phone, first, last, company, name_search_key(first, last)),
        )
        kept.append(
            {
                "contact_id": contact_id,
                "phone_no": phone,
                "first_name": first,
                "last_name": last,
                "email_id": "",
                "company": company,
                "job_title": "Lead",
            }
        )
    conn.execute("DELETE FROM contacts WHERE contact_id = ?", (kept.pop()["contact_id"],))
    conn.close()
    return kept


def test_migration_0005_keeps_every_contact_and_renders_its_card(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    kept = _file_before_0005(path)

    async def scenario() -> None:
        store = await SQLiteStore.open(path)
        try:
            page = await store.page_contacts(APP, after_seq=0, limit=10)
            assert (page.count, page.last_seq, page.more) == (2, 2, False)
            assert msgspec.json.decode(page.cards) == kept
            count, rows = await store.list_contacts(APP, offset=0, limit=10, name="priy")
            assert (count, [r.first_name for r in rows]) == (1, ["Priyā"])
            # seq 3 was handed out before the migration: the next contact takes 4.
            await store.add_contacts(APP, [records.new_contact(7, "Nadia", "Khan")])
            page = await store.page_contacts(APP, after_seq=2, limit=10)
            assert (page.count, page.last_seq, page.more) == (3, 4, False)
            assert [c["first_name"] for c in msgspec.json.decode(page.cards)] == ["Nadia"]
            count, rows = await store.list_contacts(APP, offset=0, limit=10, name="nadia")
            assert (count, [r.first_name for r in rows]) == (1, ["Nadia"])
        finally:
            await store.close()

    asyncio.run(scenario())
    assert sqlite_name_index_differences(path) == []
    check = sqlite3.connect(path)
    applied = [row[0] for row in check.execute("SELECT version FROM schema_migrations")]
    assert 5 in applied
    assert max(applied) == migrations_for("sqlite")[-1][0]  # and every later one
    assert check.execute(
        "SELECT block, n FROM contact_blocks WHERE app_id = ?", (APP,)
    ).fetchall() == [(0, 3)]
    assert check.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'contacts_rebuilt'"
    ).fetchone() == (0,)
    check.close()

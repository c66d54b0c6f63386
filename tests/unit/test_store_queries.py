"""The store core's plumbing: one operation driven on a connection that cannot wait, one
text of each shared statement for both dialects, and one block size for the schema."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import sqlite3

import pytest

from contactd.store import postgres_contacts as pgc
from contactd.store.migrations.runner import migrations_for
from contactd.store.queries import POSTGRES, SQLITE, Queries, like_contains
from contactd.store.schema import BLOCK_BITS
from contactd.store.sqlite_conn import SQLiteTx
from contactd.store.tx import Tx, run_to_completion

# The statements whose text differs between the dialects, and why (store/queries.py).
DIALECT_OWN = {
    "principal_name",  # PostgreSQL locks the row it rewrites
    "lock_login_id",  # PostgreSQL serializes the reservations of an id across processes
    "sweep_login_attempts",  # ... and sweeps the lock rows with the attempts
    "create_schema_migrations",  # column types
    "record_migration",  # the clock
    "reset_app",  # statements of each dialect's own tables (test_reset_app_... below)
}


def _as_pyformat(text: str) -> str:
    return text.replace("%", "%%").replace("?", "%s")


def test_every_other_statement_is_one_text_with_the_dialects_placeholders() -> None:
    for field in dataclasses.fields(Queries):
        sqlite_text, postgres_text = getattr(SQLITE, field.name), getattr(POSTGRES, field.name)
        if field.name in DIALECT_OWN:
            assert sqlite_text != postgres_text, field.name
        else:
            assert postgres_text == _as_pyformat(sqlite_text), field.name


def test_the_principal_statements_name_the_same_columns_on_both() -> None:
    principal_fields = [f.name for f in dataclasses.fields(Queries) if "principal" in f.name]
    assert set(principal_fields) - DIALECT_OWN >= {
        "add_principal",
        "get_principal",
        "count_principals",
        "list_principals",
        "update_principal",
        "remove_principal",
        "principal_for_token",
    }
    assert "name_key" in SQLITE.add_principal
    assert "name_key" in SQLITE.update_principal


def test_the_dialects_bind_the_same_parameters() -> None:
    for field in dataclasses.fields(Queries):
        sqlite_text, postgres_text = getattr(SQLITE, field.name), getattr(POSTGRES, field.name)
        if sqlite_text is None or postgres_text is None or field.name == "reset_app":
            continue
        sqlite_text = sqlite_text.replace("'%s'", "")  # strftime's format, not a parameter
        assert sqlite_text.count("?") == postgres_text.count("%s"), field.name
        sqlite_names = set(re.findall(r":([a-z]+)", sqlite_text))
        assert sqlite_names == set(re.findall(r"%\(([a-z]+)\)s", postgres_text)), field.name


def test_reset_app_empties_every_table_of_an_app_on_both_and_binds_only_its_id() -> None:
    tables_with_apps = {
        name
        for backend in ("sqlite", "postgresql")
        for _, _, text in migrations_for(backend)
        for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\)", text, re.S)
        # (tables a migration builds, then renames to a table of the list)
        if "app_id" in body and name not in ("apps", "contacts_rebuilt", "names_by_first")
    }
    for queries, placeholder in ((SQLITE, "?"), (POSTGRES, "%s")):
        emptied = {
            match
            for statement in queries.reset_app
            for match in re.findall(r"^DELETE FROM (\w+) WHERE app_id = ", statement)
        }
        sqlite_own = {"name_changes", "name_pending", "phone_pending", "phone_fragments"}
        own = {"login_ids", "name_pending"} if queries is POSTGRES else sqlite_own
        shared = tables_with_apps - {"login_ids", "login_failures"} - sqlite_own
        assert emptied == shared | own
        assert all(statement.count(placeholder) == 1 for statement in queries.reset_app)


@pytest.mark.parametrize(
    ("key", "pattern"),
    [
        ("mike", "%mike%"),
        ("50%", "%50\\%%"),
        ("a_b", "%a\\_b%"),
        ("c:\\x", "%c:\\\\x%"),
        ("", "%%"),
    ],
)
def test_like_contains_takes_every_character_literally(key: str, pattern: str) -> None:
    assert like_contains(key) == pattern


def test_like_contains_matches_a_substring_and_nothing_else() -> None:
    conn = sqlite3.connect(":memory:")
    names = ["mike ross", "50% off", "a_b", "axb", "c:\\x", "c:x"]
    for key in ("ike", "%", "_", "\\", "ross", "zz"):
        query = "SELECT ? LIKE ? ESCAPE '\\'"
        found = [
            name for name in names if conn.execute(query, (name, like_contains(key))).fetchone()[0]
        ]
        assert found == [name for name in names if key in name], key


async def _two_reads(tx: Tx) -> tuple[int, int]:
    one = await tx.one("SELECT 1")
    rows = await tx.all("SELECT 2 UNION ALL SELECT 3")
    assert one is not None
    return int(one[0]), len(rows)


def test_an_operation_on_sqlite_completes_in_one_step() -> None:
    tx = SQLiteTx(sqlite3.connect(":memory:"))
    assert run_to_completion(_two_reads(tx)) == (1, 2)


def test_an_operation_that_suspends_is_refused_and_closed() -> None:
    closed = []

    async def suspends() -> int:
        try:
            await asyncio.sleep(0)
        finally:
            closed.append(True)
        return 1

    with pytest.raises(RuntimeError, match="suspended"):
        run_to_completion(suspends())
    assert closed == [True]


def test_a_statement_error_raises_from_the_operation() -> None:
    tx = SQLiteTx(sqlite3.connect(":memory:"))

    async def broken(tx: Tx) -> int:
        return await tx.run("INSERT INTO missing VALUES (1)")

    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        run_to_completion(broken(tx))


def test_every_block_shift_in_the_schema_and_the_listing_is_block_bits() -> None:
    texts = [text for backend in ("sqlite", "postgresql") for _, _, text in migrations_for(backend)]
    texts.append(pgc._PAGE_BLOCK)
    pattern = re.compile(r"(?:seq\s*>>|block\s*<<)\s*(\d+)")
    shifts = [int(n) for text in texts for n in pattern.findall(text)]
    assert len(shifts) >= 8  # 0004 on both, 0005 on SQLite, the deep page on PostgreSQL
    assert set(shifts) == {BLOCK_BITS}

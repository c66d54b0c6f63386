"""What only the PostgreSQL backend has: its URL, migrations under a lock, the durability
check and the v1 writes under concurrency (the database going away:
test_postgres_outages.py). The behaviour both backends share is in tests/contract."""

from __future__ import annotations

import asyncio
import logging
import uuid

import msgspec
import psycopg
import pytest

from contactd.domain.models import App, ContactChanges, NewContact, NewPrincipal, PhoneUpsert
from contactd.domain.phones import Phone
from contactd.domain.store import ExtensionTaken, PhonesTaken, UnknownContact
from contactd.store import open_store
from contactd.store.migrations.runner import migrations_for
from contactd.store.postgres import PostgresStore
from contactd.store.postgres_setup import durability_warnings, parse_url
from tests.records import new_contact

pytestmark = pytest.mark.postgres

APP_ID = 1234567


async def _store(url: str) -> PostgresStore:
    store = await open_store(url, wait_seconds=5)
    assert isinstance(store, PostgresStore)
    return store


async def _with_app(url: str) -> PostgresStore:
    store = await _store(url)
    assert await store.add_app(App(APP_ID, "Test", b"hash", "91", 1))
    return store


# -- the URL ----------------------------------------------------------------------------
def test_url_parameters_of_contactd_are_stripped_and_the_rest_pass_to_libpq() -> None:
    target = parse_url(
        "postgresql://u:s3cret@db:5433/app?schema=tenant_a&sslmode=require&pool_max_size=20"
    )
    assert target.schema == "tenant_a"
    assert target.pool_max_size == 20
    assert target.conninfo == "postgresql://u:s3cret@db:5433/app?sslmode=require"
    assert target.redacted == "postgresql://u:***@db:5433/app"
    assert "s3cret" not in repr(target.redacted)


@pytest.mark.parametrize("bad", ["schema=a-b", "schema=a;drop", "pool_max_size=0"])
def test_bad_url_parameters_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=bad.split("=", maxsplit=1)[0]):
        parse_url(f"postgresql://u@h/db?{bad}")


# -- migrations -------------------------------------------------------------------------
async def _applied(url: str) -> list[int]:
    target = parse_url(url)
    async with await psycopg.AsyncConnection.connect(target.conninfo) as conn:
        cursor = await conn.execute(
            f'SELECT version FROM "{target.schema}".schema_migrations ORDER BY version'
        )
        return [row[0] for row in await cursor.fetchall()]


@pytest.mark.anyio
async def test_migrations_apply_once_when_stores_open_concurrently(pg_database_url: str) -> None:
    stores = await asyncio.gather(*(_store(pg_database_url) for _ in range(4)))
    secrets = await asyncio.gather(
        *(s.server_secret(bytes([i]) * 32) for i, s in enumerate(stores))
    )
    for store in stores:
        await store.close()
    assert len(set(secrets)) == 1, "every process must share the first kept secret"
    expected = [version for version, _, _ in migrations_for("postgresql")]
    assert await _applied(pg_database_url) == expected


@pytest.mark.anyio
async def test_reopening_a_migrated_schema_changes_nothing(pg_database_url: str) -> None:
    store = await _with_app(pg_database_url)
    await store.add_contacts(APP_ID, [new_contact(1)])
    await store.close()
    store = await _store(pg_database_url)
    try:
        assert await store.contact_count(APP_ID) == 1
        assert await _applied(pg_database_url) == [v for v, _, _ in migrations_for("postgresql")]
    finally:
        await store.close()


# -- durability -------------------------------------------------------------------------
def test_durability_warnings_name_each_setting_that_is_off() -> None:
    assert durability_warnings({"fsync": "on", "synchronous_commit": "on"}) == []
    assert durability_warnings({"synchronous_commit": "local"}) == []
    warnings = durability_warnings({"fsync": "off", "synchronous_commit": "off"})
    assert [w.split(":")[0] for w in warnings] == [
        "PostgreSQL has fsync=off",
        "PostgreSQL has synchronous_commit=off",
    ]


@pytest.mark.anyio
async def test_synchronous_commit_off_is_logged_loudly(
    pg_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="contactd.store")
    store = await _store(f"{pg_database_url}&options=-csynchronous_commit%3Doff")
    await store.close()
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("DURABILITY RISK" in m and "synchronous_commit=off" in m for m in messages)


@pytest.mark.anyio
async def test_a_durable_server_logs_no_durability_warning(
    pg_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="contactd.store")
    store = await _store(pg_database_url)
    await store.close()
    assert not [r for r in caplog.records if "DURABILITY" in r.getMessage()]


# -- the v1 writes and the name search ------------------------------------------------------
@pytest.mark.anyio
async def test_racing_upserts_of_one_phone_create_one_contact(pg_database_url: str) -> None:
    stores = [await _with_app(pg_database_url), await _store(pg_database_url)]
    try:
        upsert = PhoneUpsert(new=new_contact(1, "Racer", "R"))
        await asyncio.gather(*(stores[i % 2].upsert_by_phone(APP_ID, upsert) for i in range(20)))
        count, rows = await stores[0].list_contacts(APP_ID, offset=0, limit=50, name="")
        assert count == len(rows) == await stores[1].contact_count(APP_ID) == 1
    finally:
        for store in stores:
            await store.close()


@pytest.mark.anyio
async def test_racing_overlapping_batches_keep_the_count_exact(
    pg_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="contactd.store")
    url = f"{pg_database_url}&pool_min_size=4"
    stores = [await _with_app(url), await _store(url)]
    try:
        # Big batches sharing phones in opposite orders, from two pools at once, with an
        # upsert and a delete among them: each either stores all or is refused, none
        # fails, and the kept count matches the rows.
        batches = [[new_contact(n) for n in range(i, i + 300)] for i in range(0, 1200, 150)]
        batches += [list(reversed(batch)) for batch in batches]

        async def add(i: int, batch: list[NewContact]) -> bool:
            try:
                await stores[i % 2].add_contacts(APP_ID, batch)
            except PhonesTaken:
                return False
            return True

        results = await asyncio.gather(
            *(add(i, b) for i, b in enumerate(batches)),
            stores[1].upsert_by_phone(APP_ID, PhoneUpsert(new=new_contact(3, "U", ""))),
            stores[0].delete_by_phone(APP_ID, new_contact(4).phone_key),
            return_exceptions=True,
        )
        assert not [r for r in results if isinstance(r, BaseException)], results
        count, rows = await stores[0].list_contacts(APP_ID, offset=0, limit=5000, name="")
        assert count == len(rows) == await stores[1].contact_count(APP_ID)
        assert len({r.phone_key for r in rows}) == len(rows)
        assert not [r for r in caplog.records if "DeadlockDetected" in r.getMessage()]
    finally:
        for store in stores:
            await store.close()


@pytest.mark.anyio
async def test_upsert_updates_given_fields_and_appends_notes_as_json(
    pg_database_url: str,
) -> None:
    store = await _with_app(pg_database_url)
    try:
        new = msgspec.structs.replace(new_contact(1, "A", "B"), tag="t", info="x", status="s")
        first = PhoneUpsert(new=new, replaces=frozenset({"tag", "info", "status"}))
        await store.upsert_by_phone(APP_ID, first)
        assert await store.contact_count(APP_ID) == 1  # created
        note = '{"msg": "hello", "date": 5, "agent": "1001_1234567"}'
        again = msgspec.structs.replace(new_contact(1, "Zoë", ""), notes_json=f"[{note}]")
        later = PhoneUpsert(new=again, replaces=frozenset({"status"}))
        await store.upsert_by_phone(APP_ID, later)
        assert await store.contact_count(APP_ID) == 1  # changed, not created again
        count, [row] = await store.list_contacts(APP_ID, offset=0, limit=10, name="")
        assert count == 1
        assert (row.contact_id, row.first_name, row.last_name) == (new.contact_id, "Zoë", "")
        assert (row.tag, row.info, row.status) == ("t", "x", "")
        assert row.notes_json == '[{"msg": "hello", "date": 5, "agent": "1001_1234567"}]'
        assert await store.delete_by_phone(APP_ID, row.phone_key) is True
        assert await store.delete_by_phone(APP_ID, row.phone_key) is False
        assert await store.contact_count(APP_ID) == 0
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("", ["Zoë Ärger", "ZOË b", "Ann 50%_off", "Bob"]),
        ("z", ["Zoë Ärger", "ZOË b"]),
        ("oë", ["Zoë Ärger", "ZOË b"]),
        ("ZOË", ["Zoë Ärger", "ZOË b"]),
        ("ärg", ["Zoë Ärger"]),
        ("ë ä", ["Zoë Ärger"]),
        ("%", ["Ann 50%_off"]),
        ("_", ["Ann 50%_off"]),
        ("0%_", ["Ann 50%_off"]),
        ("b", ["ZOË b", "Bob"]),
        ("\\", []),
        ("nobody", []),
    ],
)
@pytest.mark.anyio
async def test_name_search_is_a_literal_case_insensitive_substring(
    pg_database_url: str, needle: str, expected: list[str]
) -> None:
    store = await _with_app(pg_database_url)
    names = [("Zoë", "Ärger"), ("ZOË", "b"), ("Ann", "50%_off"), ("Bob", "")]
    try:
        await store.add_contacts(
            APP_ID, [new_contact(i, f, last) for i, (f, last) in enumerate(names)]
        )
        count, rows = await store.list_contacts(APP_ID, offset=0, limit=10, name=needle)
        assert [f"{r.first_name} {r.last_name}".strip() for r in rows] == expected
        assert count == len(expected)
        count, rows = await store.list_contacts(APP_ID, offset=1, limit=1, name=needle)
        assert count == len(expected)
        assert [r.first_name for r in rows] == [n.split()[0] for n in expected[1:2]]
    finally:
        await store.close()


@pytest.mark.anyio
async def test_name_counts_go_through_the_names_trigram_index(pg_database_url: str) -> None:
    store = await _with_app(pg_database_url)
    try:
        for batch in range(20):  # enough rows that a scan costs more than the index
            await store.add_contacts(
                APP_ID,
                [new_contact(batch * 1000 + i, f"Name{batch}x{i}", "Common") for i in range(1000)],
            )
    finally:
        await store.close()
    target = parse_url(pg_database_url)
    async with await psycopg.AsyncConnection.connect(target.conninfo, autocommit=True) as conn:
        await conn.execute(f"SET search_path TO {target.schema}, public")
        # VACUUM merges the GIN pending list, as autovacuum would; the plan then costs it.
        await conn.execute("VACUUM ANALYZE names")
        cursor = await conn.execute(
            "EXPLAIN SELECT n FROM names WHERE app_id = %s AND name_key LIKE %s",
            (APP_ID, "%name7x42%"),
        )
        plan = " ".join(row[0] for row in await cursor.fetchall())
    assert "names_by_trigram" in plan, plan


@pytest.mark.anyio
async def test_deep_pages_and_past_the_end(pg_database_url: str) -> None:
    store = await _with_app(pg_database_url)
    try:
        await store.add_contacts(APP_ID, [new_contact(i) for i in range(25)])
        count, rows = await store.list_contacts(APP_ID, offset=20, limit=10, name="")
        assert count == 25
        assert [r.phone for r in rows] == [f"9190{i:08d}" for i in range(20, 25)]
        assert await store.list_contacts(APP_ID, offset=25, limit=10, name="") == (25, [])
        # NUL folds away (domain.names.search_key), as on SQLite: no filter at all.
        assert (await store.list_contacts(APP_ID, offset=0, limit=5, name="\x00"))[0] == 25
        assert await store.list_contacts(APP_ID, offset=2**70, limit=5, name="") == (25, [])
        assert await store.list_contacts(APP_ID, offset=2**70, limit=5, name="a") == (25, [])
    finally:
        await store.close()


# -- errors map to the store's conditions ------------------------------------------------------
@pytest.mark.anyio
async def test_unique_violations_map_to_store_errors(pg_database_url: str) -> None:
    store = await _with_app(pg_database_url)
    try:
        principal = NewPrincipal(
            APP_ID, 1001, "A", "B", "919800000000", "", "h", None, None, True, False, 1
        )
        await store.add_principal(principal)
        with pytest.raises(ExtensionTaken):
            await store.add_principal(principal)
        a, b = new_contact(1), new_contact(2)
        await store.add_contacts(APP_ID, [a, b])
        with pytest.raises(PhonesTaken) as taken:
            await store.add_contacts(APP_ID, [new_contact(3), new_contact(2)])
        assert taken.value.phone_keys == [b.phone_key]
        assert await store.contact_count(APP_ID) == 2
        with pytest.raises(PhonesTaken):
            await store.update_contacts(
                APP_ID, [ContactChanges(a.contact_id, phone=Phone(b.phone, b.phone_key))]
            )
        for missing in (str(uuid.uuid4()), "not-a-uuid"):
            with pytest.raises(UnknownContact):
                await store.update_contacts(APP_ID, [ContactChanges(missing, first_name="X")])
        assert (await store.get_contact(APP_ID, "not-a-uuid"))[1] is None
        assert await store.delete_contacts(APP_ID, ["not-a-uuid", a.contact_id, a.contact_id]) == 1
        assert await store.contact_count(APP_ID) == 1
    finally:
        await store.close()

"""Group commit on the SQLite writer (`store/sqlite_group.py`).

Batches that queue while the writer is busy share one transaction; each still commits
or fails alone, and no caller hears back before the commit of its group.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from contactd.domain.models import App, NewContact
from contactd.domain.store import PhonesTaken
from contactd.store.sqlite import SQLiteStore
from tests.records import new_contact

APP = 1_234_567


def batch(start: int, size: int = 5) -> list[NewContact]:
    return [new_contact(n) for n in range(start, start + size)]


async def stored_phones(store: SQLiteStore) -> set[str]:
    rows = store._read("SELECT phone_key FROM contacts WHERE app_id = ?", (APP,))
    return {str(row[0]) for row in rows}


def test_a_failing_batch_among_queued_ones_fails_alone(tmp_path: Path) -> None:
    async def scenario() -> None:
        store = await SQLiteStore.open(str(tmp_path / "group.db"))
        await store.add_app(App(APP, "app", b"x", "91", 0))
        await store.add_contacts(APP, batch(0, 2))  # phones 0 and 1 are taken
        groups_before = store._adds.groups
        clash = [*batch(100), new_contact(1), *batch(200)]
        results = await asyncio.gather(
            store.add_contacts(APP, batch(10)),
            store.add_contacts(APP, clash),
            store.add_contacts(APP, batch(20)),
            # A clash with a batch queued before it in the same group.
            store.add_contacts(APP, [new_contact(300), new_contact(12)]),
            return_exceptions=True,
        )
        assert store._adds.groups == groups_before + 1  # one transaction, one commit
        assert results[0] is None and results[2] is None
        assert isinstance(results[1], PhonesTaken)
        assert results[1].phone_keys == [new_contact(1).phone_key]
        assert isinstance(results[3], PhonesTaken)
        assert results[3].phone_keys == [new_contact(12).phone_key]
        expected = {c.phone_key for c in [*batch(0, 2), *batch(10), *batch(20)]}
        assert await stored_phones(store) == expected
        assert await store.contact_count(APP) == len(expected)
        # The name dictionary saw the committed rows only.
        found = store._read("SELECT coalesce(sum(n), 0) FROM names WHERE app_id = ?", (APP,))
        assert found[0][0] == len(expected)
        await store.close()

    asyncio.run(scenario())


def test_a_failed_commit_fails_every_batch_of_its_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        store = await SQLiteStore.open(str(tmp_path / "group.db"))
        await store.add_app(App(APP, "app", b"x", "91", 0))
        real_write = store._adds._write

        async def failing_write(fn: object) -> object:
            raise RuntimeError("disk gone")

        monkeypatch.setattr(store._adds, "_write", failing_write)
        results = await asyncio.gather(
            store.add_contacts(APP, batch(0)),
            store.add_contacts(APP, batch(10)),
            return_exceptions=True,
        )
        assert all(isinstance(r, RuntimeError) for r in results)
        monkeypatch.setattr(store._adds, "_write", real_write)
        await store.add_contacts(APP, batch(0))  # the queue carries on
        assert await stored_phones(store) == {c.phone_key for c in batch(0)}
        await store.close()

    asyncio.run(scenario())


def test_a_caller_hears_back_only_after_its_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        store = await SQLiteStore.open(str(tmp_path / "group.db"))
        await store.add_app(App(APP, "app", b"x", "91", 0))
        committed: list[int] = []
        real_write = store._write

        async def recording_write(fn: object) -> object:
            result = await real_write(fn)  # type: ignore[arg-type]
            committed.append(len(await stored_phones(store)))
            return result

        monkeypatch.setattr(store._adds, "_write", recording_write)
        await store.add_contacts(APP, batch(0))
        # Another connection sees the rows: they were committed before add returned.
        assert committed == [5]
        other = SQLiteStore(str(tmp_path / "group.db"))
        assert len(other._read("SELECT 1 FROM contacts")) == 5
        await other.close()
        await store.close()

    asyncio.run(scenario())

"""Snapshots (`contactd.standin.snapshot_file`): the whole store saved to one file and
loaded back, by `serve --stand-in --snapshot FILE` at start, on both backends and from
one to the other; a file that is not a sound snapshot of this contactd is refused
naming what is wrong, the store unchanged; a write that fails leaves the file it was
to replace. The commands and the real server process are in
tests/integration/test_snapshot_commands.py."""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings
from contactd.standin import snapshot_file
from contactd.standin.snapshot_file import SCHEMA, SnapshotRefused, SnapshotSummary
from contactd.testing import app_services
from tests.contract.stand_in_book import KEY, KEYED_PHONE, answers, fill
from tests.helpers import FAST_HASH, Api, Tenant, contact, name_index_differences_at


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, stand_in=True, **FAST_HASH)


def save(api: Api, path: Path) -> SnapshotSummary:
    assert api.client.portal is not None
    store = app_services(api.client.app).store
    return api.client.portal.call(snapshot_file.save, store, path)


def load(api: Api, path: Path) -> SnapshotSummary:
    assert api.client.portal is not None
    store = app_services(api.client.app).store
    return api.client.portal.call(snapshot_file.load, store, path)


@contextmanager
def serving(database_url: str, snapshot: Path) -> Iterator[Api]:
    """A second application over `database_url` that loads `snapshot` at start."""
    settings = Settings(
        database_url=database_url, stand_in=True, snapshot=str(snapshot), **FAST_HASH
    )
    with TestClient(create_app(settings)) as client:
        yield Api(client)


def seq_of(api: Api, tenant: Tenant, contact_id: str) -> int:
    """A contact's position in creation order, which no answer shows (the store's)."""
    assert api.client.portal is not None
    store = app_services(api.client.app).store
    found = api.client.portal.call(store.find_contact, tenant.appid, contact_id)
    assert found is not None
    return found.seq


def keyed_add(api: Api, tenant: Tenant) -> Any:
    """The idempotency-keyed add of the book (`stand_in_book.fill`), sent again."""
    contacts = [{"phone_no": KEYED_PHONE, "first_name": "Kay", "last_name": "Lee"}]
    return api.client.post(
        "/v3/contact/add",
        json={"token": tenant.token, "contacts": contacts},
        headers={KEY: "book-1"},
    )


def test_a_store_loaded_at_start_answers_as_it_did_when_saved(
    api: Api, tenant: Tenant, other_tenant: Tenant, database_url: str, tmp_path: Path
) -> None:
    fill(api, tenant)
    fill(api, other_tenant)
    # The last contact made is deleted: its position is not handed out again after a load.
    [gone] = api.add_contacts(tenant.token, [contact(9)])
    gone_seq = seq_of(api, tenant, gone)
    status, body = api.post("/v3/contact/delete", {"token": tenant.token, "contact_ids": [gone]})
    assert status == 200, body
    _, first_page = api.post("/v3/contact/get", {"token": tenant.token, "limit": 2})
    cursor = first_page["page_state"]
    second_page = api.post("/v3/contact/get", {"token": tenant.token, "page_state": cursor})
    before = {t.appid: answers(api, t, t.token) for t in (tenant, other_tenant)}
    file = tmp_path / "book.json"
    assert save(api, file) == SnapshotSummary(apps=2, principals=4, contacts=12)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600  # secret hashes, the server secret
    # What changes after the save is undone by the load.
    api.add_contacts(tenant.token, [contact(1)])
    assert api.client.portal is not None
    api.client.portal.call(app_services(api.client.app).store.reset_app, other_tenant.appid)
    api.create_app("Made after the save")

    with serving(database_url, file) as loaded:
        for t in (tenant, other_tenant):
            assert answers(loaded, t, t.token) == before[t.appid]  # old tokens too
        # The server secret came back: a cursor, and the kept answer of a key.
        assert loaded.post("/v3/contact/get", {"token": tenant.token, "page_state": cursor}) == (
            second_page
        )
        replayed = keyed_add(loaded, tenant)
        assert replayed.status_code == 200, replayed.text
        assert replayed.headers["idempotent-replayed"] == "true"
        # Passwords and secrets as they were; the store goes on from the loaded rows.
        token = loaded.login(other_tenant.user_id)
        [made] = loaded.add_contacts(token, [contact(2)])
        assert seq_of(loaded, other_tenant, made) > gone_seq
        status, body = loaded.post("/v3/contact/get", {"token": token, "limit": 100})
        assert (status, body["count"]) == (200, 7)
        assert body["contacts"][-1]["phone_no"] == contact(2)["phone_no"]  # after the loaded
        assert loaded.client.portal is not None
        apps = loaded.client.portal.call(app_services(loaded.client.app).store.list_apps)
        assert sorted(a.app_id for a in apps) == sorted([tenant.appid, other_tenant.appid])
    assert name_index_differences_at(database_url) == []


@pytest.mark.postgres
def test_a_snapshot_moves_from_sqlite_to_postgresql_and_back(
    tmp_path: Path, pg_database_url: str
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'first.db'}"
    with TestClient(create_app(Settings(database_url=sqlite_url, **FAST_HASH))) as client:
        api = Api(client)
        tenants = [api.tenant("A"), api.tenant("B")]
        for tenant in tenants:
            fill(api, tenant)
        before = {t.appid: decoded(answers(api, t, t.token)) for t in tenants}
        save(api, tmp_path / "from-sqlite.json")
    with serving(pg_database_url, tmp_path / "from-sqlite.json") as on_postgres:
        for t in tenants:
            assert decoded(answers(on_postgres, t, t.token)) == before[t.appid]
        save(on_postgres, tmp_path / "from-postgresql.json")
    assert name_index_differences_at(pg_database_url) == []
    back_url = f"sqlite:///{tmp_path / 'back.db'}"
    with serving(back_url, tmp_path / "from-postgresql.json") as back:
        for t in tenants:
            assert decoded(answers(back, t, t.token)) == before[t.appid]
    assert name_index_differences_at(back_url) == []
    rows = [
        json.loads((tmp_path / name).read_bytes())["store"]
        for name in ("from-sqlite.json", "from-postgresql.json")
    ]
    assert rows[0] == rows[1]


def decoded(found: dict[str, bytes]) -> dict[str, Any]:
    """Answers as JSON values: the backends spell a contact's notes alike but for blanks."""
    return {read: json.loads(body) for read, body in found.items()}


# -- refused files ---------------------------------------------------------------------
Change = Callable[[dict[str, Any], bytes], bytes]


def edited(edit: Callable[[dict[str, Any]], None]) -> Change:
    def change(document: dict[str, Any], _: bytes) -> bytes:
        edit(document)
        return json.dumps(document).encode()

    return change


def set_field(path: str, value: Any) -> Change:
    """`path` as `key.key.0.key`, its last part set to `value`."""

    def edit(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = document
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return edited(edit)


def duplicated_phone(document: dict[str, Any]) -> None:
    contacts = document["store"]["contacts"]
    twin = {**contacts[0], "seq": 1000, "contact_id": "0190a0a0-0000-7000-8000-000000000001"}
    contacts.append(twin)


REFUSALS: dict[str, tuple[Change, str]] = {
    "not JSON": (lambda _, __: b"PGDMP\x01", "is not a contactd snapshot, or is cut short"),
    "cut short": (lambda _, good: good[: len(good) // 2], "or is cut short"),
    "not an object": (lambda _, __: b"[1, 2]", "is not a contactd snapshot"),
    "another format": (set_field("format", "pg_dump"), "its format is 'pg_dump'"),
    "no format": (edited(lambda d: d.pop("format")), "its format is None"),
    "another version": (set_field("version", 2), "of version 2; this contactd reads version 1"),
    "another schema": (
        set_field("schema", SCHEMA - 1),
        f"schema {SCHEMA - 1}; this contactd's are of schema {SCHEMA}",
    ),
    "a wrong type": (
        set_field("store.contacts.0.seq", "one"),
        r"corrupt snapshot: Expected `int`, got `str` - at `\$.store.contacts\[0\].seq`",
    ),
    "a note without its date": (
        set_field("store.contacts.1.notes.0", {"msg": "x", "agent": "y"}),
        r"corrupt snapshot: Object missing required field `date` - at `\$.store.contacts\[1\]",
    ),
    "a contact id not a UUID": (
        set_field("store.contacts.0.contact_id", "abc"),
        r"corrupt snapshot: .* at `\$.store.contacts\[0\].contact_id`",
    ),
    "a phone twice in an app": (edited(duplicated_phone), "its rows break a rule of the store"),
    "a contact of no app": (
        set_field("store.contacts.0.app_id", 1234567),
        "its rows break a rule of the store",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_file_that_is_not_a_sound_snapshot_is_refused_and_changes_nothing(
    api: Api, tenant: Tenant, tmp_path: Path, case: str
) -> None:
    change, message = REFUSALS[case]
    fill(api, tenant)
    file = tmp_path / "good.json"
    save(api, file)
    good = file.read_bytes()
    api.add_contacts(tenant.token, [contact(1)])  # the store differs from the file
    before = answers(api, tenant, tenant.token)
    bad = tmp_path / "bad.json"
    bad.write_bytes(change(json.loads(good), good))
    with pytest.raises(SnapshotRefused, match=message) as refused:
        load(api, bad)
    assert str(bad) in str(refused.value)
    assert answers(api, tenant, tenant.token) == before


def test_a_missing_file_is_refused_naming_it(api: Api, tmp_path: Path) -> None:
    with pytest.raises(SnapshotRefused, match="cannot be read: No such file or directory"):
        load(api, tmp_path / "nowhere.json")


# -- the write -----------------------------------------------------------------------------
@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_leaves_the_previous_file_and_no_temporary_one(
    api: Api, tenant: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    directory = tmp_path / "snapshots"
    directory.mkdir()
    file = directory / "book.json"
    save(api, file)
    previous = file.read_bytes()
    fill(api, tenant)

    def fail(*args: Any) -> None:
        raise OSError(errno.EIO, f"injected failure of {failing}")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OSError, match="injected"):
        save(api, file)
    monkeypatch.undo()
    assert file.read_bytes() == previous
    assert os.listdir(directory) == ["book.json"]
    # The next save replaces it whole, and leaves nothing else behind either.
    assert save(api, file).contacts == 6
    assert os.listdir(directory) == ["book.json"]
    assert json.loads(file.read_bytes())["schema"] == SCHEMA

"""A full disk: 507 on both stores, nothing of the write that met it, and the same server
writes again once space is freed.

- SQLite, its file on a small tmpfs that ballast fills to the last byte (the operator
  then deletes the ballast), or, where the tests cannot mount a tmpfs, SQLite's
  `max_page_count`, which raises the same SQLITE_FULL.
- PostgreSQL, the test schema's tables and indexes moved into a tablespace on a small
  tmpfs, shrunk to what they use: PostgreSQL itself fails to extend a file and raises
  disk_full (SQLSTATE 53100). The operator then grows the filesystem.

Each test fills the disk, then sends 100-contact batches until one is refused (the
store's files may still have room allocated before the disk filled), checks that the
refusal is a 507 in the error shape and left no contact of its batch, and sends the
same batch again once space is freed: a 200 (a 409 would mean part of it was stored).
"""

from __future__ import annotations

import os
import pwd
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import psycopg
import pytest
from psycopg import sql
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings
from contactd.store.postgres_setup import parse_url
from contactd.testing import app_services
from tests.contract.wire import assert_error_shape
from tests.helpers import FAST_HASH, Api, Tenant, contact, postgres_url
from tests.reliability.disks import Tmpfs, tmpfs_problem
from tests.server_process import contactd_env
from tests.server_process import create_app as create_app_with_cli

BATCH = 100
MAX_ATTEMPTS = 400
"""Writes sent at most until the full disk refuses one (room allocated before it filled)."""
FULL_PREFIX = "the store is full; "


class Disk(Protocol):
    def fill(self) -> None: ...

    def free(self) -> None: ...


def contact_count(api: Api, tenant: Tenant) -> int:
    status, body = api.post("/v3/contact/get", {"token": tenant.token, "limit": 1})
    assert status == 200, body  # reads still work on a full disk
    return int(body["count"])


def until_refused(send: Callable[[int], tuple[int, Any]]) -> tuple[int, int, Any]:
    """Call `send(n)` for n = 0, 1, ... until it is not a 200; (n, status, body)."""
    for n in range(MAX_ATTEMPTS):
        status, body = send(n)
        if status != 200:
            return n, status, body
    raise AssertionError(f"the full disk took {MAX_ATTEMPTS} writes without refusing one")


def assert_full(status: int, body: Any) -> None:
    assert status == 507, body
    assert_error_shape(status, body)
    assert body["msg"].startswith(FULL_PREFIX), body


def batch(first: int) -> list[dict[str, Any]]:
    return [contact(n) for n in range(first, first + BATCH)]


def check_full_disk(client: TestClient, disk: Disk) -> None:
    api = Api(client)
    tenant = api.tenant()
    api.add_contacts(tenant.token, batch(0))
    disk.fill()

    def add(n: int) -> tuple[int, Any]:
        return api.post(
            "/v3/contact/add", {"token": tenant.token, "contacts": batch(BATCH * (n + 1))}
        )

    taken, status, body = until_refused(add)
    assert_full(status, body)
    stored = BATCH * (1 + taken)
    assert contact_count(api, tenant) == stored  # none of the refused batch
    refused = batch(BATCH * (taken + 1))

    # v1 answers in its own generation's shape (the same body); a single upsert needs
    # less room than a batch, so it may take a few before one is refused.
    def upsert(n: int) -> tuple[int, Any]:
        phone = f"9191{n:08d}"
        return api.post(
            "/v1/updateContact", {"token": tenant.token, "name": "V One", "from": phone}
        )

    upserted, status, body = until_refused(upsert)
    assert_full(status, body)
    stored += upserted
    assert contact_count(api, tenant) == stored

    disk.free()  # no restart: the same app, store and connections
    status, body = api.post("/v3/contact/add", {"token": tenant.token, "contacts": refused})
    assert status == 200, body
    assert len(body["contact_ids"]) == BATCH
    assert contact_count(api, tenant) == stored + BATCH


# -- SQLite ---------------------------------------------------------------------------
@dataclass
class Ballast:
    """The store's filesystem filled by another file, which the operator deletes."""

    tmpfs: Tmpfs

    def fill(self) -> None:
        self.tmpfs.fill()
        assert self.tmpfs.free_bytes() == 0

    def free(self) -> None:
        self.tmpfs.free()


@dataclass
class PageLimit:
    """SQLite's `max_page_count` on the writer: the file may not grow, SQLITE_FULL."""

    client: TestClient

    def _set(self, limit: int | None) -> None:
        store = app_services(self.client.app).store
        writer = store._writer

        def pragma() -> None:
            # The file as it is now, or SQLite's own ceiling.
            pages = writer.execute("PRAGMA page_count").fetchone()[0] if limit is None else limit
            writer.execute(f"PRAGMA max_page_count = {pages}")

        self.client.portal.call(store._run_on_writer, pragma)  # type: ignore[union-attr]

    def fill(self) -> None:
        self._set(None)

    def free(self) -> None:
        self._set(4294967294)


def test_sqlite_full_tmpfs_is_507_and_recovers(tmp_path: Path) -> None:
    problem = tmpfs_problem()
    if problem is not None:
        pytest.skip(f"{problem}; test_sqlite_max_page_count_is_507_and_recovers covers it")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    tmpfs = Tmpfs(mount_point, "4m")
    try:
        settings = Settings(database_url=f"sqlite:///{mount_point / 'contactd.db'}", **FAST_HASH)
        with TestClient(create_app(settings)) as client:
            check_full_disk(client, Ballast(tmpfs))
    finally:
        tmpfs.unmount()


def test_sqlite_max_page_count_is_507_and_recovers(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'contactd.db'}", **FAST_HASH)
    with TestClient(create_app(settings)) as client:
        check_full_disk(client, PageLimit(client))


CONCURRENT = 8


def test_sqlite_full_disk_under_group_commit_stores_no_part_of_a_batch(tmp_path: Path) -> None:
    """Batches that queue together share one transaction (sqlite_group): on a full disk
    each is answered 200 or 507, the 507 ones left nothing, and all of them are accepted
    once space is freed."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'contactd.db'}", **FAST_HASH)
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        tenant = api.tenant()
        disk = PageLimit(client)
        disk.fill()
        batches = [batch(BATCH * n) for n in range(CONCURRENT)]

        def add(contacts: list[dict[str, Any]]) -> tuple[int, Any]:
            return api.post("/v3/contact/add", {"token": tenant.token, "contacts": contacts})  # type: ignore[no-any-return]

        with ThreadPoolExecutor(CONCURRENT) as pool:
            answers = list(pool.map(add, batches))
        refused = [b for b, (status, _) in zip(batches, answers, strict=True) if status != 200]
        assert refused, "the full file took every batch"
        for status, body in answers:
            if status != 200:
                assert_full(status, body)
        accepted = CONCURRENT - len(refused)
        assert contact_count(api, tenant) == BATCH * accepted
        disk.free()
        for contacts in refused:
            status, body = add(contacts)
            assert status == 200, body
        assert contact_count(api, tenant) == BATCH * CONCURRENT


def test_app_create_on_a_full_disk_says_so(tmp_path: Path) -> None:
    """The operator's CLI: a plain message and exit status 2, not a traceback."""
    problem = tmpfs_problem()
    if problem is not None:
        pytest.skip(problem)
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    tmpfs = Tmpfs(mount_point, "2m")
    url = f"sqlite:///{mount_point / 'contactd.db'}"
    try:
        create_app_with_cli(url)  # the store exists, migrated
        tmpfs.fill()
        refused = subprocess.run(
            [sys.executable, "-m", "contactd", "app", "create", "--name", "Full"],
            env=contactd_env(url),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert refused.returncode == 2, refused.stderr
        # The first line names the store (every operator command's), the last the fault.
        assert refused.stderr.splitlines()[-1].startswith("contactd: SQLite: "), refused.stderr
        assert "Traceback" not in refused.stderr
        tmpfs.free()
        create_app_with_cli(url)
    finally:
        tmpfs.unmount()


# -- PostgreSQL -----------------------------------------------------------------------
def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(parse_url(postgres_url()).conninfo, autocommit=True)


def _tablespace_problem() -> str | None:
    """Why the PostgreSQL server cannot be given a tablespace on a tmpfs of ours."""
    problem = tmpfs_problem()
    if problem is not None:
        return problem
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres user on this host"
    with _admin() as conn:
        row = conn.execute(
            "SELECT current_setting('data_directory'), rolsuper FROM pg_roles"
            " WHERE rolname = current_user"
        ).fetchone()
    assert row is not None
    if not row[1]:
        return "creating a tablespace needs a PostgreSQL superuser"
    if not os.path.isdir(row[0]):
        return "the PostgreSQL server does not run on this host"
    return None


@dataclass
class Tablespace:
    """The schema's tables and indexes on a tmpfs shrunk to what they use."""

    tmpfs: Tmpfs
    name: str
    schema: str

    def fill(self) -> None:
        with _admin() as conn:
            relations = conn.execute(
                "SELECT c.relkind, c.relname FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = %s AND c.relkind IN ('r', 'i')",
                (self.schema,),
            ).fetchall()
            for kind, relation in relations:
                conn.execute(
                    sql.SQL("ALTER {} {} SET TABLESPACE {}").format(
                        sql.SQL("INDEX" if kind == "i" else "TABLE"),
                        sql.Identifier(self.schema, relation),
                        sql.Identifier(self.name),
                    )
                )
        stats = os.statvfs(self.tmpfs.path)
        used_kib = (stats.f_blocks - stats.f_bfree) * stats.f_frsize // 1024
        self.tmpfs.resize(f"{used_kib}k")

    def free(self) -> None:
        self.tmpfs.resize("64m")


@pytest.fixture
def pg_tablespace(pg_database_url: str) -> Iterator[Tablespace]:
    problem = _tablespace_problem()
    if problem is not None:
        pytest.skip(f"no tablespace on a tmpfs: {problem}")
    token = secrets.token_hex(4)
    mount_point = Path(f"/tmp/contactd-tablespace-{token}")  # the server must reach it
    mount_point.mkdir(mode=0o755)
    owner = pwd.getpwnam("postgres")
    tmpfs = Tmpfs(mount_point, "8m", options=f"uid={owner.pw_uid},gid={owner.pw_gid},mode=0700")
    name = f"t_full_{token}"
    schema = parse_url(pg_database_url).schema
    try:
        with _admin() as conn:
            conn.execute(
                sql.SQL("CREATE TABLESPACE {} LOCATION {}").format(
                    sql.Identifier(name), sql.Literal(str(mount_point))
                )
            )
        yield Tablespace(tmpfs, name, schema)
    finally:
        with _admin() as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
            conn.execute(sql.SQL("DROP TABLESPACE IF EXISTS {}").format(sql.Identifier(name)))
        tmpfs.unmount()
        mount_point.rmdir()


@pytest.mark.postgres
def test_postgres_full_tablespace_is_507_and_recovers(
    pg_database_url: str, pg_tablespace: Tablespace
) -> None:
    settings = Settings(database_url=pg_database_url, **FAST_HASH)
    with TestClient(create_app(settings)) as client:
        check_full_disk(client, pg_tablespace)

"""A store that cannot write (read-only, or I/O errors) answers 503, never 500, keeps
serving reads, and writes again on the same server once it is writable.

- SQLite: `PRAGMA query_only` on the writer connection, which SQLite refuses writes
  under with SQLITE_READONLY, the code a read-only file or mount gives.
- PostgreSQL: the server's sessions turned read-only (`default_transaction_read_only`
  on the role contactd connects as, and its sessions ended, as a failover to a standby
  would), so PostgreSQL refuses writes with read_only_sql_transaction (25006).
- The SQLSTATEs the PostgreSQL store translates, each raised by a real server.
A full disk (507) is in test_full_disk.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings
from contactd.domain.store import STORE_CANNOT_WRITE, StoreError, StoreFault, StoreFull
from contactd.store.postgres_faults import STORAGE_ERRORS, store_fault
from contactd.store.postgres_setup import parse_url
from contactd.testing import app_services
from tests.contract.wire import assert_error
from tests.helpers import FAST_HASH, Api, Tenant, contact, postgres_url

READ_ONLY_MSG = STORE_CANNOT_WRITE


def contact_count(api: Api, tenant: Tenant) -> int:
    status, body = api.post("/v3/contact/get", {"token": tenant.token, "limit": 1})
    assert status == 200, body
    return int(body["count"])


def add(api: Api, tenant: Tenant, first: int) -> tuple[int, Any]:
    contacts = [contact(n) for n in range(first, first + 10)]
    return api.post("/v3/contact/add", {"token": tenant.token, "contacts": contacts})  # type: ignore[no-any-return]


def check_read_only(api: Api, tenant: Tenant, *, make_read_only: Any, make_writable: Any) -> None:
    status, body = add(api, tenant, 0)
    assert status == 200, body
    make_read_only()
    status, body = add(api, tenant, 100)
    assert_error(status, body, 503, READ_ONLY_MSG)
    status, body = api.post(
        "/v1/updateContact", {"token": tenant.token, "name": "V One", "from": "919100000001"}
    )
    assert_error(status, body, 503, READ_ONLY_MSG)
    assert contact_count(api, tenant) == 10  # reads still served; nothing written
    make_writable()
    status, body = add(api, tenant, 100)  # the same batch: nothing of it was stored
    assert status == 200, body
    assert contact_count(api, tenant) == 20


def test_sqlite_read_only_is_503_and_recovers(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'contactd.db'}", **FAST_HASH)
    with TestClient(create_app(settings)) as client:
        store = app_services(client.app).store

        def query_only(on: bool) -> None:
            def pragma() -> None:
                store._writer.execute(f"PRAGMA query_only = {int(on)}")

            client.portal.call(store._run_on_writer, pragma)  # type: ignore[union-attr]

        api = Api(client)
        check_read_only(
            api,
            api.tenant(),
            make_read_only=lambda: query_only(True),
            make_writable=lambda: query_only(False),
        )


# -- PostgreSQL -----------------------------------------------------------------------
def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(parse_url(postgres_url()).conninfo, autocommit=True)


def _as_role(database_url: str, role: str) -> str:
    parts = urlsplit(database_url)
    password = f":{parts.password}" if parts.password else ""
    return parts._replace(netloc=f"{role}{password}@{parts.hostname}:{parts.port or 5432}").geturl()


@pytest.fixture
def own_role(pg_database_url: str) -> Iterator[tuple[str, str]]:
    """A login role of this test's own, and the test's URL connecting as it."""
    role = f"t_role_{secrets.token_hex(4)}"
    with _admin() as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN SUPERUSER").format(sql.Identifier(role)))
    try:
        yield role, _as_role(pg_database_url, role)
    finally:
        schema = parse_url(pg_database_url).schema
        with _admin() as conn:
            _end_sessions(conn, role)
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def _end_sessions(conn: psycopg.Connection[Any], role: str) -> None:
    conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,)
    )


def _read_only(role: str, on: bool) -> None:
    """The role's sessions from now on read-only (or not), and its present ones ended."""
    setting = (
        "SET default_transaction_read_only = on" if on else "RESET default_transaction_read_only"
    )
    with _admin() as conn:
        conn.execute(sql.SQL("ALTER ROLE {} ").format(sql.Identifier(role)) + sql.SQL(setting))
        _end_sessions(conn, role)


@pytest.mark.postgres
def test_postgres_read_only_is_503_and_recovers(own_role: tuple[str, str]) -> None:
    role, url = own_role
    settings = Settings(database_url=url, **FAST_HASH)
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        check_read_only(
            api,
            api.tenant(),
            make_read_only=lambda: _read_only(role, True),
            make_writable=lambda: _read_only(role, False),
        )


def _raised(conn: psycopg.Connection[Any], statement: str) -> psycopg.Error:
    with pytest.raises(psycopg.Error) as caught:
        conn.execute(statement)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("condition", "sqlstate", "fault"),
    [
        ("disk_full", "53100", StoreFull),
        ("io_error", "58030", StoreFault),
        ("read_only_sql_transaction", "25006", StoreFault),
    ],
)
def test_postgres_storage_sqlstates_translate(
    pg_database_url: str, condition: str, sqlstate: str, fault: type[StoreError]
) -> None:
    """The server raises each condition (PL/pgSQL RAISE with its SQLSTATE): psycopg's
    error class for it is among those the store translates, into the right fault."""
    with _admin() as conn:
        error = _raised(
            conn, f"DO $$ BEGIN RAISE EXCEPTION 'provoked' USING ERRCODE = '{condition}'; END $$"
        )
    assert error.sqlstate == sqlstate
    assert isinstance(error, STORAGE_ERRORS)
    assert type(store_fault(error)) is fault


@pytest.mark.postgres
def test_postgres_read_only_transaction_translates(pg_database_url: str) -> None:
    """A write in a read-only transaction, refused by the server itself."""
    with _admin() as conn, conn.transaction():
        conn.execute("SET TRANSACTION READ ONLY")
        error = _raised(conn, "CREATE TEMPORARY TABLE never (x int)")
    assert error.sqlstate == "25006"
    assert isinstance(error, STORAGE_ERRORS)
    assert type(store_fault(error)) is StoreFault

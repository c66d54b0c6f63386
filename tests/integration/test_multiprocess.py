"""Several `contactd serve` processes on one PostgreSQL schema behave as one service.

What a write, a cursor or a revocation does on one process is seen at once by the
other: nothing a request needs lives in a process (tokens are rows, the cursor secret
is kept in the database, there is no token cache).
"""

from __future__ import annotations

import asyncio
import os
import pickle
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from contactd.api.routes import OPERATIONS
from contactd.config import Settings
from contactd.serving import ServedApp, server_config
from contactd.store import open_store
from tests.helpers import contact
from tests.server_process import (
    ServerProcess,
    contactd_env,
    create_app,
    free_port,
    provision_user,
)

_ROUTES = {op.path for op in OPERATIONS}


@pytest.fixture
def two_servers(pg_database_url: str, tmp_path: Path) -> Iterator[tuple[ServerProcess, ...]]:
    servers: list[ServerProcess] = []
    try:
        for name in ("a", "b"):
            servers.append(ServerProcess(pg_database_url, tmp_path / f"server-{name}.log"))
        yield tuple(servers)
    finally:
        for server in servers:
            server.stop()


@pytest.mark.blackbox
@pytest.mark.postgres
def test_what_one_process_writes_the_other_reads(
    two_servers: tuple[ServerProcess, ServerProcess], pg_database_url: str
) -> None:
    a, b = two_servers
    appid, secret = create_app(pg_database_url)
    token = provision_user(a, appid, secret)

    status, body = a.post("/v3/contact/add", {"token": token, "contacts": [contact(1)]})
    assert status == 200, body
    [contact_id] = body["contact_ids"]
    status, body = b.post("/v3/contact/get", {"token": token, "contact_id": contact_id})
    assert status == 200, body
    assert [c["phone_no"] for c in body["contacts"]] == ["919000000001"]
    assert body["count"] == 1


@pytest.mark.blackbox
@pytest.mark.postgres
def test_a_page_state_from_one_process_is_accepted_by_the_other(
    two_servers: tuple[ServerProcess, ServerProcess], pg_database_url: str
) -> None:
    a, b = two_servers
    appid, secret = create_app(pg_database_url)
    token = provision_user(a, appid, secret)
    status, body = b.post(
        "/v3/contact/add", {"token": token, "contacts": [contact(n) for n in range(1, 6)]}
    )
    assert status == 200, body

    status, first = a.post("/v3/contact/get", {"token": token, "limit": 3})
    assert status == 200, first
    assert first["page_state"]
    status, rest = b.post(
        "/v3/contact/get", {"token": token, "limit": 3, "page_state": first["page_state"]}
    )
    assert status == 200, rest
    phones = [c["phone_no"] for c in first["contacts"] + rest["contacts"]]
    assert phones == [contact(n)["phone_no"] for n in range(1, 6)]
    assert rest["page_state"] is None


# The documented revocation bound: a process trusts a verified token this long.
REVOCATION_BOUND_SECONDS = Settings().token_cache_seconds


def _refused_within(server: ServerProcess, token: str, seconds: float) -> bool:
    """Whether the token is refused (404) before `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        status, _ = server.post("/v3/contact/get", {"token": token})
        if status == 404:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


@pytest.mark.blackbox
@pytest.mark.postgres
def test_removing_a_user_through_one_process_revokes_its_token_on_the_other(
    two_servers: tuple[ServerProcess, ServerProcess], pg_database_url: str
) -> None:
    a, b = two_servers
    appid, secret = create_app(pg_database_url)
    token = provision_user(a, appid, secret)
    assert b.post("/v3/contact/get", {"token": token})[0] == 200  # now cached on b

    status, body = a.post(
        "/v3/user/remove", {"appid": appid, "secret": secret, "agent_id": f"1001_{appid}"}
    )
    assert status == 200, body
    # The removing process forgets the token at once ...
    status, body = a.post("/v3/contact/get", {"token": token})
    assert (status, body["msg"]) == (404, "Authenticated user record not found")
    # ... the other within the bound (plus slack for a loaded machine), never later.
    assert _refused_within(b, token, REVOCATION_BOUND_SECONDS + 1.0)


@pytest.mark.blackbox
@pytest.mark.postgres
def test_a_principal_removed_in_the_store_is_refused_by_every_process_within_the_bound(
    two_servers: tuple[ServerProcess, ServerProcess], pg_database_url: str
) -> None:
    """A removal that no server process made (another host) is seen within the bound."""
    a, b = two_servers
    appid, secret = create_app(pg_database_url)
    token = provision_user(a, appid, secret)
    assert a.post("/v3/contact/get", {"token": token})[0] == 200
    assert b.post("/v3/contact/get", {"token": token})[0] == 200

    async def remove() -> bool:
        store = await open_store(pg_database_url, wait_seconds=5)
        try:
            return await store.remove_principal(appid, 1001)
        finally:
            await store.close()

    assert asyncio.run(remove())
    for server in (a, b):
        assert _refused_within(server, token, REVOCATION_BOUND_SECONDS + 1.0)


@pytest.mark.blackbox
@pytest.mark.postgres
def test_workers_2_on_postgresql_serves_from_two_processes(
    pg_database_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    server = ServerProcess(pg_database_url, log, extra_env={"CONTACTD_WORKERS": "2"})
    try:
        appid, secret = create_app(pg_database_url)
        token = provision_user(server, appid, secret)
        for n in range(1, 21):
            status, body = server.post(
                "/v3/contact/add", {"token": token, "contacts": [contact(n)]}
            )
            assert status == 200, body
        status, body = server.post("/v3/contact/get", {"token": token, "limit": 100})
        assert status == 200, body
        assert body["count"] == 20
    finally:
        server.stop()
    started = set(re.findall(r"Started server process \[(\d+)\]", log.read_text()))
    assert len(started) == 2, log.read_text()


@pytest.mark.blackbox
def test_workers_above_1_on_sqlite_are_refused_with_the_reason(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "contactd", "serve", "--workers", "2"],
        env=contactd_env(f"sqlite:///{tmp_path / 'x.db'}"),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "--workers above 1 needs PostgreSQL" in result.stderr
    assert "CONTACTD_DATABASE_URL=postgresql://" in result.stderr


@pytest.mark.blackbox
def test_a_bad_database_url_is_refused_before_serving() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "contactd", "serve", "--port", str(free_port())],
        env=contactd_env("postgresql://u@127.0.0.1/db?schema=no-dashes"),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "schema must be a plain identifier" in result.stderr


@pytest.mark.blackbox
def test_serve_exits_with_a_clear_error_when_postgresql_never_answers() -> None:
    url = f"postgresql://postgres:hunter2@127.0.0.1:{free_port()}/test"
    result = subprocess.run(
        [sys.executable, "-m", "contactd", "serve", "--port", str(free_port())],
        env=contactd_env(url, {"CONTACTD_DB_WAIT_SECONDS": "0.5"}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "unreachable after" in result.stderr
    assert "hunter2" not in result.stderr + result.stdout


def test_the_workers_get_every_resolved_setting_inside_their_app_factory() -> None:
    settings = Settings(
        database_url="postgresql://u:hunter2@h/db?schema=s",
        workers=4,
        secret="shared-secret",
        log_level="warning",
        db_wait_seconds=7.5,
        argon2_time_cost=2,
    )
    environ = dict(os.environ)
    config = server_config(settings, workers=settings.workers)
    # What uvicorn's spawn hands each worker process: the config, pickled.
    sent = pickle.loads(pickle.dumps(config)).app
    assert isinstance(sent, ServedApp)
    assert sent.settings == settings
    assert dict(os.environ) == environ  # nothing travels through the environment
    assert "hunter2" not in repr(sent) and "shared-secret" not in repr(sent)

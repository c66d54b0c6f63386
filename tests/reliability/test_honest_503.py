"""A 503 says whether the write may have been applied (`X-Contactd-Outcome`).

PostgreSQL is reached through a small asyncio TCP relay that cuts the connection at a
chosen moment of the request's transaction: during its COMMIT (which reached the
server and was answered, but the answer never reaches contactd: the write landed and
the client cannot know), before a statement of the transaction (rolled back: certainly
not applied), or by refusing every connection (the transaction never began). SQLite
commits in process, so its 503s are never in doubt (`test_sqlite_busy_is_not_applied`).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings
from tests.helpers import FAST_HASH, Api, contact

OUTCOME = "x-contactd-outcome"
KEY = "Idempotency-Key"
CUT_TIMEOUT_SECONDS = 5.0


class CuttingRelay:
    """127.0.0.1:<port> -> PostgreSQL, on an event loop of its own (a thread).

    `cut_at(marker, deliver=...)` arms one cut: when a client sends a chunk holding
    `marker`, both directions are cut. With `deliver`, the chunk is sent on first and
    the server's answer awaited and swallowed (the COMMIT landed, unheard); without
    it, the chunk is never sent. `refuse()` closes every connection, new ones at once.
    """

    def __init__(self, upstream: tuple[str, int]) -> None:
        self._upstream = upstream
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._writers: set[asyncio.StreamWriter] = set()
        self._marker: bytes | None = None
        self._deliver = False
        self._refusing = False
        self.cuts = 0
        server = self._run(asyncio.start_server(self._relay, "127.0.0.1", 0))
        self._server = server
        self.port = server.sockets[0].getsockname()[1]

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    def cut_at(self, marker: bytes, *, deliver: bool) -> None:
        self._marker, self._deliver = marker, deliver

    def refuse(self, refusing: bool = True) -> None:
        self._refusing = refusing
        if refusing:
            self._loop.call_soon_threadsafe(self._close_all)

    def close(self) -> None:
        async def stop() -> None:
            self._server.close()
            self._close_all()

        self._run(stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def _close_all(self) -> None:
        for writer in list(self._writers):
            writer.close()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._refusing:
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        self._writers |= {writer, up_writer}
        cutting = asyncio.Event()
        answered = asyncio.Event()

        async def client_to_server() -> None:
            while data := await reader.read(65536):
                if self._marker is not None and self._marker in data:
                    self._marker = None  # one cut per arming
                    self.cuts += 1
                    cutting.set()
                    if self._deliver:
                        up_writer.write(data)
                        await up_writer.drain()
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(answered.wait(), CUT_TIMEOUT_SECONDS)
                    return
                up_writer.write(data)
                await up_writer.drain()

        async def server_to_client() -> None:
            while data := await up_reader.read(65536):
                if cutting.is_set():
                    answered.set()  # swallowed: the client never hears it
                    continue
                writer.write(data)
                await writer.drain()

        pumps = [asyncio.ensure_future(p) for p in (client_to_server(), server_to_client())]
        with contextlib.suppress(ConnectionError, OSError):
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        for pump in pumps:
            pump.cancel()
        for w in (writer, up_writer):
            self._writers.discard(w)
            w.close()


@pytest.fixture
def relay(pg_database_url: str) -> Iterator[tuple[str, CuttingRelay]]:
    parts = urlsplit(pg_database_url)
    proxy = CuttingRelay((parts.hostname or "127.0.0.1", parts.port or 5432))
    netloc = parts.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{proxy.port}"
    # No TLS, so the relay can see the COMMIT; a short wait for a connection.
    url = parts._replace(netloc=netloc).geturl() + "&sslmode=disable&pool_timeout=1"
    yield url, proxy
    proxy.close()


@pytest.fixture
def proxied(relay: tuple[str, CuttingRelay]) -> Iterator[tuple[TestClient, CuttingRelay]]:
    url, proxy = relay
    with TestClient(create_app(Settings(database_url=url, **FAST_HASH))) as client:
        yield client, proxy


def count(client: TestClient, token: str) -> int:
    response = client.post("/v3/contact/get", json={"token": token})
    assert response.status_code == 200, response.text
    return int(response.json()["count"])


@pytest.mark.postgres
def test_a_connection_cut_during_commit_is_503_outcome_unknown(
    proxied: tuple[TestClient, CuttingRelay],
) -> None:
    client, proxy = proxied
    tenant = Api(client).tenant()
    body = {"token": tenant.token, "contacts": [contact(1), contact(2)]}

    proxy.cut_at(b"COMMIT", deliver=True)
    response = client.post("/v3/contact/add", json=body, headers={KEY: "cut-at-commit"})
    assert proxy.cuts == 1
    assert response.status_code == 503, response.text
    assert response.headers[OUTCOME] == "unknown"
    assert response.json()["code"] == 503
    assert "may have been applied" in response.json()["msg"]
    assert "Idempotency-Key" in response.json()["msg"]

    # The COMMIT landed: the retry with its key is answered from it, not applied again.
    retried = client.post("/v3/contact/add", json=body, headers={KEY: "cut-at-commit"})
    assert retried.status_code == 200, retried.text
    assert retried.headers["idempotent-replayed"] == "true"
    assert count(client, tenant.token) == 2


@pytest.mark.postgres
def test_a_v1_note_cut_during_commit_and_retried_is_appended_once(
    proxied: tuple[TestClient, CuttingRelay],
) -> None:
    client, proxy = proxied
    tenant = Api(client).tenant()
    body = {"token": tenant.token, "from": 9100000000, "name": "Mike Ross", "info": "call"}
    proxy.cut_at(b"COMMIT", deliver=True)
    response = client.post("/v1/updateContact", json=body, headers={KEY: "note"})
    assert (response.status_code, response.headers[OUTCOME]) == (503, "unknown")
    assert client.post("/v1/updateContact", json=body, headers={KEY: "note"}).status_code == 200
    listed = client.post("/v1/getContact", json={"token": tenant.token, "page": 1}).json()
    assert [n["msg"] for n in listed["contacts"][0]["notes"]] == ["call"]


@pytest.mark.postgres
def test_a_connection_cut_before_commit_is_503_not_applied(
    proxied: tuple[TestClient, CuttingRelay],
) -> None:
    client, proxy = proxied
    tenant = Api(client).tenant()
    body = {"token": tenant.token, "contacts": [contact(1)]}

    proxy.cut_at(b"INSERT INTO contacts", deliver=False)
    response = client.post("/v3/contact/add", json=body, headers={KEY: "cut-in-insert"})
    assert proxy.cuts == 1
    assert response.status_code == 503, response.text
    assert response.headers[OUTCOME] == "not-applied"
    assert "had no effect" in response.json()["msg"]
    assert count(client, tenant.token) == 0

    retried = client.post("/v3/contact/add", json=body, headers={KEY: "cut-in-insert"})
    assert retried.status_code == 200, retried.text
    assert "idempotent-replayed" not in retried.headers  # nothing was kept: it ran now
    assert count(client, tenant.token) == 1


@pytest.mark.postgres
def test_a_database_refusing_connections_is_503_not_applied(
    proxied: tuple[TestClient, CuttingRelay],
) -> None:
    client, proxy = proxied
    tenant = Api(client).tenant()
    proxy.refuse()
    for path, body in (
        ("/v3/contact/add", {"token": tenant.token, "contacts": [contact(1)]}),
        ("/v3/contact/get", {"token": tenant.token}),
    ):
        response = client.post(path, json=body)
        assert response.status_code == 503, response.text
        assert response.headers[OUTCOME] == "not-applied"
    proxy.refuse(False)
    deadline = time.monotonic() + 20
    while client.get("/healthz").status_code != 200:
        assert time.monotonic() < deadline, "the pool did not reconnect"
        time.sleep(0.2)
    assert count(client, tenant.token) == 0


def test_sqlite_busy_is_not_applied(tmp_path: Path) -> None:
    """Another process holds the write lock past the busy timeout: a 503, not applied."""
    path = tmp_path / "contactd.db"
    settings = Settings(database_url=f"sqlite:///{path}", **FAST_HASH)
    with TestClient(create_app(settings)) as client:
        tenant = Api(client).tenant()
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            response = client.post(
                "/v3/contact/add", json={"token": tenant.token, "contacts": [contact(1)]}
            )
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert response.status_code == 503, response.text
        assert response.headers[OUTCOME] == "not-applied"
        assert count(client, tenant.token) == 0

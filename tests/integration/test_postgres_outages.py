"""The PostgreSQL backend when its database is away: the bounded wait at start, 503 while
it is gone, a reconnect (not an error) once it is back, and dead connections replaced
where retrying is safe."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings
from contactd.domain.models import App
from contactd.domain.store import StoreUnavailable
from contactd.store import open_store
from contactd.store.postgres import PostgresStore
from tests.helpers import FAST_HASH, Api, contact
from tests.server_process import free_port

pytestmark = pytest.mark.postgres

APP_ID = 1234567


# -- an unreachable database --------------------------------------------------------------
@pytest.mark.anyio
async def test_start_waits_a_bounded_time_then_reports_unavailable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="contactd.store")
    url = f"postgresql://postgres:pw@127.0.0.1:{free_port()}/test"
    with pytest.raises(StoreUnavailable, match="unreachable after"):
        await open_store(url, wait_seconds=0.5)
    attempts = [r.getMessage() for r in caplog.records if "not reachable" in r.getMessage()]
    assert len(attempts) >= 2, "each attempt is logged"
    assert all(":***@" in m and "pw@" not in m for m in attempts), "no password in logs"


class _Proxy:
    """A TCP relay to PostgreSQL that the test can cut, as a network or server failure."""

    def __init__(self, host: str, port: int) -> None:
        self._upstream = (host, port)
        self.port = 0
        # The accept thread adds the connections it relays while the test drops or cuts
        # them: one lock over the list, and a cut that a connection made meanwhile sees.
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._cut = False
        self.resume()

    def resume(self) -> None:
        """Listen (again, on the same port once it has one) and relay."""
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self.port = self._listener.getsockname()[1]
        with self._lock:
            self._cut = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self._upstream)
            with self._lock:
                if self._cut:  # cut while this connection was being made: it never relays
                    _close([client, upstream])
                    return
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def _take_sockets(self, *, cut: bool) -> list[socket.socket]:
        with self._lock:
            self._cut = self._cut or cut
            sockets, self._sockets = self._sockets, []
        return sockets

    def drop_connections(self) -> None:
        """End every relayed connection but keep listening: a PostgreSQL restart."""
        _close(self._take_sockets(cut=False))

    def cut(self) -> None:
        sockets = self._take_sockets(cut=True)
        # shutdown first: a bare close() leaves a thread blocked in accept() listening.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        _close(sockets)


def _close(sockets: list[socket.socket]) -> None:
    for s in sockets:
        with contextlib.suppress(OSError):
            s.shutdown(socket.SHUT_RDWR)
        s.close()


@pytest.fixture
def proxied_url(pg_database_url: str) -> Iterator[tuple[str, _Proxy]]:
    parts = urlsplit(pg_database_url)
    proxy = _Proxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    netloc = parts.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{proxy.port}"
    # A short pool timeout: a request meets the outage within the test's patience.
    yield f"{parts._replace(netloc=netloc).geturl()}&pool_timeout=0.5", proxy
    proxy.cut()


def test_healthz_and_requests_answer_503_when_the_database_goes_away(
    proxied_url: tuple[str, _Proxy],
) -> None:
    url, proxy = proxied_url
    settings = Settings(database_url=url, **FAST_HASH)
    with TestClient(create_app(settings)) as client:
        healthy = client.get("/healthz")
        assert healthy.status_code == 200
        assert healthy.json()["backend"] == "postgresql"
        tenant = Api(client).tenant()

        proxy.cut()
        for _ in range(2):  # a broken pooled connection, then an empty pool
            response = client.get("/healthz")
            assert response.status_code == 503
            body = response.json()
            assert body["code"] == 503 and body["status"] == "error"
            assert "postgresql" in body["msg"]
        response = client.post("/v3/contact/get", json={"token": tenant.token})
        assert response.status_code == 503, response.text
        assert response.json()["status"] == "error"
        response = client.post(
            "/v3/contact/add", json={"token": tenant.token, "contacts": [contact(1)]}
        )
        assert response.status_code == 503, response.text

        proxy.resume()  # the database is back: so is the service, without a restart
        deadline = time.monotonic() + 20
        while client.get("/healthz").status_code != 200:
            assert time.monotonic() < deadline, "the pool did not reconnect"
            time.sleep(0.2)
        response = client.post(
            "/v3/contact/add", json={"token": tenant.token, "contacts": [contact(1)]}
        )
        assert response.status_code == 200, response.text


def test_a_restarted_database_costs_a_reconnect_not_an_error(
    proxied_url: tuple[str, _Proxy], caplog: pytest.LogCaptureFixture
) -> None:
    url, proxy = proxied_url
    url = url.replace("pool_timeout=0.5", "pool_timeout=5")
    settings = Settings(database_url=url, **FAST_HASH)
    caplog.set_level(logging.WARNING, logger="contactd.store")
    with TestClient(create_app(settings)) as client:
        tenant = Api(client).tenant()
        proxy.drop_connections()  # every pooled connection is now dead
        assert client.get("/healthz").status_code == 200
        proxy.drop_connections()
        response = client.post("/v3/contact/get", json={"token": tenant.token})
        assert response.status_code == 200, response.text
        proxy.drop_connections()
        response = client.post(
            "/v3/contact/add", json={"token": tenant.token, "contacts": [contact(1)]}
        )
        assert response.status_code == 200, response.text
    assert any("retrying on a fresh connection" in r.getMessage() for r in caplog.records)


@pytest.mark.anyio
async def test_dead_connections_are_replaced_where_retrying_is_safe(
    proxied_url: tuple[str, _Proxy], caplog: pytest.LogCaptureFixture
) -> None:
    url, proxy = proxied_url
    store = await open_store(url, wait_seconds=5)
    assert isinstance(store, PostgresStore)
    caplog.set_level(logging.WARNING, logger="contactd.store")
    try:
        proxy.drop_connections()
        assert await store.add_app(App(APP_ID, "Test", b"hash", "91", 1))
        proxy.drop_connections()
        assert await store.list_contacts(APP_ID, offset=0, limit=10, name="") == (0, [])
        proxy.cut()
        for read in (
            store.get_app(APP_ID),
            store.list_contacts(APP_ID, offset=0, limit=1, name=""),
        ):
            with pytest.raises(StoreUnavailable):
                await read
    finally:
        await store.close()
    retries = [r for r in caplog.records if "retrying on a fresh connection" in r.getMessage()]
    assert len(retries) >= 2

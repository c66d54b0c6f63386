"""A pytest plugin that serves a real contactd to your tests, offline.

Installed with contactd (entry point `pytest11: contactd`), it provides the fixture
`contactd_server`: a contactd on a free port of 127.0.0.1, over a fresh SQLite store in
the test's temporary directory, with one app and one logged-in user. Point the TeleCMI
client under test at `contactd_server.base_url` (the way moto serves AWS):

```python
def test_sync_pushes_contacts(contactd_server):
    crm = MyTeleCMIClient(base_url=contactd_server.base_url, token=contactd_server.token)
    crm.push_contacts(...)
```

The fixture needs the server: `pip install 'contactd[server]'`. Importing this module
does not, so an SDK-only install still loads the plugin without error.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    import uvicorn

    from contactd.api.operations import Services

__all__ = [
    "DEFAULT_PASSWORD",
    "ContactdServer",
    "app_services",
    "contactd_server",
    "serve_contactd",
]

DEFAULT_PASSWORD = "contactd-test-password"  # noqa: S105 (a throwaway test user)
DEFAULT_EXTENSION = 1001
START_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, kw_only=True)
class ContactdServer:
    """A running contactd: where it is, and the credentials of its app and user."""

    base_url: str
    appid: int
    # Credentials stay out of the repr: pytest prints a fixture's value on failure.
    secret: str = field(repr=False)
    user_id: str
    password: str = field(repr=False)
    token: str = field(repr=False)

    def url(self, path: str) -> str:
        return self.base_url + path


def _require_server() -> None:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(
            "contactd_server needs the server: pip install 'contactd[server]'"
        ) from exc


def _create_app(database_url: str) -> tuple[int, str]:
    from contactd.domain.apps import AppService
    from contactd.store import open_store

    async def create() -> tuple[int, str]:
        store = await open_store(database_url)
        try:
            app, secret = await AppService(store).create("contactd test app")
        finally:
            await store.close()
        return app.app_id, secret

    return asyncio.run(create())


def _start(database_url: str) -> tuple[uvicorn.Server, threading.Thread, str]:
    """uvicorn in a thread, on a socket bound before it starts (no port race)."""
    import uvicorn

    from contactd.config import Settings
    from contactd.serving import server_config

    settings = Settings(database_url=database_url, argon2_time_cost=1, argon2_memory_kib=1024)
    # The limits, the protocol and the app factory of `contactd serve` (which prepares
    # this process as it does each of its own), so tests see what a client would.
    config = server_config(settings, lifespan="on", log_level="warning", loop="asyncio")
    server = uvicorn.Server(config)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    pause = threading.Event()  # never set: a sleep that reads as one
    while not server.started and thread.is_alive():
        pause.wait(0.01)
    if not server.started:
        server.should_exit = True
        thread.join(START_TIMEOUT_SECONDS)
        raise RuntimeError("contactd did not start; see the log above")
    return server, thread, f"http://127.0.0.1:{port}"


def _provision(base_url: str, appid: int, secret: str) -> tuple[str, str]:
    """A user in the app, logged in: (user_id, token)."""
    with httpx.Client(base_url=base_url, timeout=START_TIMEOUT_SECONDS) as http:
        added = http.post(
            "/v3/user/add",
            json={
                "appid": appid, "secret": secret, "extension": DEFAULT_EXTENSION,
                "first_name": "Test", "last_name": "User",
                "phone_number": "919800000000", "password": DEFAULT_PASSWORD,
            },
        )  # fmt: skip
        added.raise_for_status()
        user_id = str(added.json()["agent"]["agent_id"])
        login = http.post("/v2/user/login", json={"id": user_id, "password": DEFAULT_PASSWORD})
        login.raise_for_status()
        return user_id, str(login.json()["token"])


def serve_contactd(directory: Path) -> Iterator[ContactdServer]:
    """Run contactd over a store in `directory` until the generator is closed.

    The building block of `contactd_server`; use it for a fixture of another scope.
    """
    _require_server()
    database_url = f"sqlite:///{directory / 'contactd.db'}"
    appid, secret = _create_app(database_url)
    server, thread, base_url = _start(database_url)
    try:
        user_id, token = _provision(base_url, appid, secret)
        yield ContactdServer(
            base_url=base_url, appid=appid, secret=secret, user_id=user_id,
            password=DEFAULT_PASSWORD, token=token,
        )  # fmt: skip
    finally:
        server.should_exit = True
        thread.join(START_TIMEOUT_SECONDS)


def app_services(app: object) -> Services:
    """The services of a started `create_app` application, typed: for tests that reach
    past HTTP to a domain service or the store (`app_services(client.app).store`).

    Raises `TypeError` for another application and `RuntimeError` before its lifespan
    has built the services (a `TestClient` used outside its `with` block).
    """
    from contactd.api.app import ContactdApp
    from contactd.api.operations import Services

    if not isinstance(app, ContactdApp):
        raise TypeError(f"not a contactd application: {app!r}")
    services = getattr(app.state, "services", None)
    if not isinstance(services, Services):
        raise RuntimeError("the application has not started: its services are not built yet")
    return services


@pytest.fixture
def contactd_server(tmp_path: Path) -> Iterator[ContactdServer]:
    """A fresh contactd for one test: base_url, appid, secret, user_id, password, token."""
    yield from serve_contactd(tmp_path)

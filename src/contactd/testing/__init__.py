"""A pytest plugin, and helpers, that serve a real contactd to your tests, offline.

Installed with contactd (entry point `pytest11: contactd`), it provides the fixtures

- `contactd_server`: a contactd of the test's own on a free port of 127.0.0.1, over a
  fresh SQLite store in the test's temporary directory, with one app and one logged-in
  user;
- `contactd_app`: a fresh app (and its user) on a contactd shared by the tests of one
  process (`contactd_shared_server`, one per pytest-xdist worker): quicker, and as
  isolated, since every call acts on one app;

both in stand-in mode, with the control API as methods (`.reset()`, `.seed()`,
`.faults()`, `.requests()`, `.advance_clock()`). Point the TeleCMI client under test at
`base_url` (the way moto serves AWS), or leave its URLs alone inside `mock_telecmi()`:

```python
def test_sync_pushes_contacts(contactd_server):
    crm = MyTeleCMIClient(base_url=contactd_server.base_url, token=contactd_server.token)
    crm.push_contacts(...)
```

The fixtures need the server (`pip install 'contactd[server]'`), `mock_telecmi` also
the interceptors (`contactd[testing]`). Importing this module needs neither, so an
SDK-only install still loads the plugin without error. docs/stand-in.md.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from contactd.testing.handle import DEFAULT_PASSWORD, ContactdServer, ControlError
from contactd.testing.server import StandInServer
from contactd.testing.telecmi import TELECMI_HOSTS, TeleCMIMock, current_telecmi, mock_telecmi

if TYPE_CHECKING:
    from contactd.api.operations import Services

__all__ = [
    "DEFAULT_PASSWORD",
    "TELECMI_HOSTS",
    "ContactdServer",
    "ControlError",
    "StandInServer",
    "TeleCMIMock",
    "app_services",
    "contactd_app",
    "contactd_server",
    "contactd_shared_server",
    "current_telecmi",
    "mock_telecmi",
    "serve_contactd",
]


def serve_contactd(directory: Path) -> Iterator[ContactdServer]:
    """Run contactd over a store in `directory` until the generator is closed.

    The building block of `contactd_server`; use it for a fixture of another scope.
    """
    with StandInServer(directory) as server:
        yield server.new_app()


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


@pytest.fixture(scope="session")
def contactd_shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandInServer]:
    """One stand-in contactd for the tests of this process: under pytest-xdist, one per
    worker (a session fixture lives in each worker process)."""
    with StandInServer(tmp_path_factory.mktemp("contactd")) as server:
        yield server


@pytest.fixture
def contactd_app(contactd_shared_server: StandInServer) -> Iterator[ContactdServer]:
    """A fresh app, its user and token, on the shared server: what `contactd_server`
    gives, without a server of its own; emptied when the test ends."""
    app = contactd_shared_server.new_app()
    yield app
    # Only a clean-up: no other test sees this app, so one that cannot be emptied (the
    # test rotated its secret) harms nobody.
    with contextlib.suppress(ControlError):
        app.reset(keep_user=False)

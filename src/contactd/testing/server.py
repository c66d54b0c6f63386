"""contactd in a thread of the test process, in stand-in mode: the server behind the
fixtures and `mock_telecmi`.

It serves a SQLite store in a directory of the test's, on a free port of 127.0.0.1,
with the limits, protocol and app factory of `contactd serve`. Apps are created while
it runs through its control channel (the socket beside the store, as `contactd app
create` does): the server is the store's only writer.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from contactd.testing._exits import EndsWithBlock
from contactd.testing.handle import DEFAULT_PASSWORD, ContactdServer, provision

if TYPE_CHECKING:
    import uvicorn

__all__ = ["START_TIMEOUT_SECONDS", "StandInServer", "require_server"]

START_TIMEOUT_SECONDS = 30.0


def require_server() -> None:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise RuntimeError(
            "contactd's test helpers need the server: pip install 'contactd[server]'"
        ) from exc


class StandInServer(EndsWithBlock):
    """A stand-in contactd over `directory/contactd.db`, started by `start()` (or `with`).

    Each `new_app()` is an app of its own with its user logged in: tests holding
    different apps share the server and never each other's state.
    """

    def __init__(self, directory: Path) -> None:
        self.database = directory / "contactd.db"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self._apps = 0
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def __repr__(self) -> str:
        return f"StandInServer(base_url={self.base_url!r})"

    def start(self) -> StandInServer:
        """uvicorn in a thread, on a socket bound before it starts (no port race)."""
        require_server()
        import uvicorn

        from contactd.config import Settings
        from contactd.serving import server_config

        settings = Settings(
            database_url=f"sqlite:///{self.database}",
            stand_in=True,
            argon2_time_cost=1,
            argon2_memory_kib=1024,
        )
        # `contactd serve`'s limits, protocol and app factory (which prepares this process
        # as it does each of its own), so tests see what a client would.
        config = server_config(settings, lifespan="on", log_level="warning", loop="asyncio")
        server = uvicorn.Server(config)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="contactd"
        )
        thread.start()
        self._server, self._thread = server, thread
        pause = threading.Event()  # never set: a sleep that reads as one
        while not server.started and thread.is_alive():
            pause.wait(0.01)
        if not server.started:
            self.stop()
            raise RuntimeError("contactd did not start; see the log above")
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(START_TIMEOUT_SECONDS)
        self._server = self._thread = None

    def __enter__(self) -> StandInServer:
        return self.start()

    def _end(self) -> None:
        self.stop()

    def create_app(
        self, name: str, *, appid: int | None = None, secret: str | None = None
    ) -> tuple[int, str]:
        """A new app on the running server, with the given or random credentials:
        (appid, secret)."""
        from contactd.control.client import send
        from contactd.control.wire import AppCreate
        from contactd.store.sqlite_files import socket_path

        reply = send(socket_path(self.database), AppCreate(name=name, appid=appid, secret=secret))
        if reply.error is not None:
            raise RuntimeError(f"contactd could not create the app {name!r}: {reply.error}")
        return int(reply.result["appid"]), str(reply.result["secret"])

    def new_app(self, *, appid: int | None = None, secret: str | None = None) -> ContactdServer:
        """A fresh app (with the given or random credentials) and its user, extension
        1001, logged in."""
        with self._lock:
            self._apps += 1
            name = f"contactd test app {self._apps}"
        appid, secret = self.create_app(name, appid=appid, secret=secret)
        user_id, token = provision(self._port, appid, secret)
        return ContactdServer(
            base_url=self.base_url, appid=appid, secret=secret, user_id=user_id,
            password=DEFAULT_PASSWORD, token=token,
        )  # fmt: skip

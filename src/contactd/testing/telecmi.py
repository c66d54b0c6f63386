"""`mock_telecmi()`: the vendor's hostnames answered by an in-process contactd, as
moto's `mock_aws` answers boto3.

```python
from contactd.testing import mock_telecmi

def test_sync():
    with mock_telecmi() as telecmi:     # telecmi.appid, .secret, .user_id, .token, ...
        my_client.sync()                # https://piopiy.telecmi.com/... reaches contactd

@mock_telecmi                           # or @mock_telecmi(); async functions too
def test_other():
    ...
```

Each entry starts a contactd of its own (stand-in mode, a temporary SQLite store, one
app, one user and its token) and routes to it; on exit the server stops and its store
is deleted. Entries nest: the innermost active one answers, and the one around it
again once it exits. The routing is process-wide (any thread's requests), so two
blocks running side by side in different threads would share the later one's server.
"""

from __future__ import annotations

import functools
import inspect
import tempfile
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, ParamSpec, TypeVar, overload

from contactd.testing import loopback
from contactd.testing._exits import EndsWithBlock
from contactd.testing.handle import ContactdServer
from contactd.testing.intercept import TELECMI_HOSTS, Interceptors
from contactd.testing.server import StandInServer

__all__ = ["TELECMI_HOSTS", "TeleCMIMock", "active_port", "current_telecmi", "mock_telecmi"]

P = ParamSpec("P")
R = TypeVar("R")


class _Routing:
    """Which contactd the vendor's hosts reach: the innermost active mock's. The
    interceptors are installed while at least one is active."""

    def __init__(self) -> None:
        self._active: list[tuple[int, ContactdServer]] = []
        self._interceptors: Interceptors | None = None
        self._lock = threading.Lock()

    def push(self, port: int, app: ContactdServer) -> None:
        with self._lock:
            if not self._active:
                interceptors = Interceptors(self.port)
                interceptors.install()
                self._interceptors = interceptors
            self._active.append((port, app))

    def pop(self, port: int) -> None:
        with self._lock:
            # This port's entry, the last one first: blocks leave in the order they came.
            index = max(i for i, (p, _) in enumerate(self._active) if p == port)
            del self._active[index]
            if not self._active and self._interceptors is not None:
                self._interceptors.uninstall()
                self._interceptors = None

    def port(self) -> int:
        return self.innermost()[0]

    def innermost(self) -> tuple[int, ContactdServer]:
        with self._lock:
            if not self._active:
                raise loopback.Refused("no mock_telecmi is active")
            return self._active[-1]


_routing = _Routing()


def current_telecmi() -> ContactdServer:
    """The app of the innermost active `mock_telecmi`: what a decorated function, which
    is handed nothing, uses for credentials. `RuntimeError` outside any."""
    try:
        return _routing.innermost()[1]
    except loopback.Refused:
        raise RuntimeError("current_telecmi() outside mock_telecmi()") from None


def active_port() -> int | None:
    """The port of the contactd the vendor's hosts reach now; None outside any block."""
    try:
        return _routing.port()
    except loopback.Refused:
        return None


@dataclass(frozen=True)
class _Session:
    directory: tempfile.TemporaryDirectory[str]
    server: StandInServer
    app: ContactdServer


class TeleCMIMock(EndsWithBlock):
    """What `mock_telecmi()` gives: a context manager (`with`, `async with`) yielding the
    `ContactdServer` of its app, and a decorator of sync and async functions."""

    def __init__(self, *, appid: int | None = None, secret: str | None = None) -> None:
        self._appid = appid
        self._secret = secret
        self._sessions: list[_Session] = []
        self._lock = threading.Lock()

    def __enter__(self) -> ContactdServer:
        directory = tempfile.TemporaryDirectory(prefix="contactd-telecmi-")
        server = StandInServer(Path(directory.name))
        try:
            server.start()
            app = server.new_app(appid=self._appid, secret=self._secret)
            _routing.push(server.port, app)
        except BaseException:
            server.stop()
            directory.cleanup()
            raise
        with self._lock:
            self._sessions.append(_Session(directory, server, app))
        return app

    def _end(self) -> None:
        with self._lock:
            session = self._sessions.pop()
        try:
            _routing.pop(session.server.port)
        finally:
            session.server.stop()
            session.directory.cleanup()

    async def __aenter__(self) -> ContactdServer:
        import anyio.to_thread

        # Starting a server waits for it: not on the caller's event loop.
        return await anyio.to_thread.run_sync(self.__enter__)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        import anyio.to_thread

        await anyio.to_thread.run_sync(self._end)

    def __call__(self, func: Callable[P, R]) -> Callable[P, R]:
        """Decorate `func`: each call runs inside a mock of its own (a fresh server)."""
        if inspect.iscoroutinefunction(func):
            coroutine: Callable[P, Awaitable[Any]] = func

            @functools.wraps(func)
            async def run_async(*args: P.args, **kwargs: P.kwargs) -> Any:
                async with TeleCMIMock(appid=self._appid, secret=self._secret):
                    return await coroutine(*args, **kwargs)

            return run_async  # type: ignore[return-value]

        @functools.wraps(func)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with TeleCMIMock(appid=self._appid, secret=self._secret):
                return func(*args, **kwargs)

        return run


@overload
def mock_telecmi(func: Callable[P, R], /) -> Callable[P, R]: ...
@overload
def mock_telecmi(
    func: None = None, /, *, appid: int | None = None, secret: str | None = None
) -> TeleCMIMock: ...
def mock_telecmi(
    func: Callable[P, R] | None = None,
    /,
    *,
    appid: int | None = None,
    secret: str | None = None,
) -> TeleCMIMock | Callable[P, R]:
    """Route requests to piopiy.telecmi.com and rest.telecmi.com (http and https), made
    with requests, httpx (sync and async) or urllib.request, to an in-process contactd.

    `with mock_telecmi() as telecmi:` (or `async with`), `@mock_telecmi` or
    `@mock_telecmi(...)`. `telecmi` (or `current_telecmi()` in a decorated function) is
    a `ContactdServer`: the app's appid and secret, the user's user_id, password and
    token, and the control methods (reset, seed, faults, requests, advance_clock).
    `appid` and `secret` choose the app's credentials (those your code is configured
    with); its user is then `1001_{appid}` with the password `DEFAULT_PASSWORD`.
    Other hosts are not touched.
    """
    mock = TeleCMIMock(appid=appid, secret=secret)
    return mock if func is None else mock(func)

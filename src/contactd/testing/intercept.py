"""The interceptors of `mock_telecmi`: requests to the vendor's hosts, made with httpx,
requests or urllib, answered by a contactd on 127.0.0.1, with the client's URLs as
they are.

- httpx (sync and async): a respx router, on httpcore (so clients with transports of
  their own are covered too);
- requests: a responses mock;
- urllib.request: an opener with one more handler (`build_opener` + `install_opener`,
  the standard library's extension point), the previous opener put back on exit. A
  client that builds an opener of its own, or passes `context=` to `urlopen` (which
  builds one), is not covered.

Each forwards the request (method, path and query, headers, body) with `http.client`
(contactd.testing.loopback), which none of them patches, and turns a connection the
server dropped into the library's own error. Requests to other hosts pass through.
"""

from __future__ import annotations

import http.client
import io
import re
import urllib.error
import urllib.request
import urllib.response
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from contactd.testing import loopback

if TYPE_CHECKING:
    import httpx
    import requests
    import responses
    import respx

__all__ = ["TELECMI_HOSTS", "Interceptors"]

TELECMI_HOSTS = ("piopiy.telecmi.com", "rest.telecmi.com")
"""The vendor's API hosts (http and https, any port)."""
_TELECMI_URL = r"https?://(?:piopiy|rest)\.telecmi\.com(?::\d+)?(?:[/?#]|$)"
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_INSTALL_HINT = "mock_telecmi needs respx and responses: pip install 'contactd[testing]'"

PortOf = Callable[[], int]
"""The port of the contactd that answers now (the innermost active `mock_telecmi`);
raises `loopback.Refused` when none is active."""


def is_telecmi(host: str) -> bool:
    return host.lower().rstrip(".") in TELECMI_HOSTS


def _read_timeout(value: Any) -> float | None:
    """A read timeout out of what requests' adapters are given: a number, a
    (connect, read) pair, a urllib3 `Timeout`, or None."""
    if isinstance(value, tuple):
        value = value[1] if len(value) > 1 else value[0]
    if value is None or isinstance(value, int | float):
        return value
    read = getattr(value, "read_timeout", None)
    return read if isinstance(read, int | float) else None


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _body_bytes(body: object) -> bytes:
    """A prepared request's body as the bytes http.client would send: a str is encoded
    as latin-1, a file is read, an iterable of chunks joined."""
    if body is None:
        return b""
    if isinstance(body, str | bytes):
        return body.encode("latin-1") if isinstance(body, str) else body
    read = getattr(body, "read", None)
    if callable(read):
        return _body_bytes(read())
    if isinstance(body, Iterable):
        return b"".join(_body_bytes(part) for part in body)
    return bytes(memoryview(body))  # type: ignore[arg-type]


class Interceptors:
    """All three, installed and removed together."""

    def __init__(self, port_of: PortOf) -> None:
        self._port_of = port_of
        self._router: respx.MockRouter | None = None
        self._requests_mock: responses.RequestsMock | None = None
        self._opener: urllib.request.OpenerDirector | None = None
        self._previous_opener: urllib.request.OpenerDirector | None = None

    def install(self) -> None:
        try:
            self._install_httpx()
            self._install_requests()
            self._install_urllib()
        except BaseException:
            self.uninstall()
            raise

    def uninstall(self) -> None:
        if self._opener is not None:
            # Put back what was there, unless the block installed an opener of its own
            # (which has none of our handlers: nothing of ours stays behind).
            if getattr(urllib.request, "_opener", None) is self._opener:
                urllib.request.install_opener(self._previous_opener)
            self._opener = self._previous_opener = None
        if self._requests_mock is not None:
            self._requests_mock.stop(allow_assert=False)
            self._requests_mock = None
        if self._router is not None:
            self._router.stop(quiet=True)
            self._router = None

    # -- httpx, through respx --------------------------------------------------------
    def _install_httpx(self) -> None:
        try:
            import respx
        except ImportError as exc:
            raise RuntimeError(_INSTALL_HINT) from exc
        router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
        router.route(host__in=TELECMI_HOSTS, name="telecmi").mock(side_effect=self._httpx_forward)
        router.route(name="other hosts").mock(side_effect=self._httpx_other)
        router.start()
        self._router = router

    def _httpx_other(self, request: httpx.Request) -> httpx.Request | None:
        """Another host: pass it through, unless other respx routers are active, whose
        own rules then decide (ours declines, and respx asks the next router)."""
        from respx.mocks import HTTPCoreMocker

        return request if HTTPCoreMocker.routers == [self._router] else None

    def _httpx_forward(self, request: httpx.Request) -> httpx.Response:
        # Synchronous for both clients (respx gives a route no way to tell them apart):
        # for an async client the loop waits for the loopback answer, and a `delay_ms`
        # fault holds it; httpx's own timeouts are honoured.
        import httpx

        timeout = request.extensions.get("timeout", {}).get("read")
        target = request.url.raw_path.decode("ascii")
        try:
            answer = loopback.send(
                self._port_of(), request.method, target, request.headers.multi_items(),
                request.content, timeout=timeout,
            )  # fmt: skip
        except loopback.Refused as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except loopback.Dropped as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        except loopback.TimedOut as exc:
            raise httpx.ReadTimeout(str(exc), request=request) from exc
        return httpx.Response(
            answer.status, headers=answer.headers, content=answer.body, request=request
        )

    # -- requests, through responses ---------------------------------------------------
    def _install_requests(self) -> None:
        try:
            from requests.adapters import HTTPAdapter
        except ImportError:  # no requests, nothing of it to intercept
            return
        try:
            import responses
        except ImportError as exc:
            raise RuntimeError(_INSTALL_HINT) from exc
        # Requests to other hosts go on to what was there: the network, or a responses
        # mock of the caller's that was started before this one.
        current_send: Any = HTTPAdapter.send
        mock = responses.RequestsMock(
            assert_all_requests_are_fired=False, real_adapter_send=current_send
        )
        pattern = re.compile(_TELECMI_URL, re.IGNORECASE)
        # The answer's headers as a list of pairs (repeated names kept), which responses
        # takes though its annotation says a mapping.
        forward: Any = self._requests_forward
        for method in _METHODS:
            mock.add_callback(method, pattern, callback=forward, content_type=None)
        mock.add_passthru(re.compile(f"(?!{_TELECMI_URL})", re.IGNORECASE))
        mock.start()
        self._requests_mock = mock

    def _requests_forward(
        self, request: requests.PreparedRequest
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        import requests

        url = urlsplit(str(request.url))
        target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        headers = [("Host", url.netloc.rpartition("@")[2])]
        headers += [(name, _text(value)) for name, value in request.headers.items()]
        body = _body_bytes(request.body)
        timeout = _read_timeout(getattr(request, "req_kwargs", {}).get("timeout"))
        method = request.method or "GET"
        try:
            answer = loopback.send(self._port_of(), method, target, headers, body, timeout=timeout)
        except loopback.TimedOut as exc:
            raise requests.ReadTimeout(str(exc), request=request) from exc
        except (loopback.Refused, loopback.Dropped) as exc:
            raise requests.ConnectionError(str(exc), request=request) from exc
        return answer.status, answer.headers, answer.body

    # -- urllib.request, through an opener ---------------------------------------------
    def _install_urllib(self) -> None:
        self._previous_opener = getattr(urllib.request, "_opener", None)
        self._opener = urllib.request.build_opener(_TeleCMIHandler(self._port_of))
        urllib.request.install_opener(self._opener)


class _Answer(urllib.response.addinfourl):
    """An answer read whole before `urlopen` returns, so that a connection contactd
    drops mid-answer is `urlopen`'s URLError rather than a later `read()`'s; it reads,
    and answers `status`, `reason`, `headers` and `getheader`, as an HTTPResponse."""

    def __init__(self, response: http.client.HTTPResponse, body: bytes, url: str) -> None:
        super().__init__(io.BytesIO(body), response.headers, url, response.status)
        self.reason = response.reason
        self.msg = response.reason  # as urllib's do_open sets it; its error handler reads it

    def getheader(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)

    def getheaders(self) -> list[tuple[str, str]]:
        return list(self.headers.items())


class _TeleCMIHandler(urllib.request.AbstractHTTPHandler):
    """Opens the vendor's URLs on contactd; declines the others (None), which the
    opener's default handlers then open."""

    handler_order = 100  # before the default HTTP and HTTPS handlers (500)

    def __init__(self, port_of: PortOf) -> None:
        super().__init__()
        self._port_of = port_of

    def http_open(self, req: urllib.request.Request) -> _Answer | None:
        return self._telecmi(req)

    def https_open(self, req: urllib.request.Request) -> _Answer | None:
        return self._telecmi(req)

    def _telecmi(self, req: urllib.request.Request) -> _Answer | None:
        if not is_telecmi(urlsplit(req.full_url).hostname or ""):
            return None
        try:
            port = self._port_of()
        except loopback.Refused as exc:
            raise urllib.error.URLError(exc) from exc

        def connection(host: str, timeout: Any = None, **_tls: Any) -> http.client.HTTPConnection:
            # The standard library's own request, on a connection to contactd: the
            # headers (Host too), the body, the timeout and the answer are urllib's.
            return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

        try:
            response: http.client.HTTPResponse = self.do_open(connection, req)
            with response:
                body = response.read()
        except (ConnectionError, http.client.HTTPException) as exc:
            raise urllib.error.URLError(exc) from exc
        return _Answer(response, body, req.full_url)

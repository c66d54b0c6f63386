"""`mock_telecmi()`: a client written against the vendor's hostnames, with each HTTP
library, runs unchanged against an in-process contactd; other hosts are untouched, and
nothing is left intercepted after the block."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpcore
import httpx
import pytest
import requests
import requests.adapters

from contactd.testing import ContactdServer, current_telecmi, mock_telecmi
from contactd.testing.telecmi import active_port
from tests.standin.telecmi_client import (
    PIOPIY,
    SYNC_CLIENTS,
    AsyncHttpxClient,
    HttpxClient,
    RequestsClient,
    TeleCMIClient,
    UrllibClient,
)


def book(app: ContactdServer) -> list[str]:
    """The app's contacts, read on its server's own address (not through a vendor URL)."""
    answer = httpx.post(app.url("/v3/contact/get"), json={"token": app.token}, timeout=10)
    assert answer.status_code == 200, answer.text
    return [c["first_name"] for c in answer.json()["contacts"]]


def drive(client: TeleCMIClient, app: ContactdServer) -> None:
    token = client.login(app.user_id, app.password)
    client.add_contact(token, "919200000001", "Asha", "Rao")
    client.add_contact(token, "919200000002", "Ravi", "Iyer")
    assert client.names_v3(token) == ["Asha", "Ravi"]
    assert client.count_v1(token) == 2


@pytest.mark.parametrize("library", sorted(SYNC_CLIENTS))
def test_a_client_of_each_library_reaches_contactd_at_the_vendors_hosts(library: str) -> None:
    with mock_telecmi() as telecmi:
        drive(SYNC_CLIENTS[library](), telecmi)
        assert book(telecmi) == ["Asha", "Ravi"]  # the handle's app is the one written


def test_the_async_httpx_client_inside_async_with() -> None:
    async def scenario() -> list[str]:
        async with mock_telecmi() as telecmi:
            client = AsyncHttpxClient()
            try:
                token = await client.login(telecmi.user_id, telecmi.password)
                await client.add_contact(token, "919200000001", "Asha", "Rao")
                # Concurrent calls on one loop are each answered.
                counts = await asyncio.gather(*(client.count_v1(token) for _ in range(5)))
                assert counts == [1] * 5
                return await client.names_v3(token)
            finally:
                await client.aclose()

    assert asyncio.run(scenario()) == ["Asha"]


def test_as_a_decorator_of_sync_and_async_functions() -> None:
    seen: list[tuple[int, list[str]]] = []

    @mock_telecmi
    def sync_test(name: str) -> None:
        telecmi = current_telecmi()
        client = RequestsClient()
        token = client.login(telecmi.user_id, telecmi.password)
        client.add_contact(token, "919200000001", name, "Rao")
        seen.append((telecmi.appid, client.names_v3(token)))

    @mock_telecmi()
    async def async_test(name: str) -> None:
        telecmi = current_telecmi()
        client = AsyncHttpxClient()
        token = await client.login(telecmi.user_id, telecmi.password)
        await client.add_contact(token, "919200000001", name, "Rao")
        seen.append((telecmi.appid, await client.names_v3(token)))
        await client.aclose()

    sync_test("Asha")
    sync_test("Ravi")  # a fresh server per call: Asha is not there
    asyncio.run(async_test("Mira"))
    assert [names for _, names in seen] == [["Asha"], ["Ravi"], ["Mira"]]
    assert len({appid for appid, _ in seen}) == 3
    assert active_port() is None


def test_chosen_credentials_are_the_apps() -> None:
    with mock_telecmi(appid=4242001, secret="the-secret-my-code-is-configured-with") as telecmi:
        assert (telecmi.appid, telecmi.user_id) == (4242001, "1001_4242001")
        added = requests.post(
            f"{PIOPIY}/v3/user/add",
            json={
                "appid": 4242001, "secret": "the-secret-my-code-is-configured-with",
                "extension": 1002, "first_name": "B", "last_name": "C",
                "phone_number": "919800000001", "password": "another-password",
            },
            timeout=10,
        )  # fmt: skip
        assert added.status_code == 200, added.text


def test_the_vendors_errors_arrive_as_each_librarys_own() -> None:
    with mock_telecmi() as telecmi:
        wrong = {"id": telecmi.user_id, "password": "not-the-password"}
        url = "https://rest.telecmi.com/v2/user/login"
        refused = requests.post(url, json=wrong, timeout=10)
        assert 400 <= refused.status_code < 500, refused.text
        assert httpx.post(url, json=wrong).status_code == refused.status_code
        request = urllib.request.Request(
            url, data=json.dumps(wrong).encode(), headers={"Content-Type": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(request, timeout=10)
        assert raised.value.code == refused.status_code
        assert json.loads(raised.value.read()) == refused.json()
        # A 200 reads as an HTTPResponse does.
        login = json.dumps({"id": telecmi.user_id, "password": telecmi.password}).encode()
        ok = urllib.request.Request(url, data=login, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(ok, timeout=10) as answer:
            assert (answer.status, answer.reason, answer.url) == (200, "OK", url)
            assert answer.getheader("Content-Type") == "application/json"
            assert json.loads(answer.read())["token"]


class _Recorder(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        body = json.dumps({"served_by": "local", "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    """Another host: an HTTP server on 127.0.0.1 that says it answered."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


def test_other_hosts_pass_through(local_server: str) -> None:
    _Recorder.seen.clear()

    async def async_get(url: str) -> Any:
        async with httpx.AsyncClient() as http:
            return (await http.get(url)).json()

    with mock_telecmi():
        answers = [
            requests.get(f"{local_server}/requests?x=1", timeout=10).json(),
            httpx.get(f"{local_server}/httpx").json(),
            asyncio.run(async_get(f"{local_server}/async")),
            json.load(urllib.request.urlopen(f"{local_server}/urllib", timeout=10)),
        ]
    assert [a["served_by"] for a in answers] == ["local"] * 4
    assert _Recorder.seen == ["/requests?x=1", "/httpx", "/async", "/urllib"]


def _interception_points() -> dict[str, Any]:
    """What the interceptors replace: requests' adapter, httpcore's pools, urllib's opener."""
    return {
        "requests": requests.adapters.HTTPAdapter.send,
        "httpcore sync": httpcore.ConnectionPool.handle_request,
        "httpcore async": httpcore.AsyncConnectionPool.handle_async_request,
        "urllib": getattr(urllib.request, "_opener", None),
    }


def test_after_the_block_nothing_is_intercepted() -> None:
    mine = urllib.request.build_opener()
    urllib.request.install_opener(mine)  # an opener of the caller's, to be put back
    try:
        before = _interception_points()
        with mock_telecmi():
            during = _interception_points()
            assert active_port() is not None
        after = _interception_points()
    finally:
        urllib.request.install_opener(None)
    assert all(during[point] is not before[point] for point in before), during
    assert after == before
    assert active_port() is None


def test_blocks_nest_and_the_innermost_answers() -> None:
    client = HttpxClient()
    with mock_telecmi() as outer:
        outer_token = client.login(outer.user_id, outer.password)
        client.add_contact(outer_token, "919200000001", "Outer", "One")
        with mock_telecmi() as inner:
            assert inner.appid != outer.appid
            inner_token = client.login(inner.user_id, inner.password)
            client.add_contact(inner_token, "919200000002", "Inner", "Two")
            assert client.names_v3(inner_token) == ["Inner"]
        # The outer server answers again, and its book is as it was.
        assert client.names_v3(outer_token) == ["Outer"]
        assert UrllibClient().names_v3(outer_token) == ["Outer"]
    assert active_port() is None


def test_inside_the_contactd_server_fixture(contactd_server: ContactdServer) -> None:
    with mock_telecmi() as telecmi:
        client = RequestsClient()
        token = client.login(telecmi.user_id, telecmi.password)
        client.add_contact(token, "919200000001", "Mocked", "One")
        # The fixture's server, on its own address, is reached as before, by its
        # helpers too, and holds none of the mock's contacts.
        added = requests.post(
            contactd_server.url("/v3/contact/add"),
            json={
                "token": contactd_server.token,
                "contacts": [{"phone_no": "919200000002", "first_name": "Fixture",
                              "last_name": "Two"}],
            },
            timeout=10,
        )  # fmt: skip
        assert added.status_code == 200, added.text
        assert book(contactd_server) == ["Fixture"]
        contactd_server.reset()
        assert book(contactd_server) == []
        assert client.names_v3(token) == ["Mocked"]


def test_with_the_callers_own_respx_and_responses_mocks() -> None:
    import responses
    import respx

    with responses.RequestsMock() as theirs:
        theirs.get("https://api.example.com/crm", json={"from": "their responses"})
        with mock_telecmi() as telecmi, respx.mock(assert_all_called=False) as their_router:
            their_router.get("https://api.example.com/crm").respond(json={"from": "their respx"})
            assert httpx.get("https://api.example.com/crm").json() == {"from": "their respx"}
            crm = requests.get("https://api.example.com/crm", timeout=10).json()
            assert crm == {"from": "their responses"}
            for client in (HttpxClient(), RequestsClient()):
                assert client.login(telecmi.user_id, telecmi.password)


@mock_telecmi
def test_a_decorated_test_still_gets_its_fixtures(tmp_path: Path) -> None:
    telecmi = current_telecmi()
    client = UrllibClient()
    token = client.login(telecmi.user_id, telecmi.password)
    client.add_contact(token, "919200000001", tmp_path.name[:20], "Rao")
    assert client.count_v1(token) == 1

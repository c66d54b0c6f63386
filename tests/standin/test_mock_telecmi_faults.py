"""Faults seen through `mock_telecmi()`: a connection contactd drops is each library's
own connection error, a delay longer than the client's timeout its own timeout, and
the journal shows what the client sent to the vendor's hosts."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Callable

import httpx
import pytest
import requests

from contactd.testing import ContactdServer, mock_telecmi
from tests.standin.telecmi_client import PIOPIY

URL = f"{PIOPIY}/v3/contact/get"


def _requests(token: str, timeout: float) -> object:
    return requests.post(URL, json={"token": token}, timeout=timeout)


def _httpx(token: str, timeout: float) -> object:
    return httpx.post(URL, json={"token": token}, timeout=timeout)


def _httpx_async(token: str, timeout: float) -> object:
    async def call() -> httpx.Response:
        async with httpx.AsyncClient(timeout=timeout) as http:
            return await http.post(URL, json={"token": token})

    return asyncio.run(call())


def _urllib(token: str, timeout: float) -> object:
    request = urllib.request.Request(
        URL,
        data=json.dumps({"token": token}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


CALLS: dict[str, Callable[[str, float], object]] = {
    "requests": _requests,
    "httpx": _httpx,
    "httpx async": _httpx_async,
    "urllib": _urllib,
}
DROPPED: dict[str, type[BaseException] | tuple[type[BaseException], ...]] = {
    "requests": requests.ConnectionError,
    "httpx": (httpx.RemoteProtocolError, httpx.ConnectError),
    "httpx async": (httpx.RemoteProtocolError, httpx.ConnectError),
    "urllib": urllib.error.URLError,
}
TIMED_OUT: dict[str, type[BaseException]] = {
    "requests": requests.ReadTimeout,
    "httpx": httpx.ReadTimeout,
    "httpx async": httpx.ReadTimeout,
    "urllib": TimeoutError,  # urllib's own: a read timeout is not wrapped in URLError
}


def fault(telecmi: ContactdServer, **rule: object) -> None:
    telecmi.faults([{"path": "/v3/contact/get", "every_nth": 1, **rule}], seed=1)


@pytest.mark.parametrize("library", list(CALLS))
def test_a_dropped_connection_is_the_librarys_connection_error(library: str) -> None:
    with mock_telecmi() as telecmi:
        fault(telecmi, drop_connection=True)
        with pytest.raises(DROPPED[library]):
            CALLS[library](telecmi.token, 10.0)
        telecmi.faults([])
        CALLS[library](telecmi.token, 10.0)  # cleared: answered again


@pytest.mark.parametrize("library", list(CALLS))
def test_a_delay_past_the_clients_timeout_is_its_timeout(library: str) -> None:
    with mock_telecmi() as telecmi:
        fault(telecmi, delay_ms=3000)
        with pytest.raises(TIMED_OUT[library]):
            CALLS[library](telecmi.token, 0.3)


def test_the_journal_holds_what_the_client_sent_to_the_vendors_host() -> None:
    with mock_telecmi() as telecmi:
        sent = requests.post(f"{URL}?trace=1", json={"token": telecmi.token}, timeout=10)
        assert sent.status_code == 200, sent.text
        entries = telecmi.requests(path="/v3/contact/get")
        assert len(entries) == 1
        assert telecmi.token not in json.dumps(entries)

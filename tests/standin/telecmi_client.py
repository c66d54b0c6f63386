"""A small TeleCMI client, as an integrator would write it: the vendor's hostnames are
in its code, and nothing in it knows of contactd. One implementation per HTTP library
`mock_telecmi()` intercepts: requests, httpx (sync and async) and urllib.request."""

from __future__ import annotations

import json
import urllib.request
from abc import ABC, abstractmethod
from typing import Any

import httpx
import requests

REST = "https://rest.telecmi.com"
PIOPIY = "https://piopiy.telecmi.com"
TIMEOUT_SECONDS = 10.0


def _contact(phone: str, first_name: str, last_name: str) -> dict[str, str]:
    return {"phone_no": phone, "first_name": first_name, "last_name": last_name}


class TeleCMIClient(ABC):
    """Login on rest.telecmi.com, contacts on piopiy.telecmi.com."""

    @abstractmethod
    def post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        """The JSON answer of a POST; raises for a non-2xx status."""

    def login(self, user_id: str, password: str) -> str:
        answer = self.post(f"{REST}/v2/user/login", {"id": user_id, "password": password})
        return str(answer["token"])

    def add_contact(self, token: str, phone: str, first_name: str, last_name: str) -> None:
        contact = _contact(phone, first_name, last_name)
        self.post(f"{PIOPIY}/v3/contact/add", {"token": token, "contacts": [contact]})

    def names_v3(self, token: str) -> list[str]:
        answer = self.post(f"{PIOPIY}/v3/contact/get", {"token": token, "limit": 100})
        return [c["first_name"] for c in answer["contacts"]]

    def count_v1(self, token: str) -> int:
        return int(self.post(f"{PIOPIY}/v1/getContact", {"token": token, "page": 1})["count"])


class RequestsClient(TeleCMIClient):
    def __init__(self) -> None:
        self.session = requests.Session()

    def post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.session.post(url, json=body, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]


class HttpxClient(TeleCMIClient):
    def __init__(self) -> None:
        self.http = httpx.Client(timeout=TIMEOUT_SECONDS)

    def post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(url, json=body)
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]


class UrllibClient(TeleCMIClient):
    def post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        # An HTTPError (a urllib.error.URLError) for a 4xx or 5xx, as urllib does.
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return json.load(response)  # type: ignore[no-any-return]


class AsyncHttpxClient:
    """The same calls with httpx's AsyncClient."""

    def __init__(self) -> None:
        self.http = httpx.AsyncClient(timeout=TIMEOUT_SECONDS)

    async def post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.post(url, json=body)
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    async def login(self, user_id: str, password: str) -> str:
        answer = await self.post(f"{REST}/v2/user/login", {"id": user_id, "password": password})
        return str(answer["token"])

    async def add_contact(self, token: str, phone: str, first_name: str, last_name: str) -> None:
        contact = _contact(phone, first_name, last_name)
        await self.post(f"{PIOPIY}/v3/contact/add", {"token": token, "contacts": [contact]})

    async def names_v3(self, token: str) -> list[str]:
        answer = await self.post(f"{PIOPIY}/v3/contact/get", {"token": token, "limit": 100})
        return [c["first_name"] for c in answer["contacts"]]

    async def count_v1(self, token: str) -> int:
        answer = await self.post(f"{PIOPIY}/v1/getContact", {"token": token, "page": 1})
        return int(answer["count"])

    async def aclose(self) -> None:
        await self.http.aclose()


SYNC_CLIENTS: dict[str, type[TeleCMIClient]] = {
    "requests": RequestsClient,
    "httpx": HttpxClient,
    "urllib": UrllibClient,
}

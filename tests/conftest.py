"""Shared fixtures: a real app over a real store, driven over HTTP in-process.

Tests build what they need through the public API (factories below), never by
writing rows behind the service's back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings

# Cheap argon2 parameters: the tests exercise the rules, not the cost.
FAST_HASH = {"argon2_time_cost": 1, "argon2_memory_kib": 1024}
USER_PASSWORD = "correct-horse-battery"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'contactd.db'}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, **FAST_HASH)  # type: ignore[arg-type]


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@dataclass(frozen=True)
class Tenant:
    """An app with one logged-in user: what most contact tests start from."""

    appid: int
    secret: str
    user_id: str
    token: str


class Api:
    """Thin helpers over the HTTP API for building test state."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self._next_extension = 1001

    def post(self, path: str, body: Any) -> Any:
        """POST and return (status, decoded JSON body)."""
        response = self.client.post(path, json=body)
        return response.status_code, response.json()

    def create_app(self, name: str = "Test centre") -> tuple[int, str]:
        services = self.client.app.state.services  # type: ignore[attr-defined]
        app, secret = self.client.portal.call(services.apps.create, name)  # type: ignore[union-attr]
        return app.app_id, secret

    def add_user(self, appid: int, secret: str, *, extension: int | None = None) -> str:
        if extension is None:
            extension = self._next_extension
            self._next_extension += 1
        status, body = self.post(
            "/v3/user/add",
            {
                "appid": appid,
                "secret": secret,
                "extension": extension,
                "first_name": "Asha",
                "last_name": "Rao",
                "phone_number": "919800000000",
                "password": USER_PASSWORD,
            },
        )
        assert status == 200, body
        return str(body["agent"]["agent_id"])

    def login(self, user_id: str, password: str = USER_PASSWORD) -> str:
        status, body = self.post("/v2/user/login", {"id": user_id, "password": password})
        assert status == 200, body
        return str(body["token"])

    def tenant(self, name: str = "Test centre") -> Tenant:
        appid, secret = self.create_app(name)
        user_id = self.add_user(appid, secret)
        return Tenant(appid=appid, secret=secret, user_id=user_id, token=self.login(user_id))

    def add_contacts(self, token: str, contacts: list[dict[str, Any]]) -> list[str]:
        status, body = self.post("/v3/contact/add", {"token": token, "contacts": contacts})
        assert status == 200, body
        return list(body["contact_ids"])


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def tenant(api: Api) -> Tenant:
    return api.tenant("Tenant A")


@pytest.fixture
def other_tenant(api: Api) -> Tenant:
    return api.tenant("Tenant B")


def contact(n: int, **fields: Any) -> dict[str, Any]:
    """A valid v3 contact whose phone is unique for each n."""
    return {
        "phone_no": f"9190{n:08d}",
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        **fields,
    }


ContactFactory = Callable[..., dict[str, Any]]

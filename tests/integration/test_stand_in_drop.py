"""A `drop_connection` fault against a real `contactd serve --stand-in`: the answer's head
arrives announcing a body that never comes, and the connection closes, as clients see
a server lost mid-answer (httpx: RemoteProtocolError; requests: ConnectionError or
ChunkedEncodingError). The operation never ran, the journal marks the drop, and the
server log says so without uvicorn's "incomplete response" error. Both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

from tests.helpers import LiveTenant
from tests.server_process import ServerProcess, create_app, provision_user

CONTACT = {"phone_no": "919812345678", "first_name": "Ravi", "last_name": "Kumar"}


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "server.log"


@pytest.fixture
def stand_in(database_url: str, log_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(database_url, log_path, extra_env={"CONTACTD_STAND_IN": "1"}) as server:
        yield server


@pytest.fixture
def tenant(stand_in: ServerProcess, database_url: str) -> LiveTenant:
    appid, secret = create_app(database_url)
    return LiveTenant(appid, secret, provision_user(stand_in, appid, secret))


def control(server: ServerProcess, tenant: LiveTenant, operation: str, **body: Any) -> Any:
    status, answer = server.post(
        f"/_contactd/{operation}", {"appid": tenant.appid, "secret": tenant.secret, **body}
    )
    assert status == 200, answer
    return answer


def test_a_dropped_connection_breaks_the_answer_and_runs_nothing(
    stand_in: ServerProcess, tenant: LiveTenant, log_path: Path
) -> None:
    rule = {"path": "/v3/contact/add", "times": 2, "drop_connection": True}
    control(stand_in, tenant, "faults", rules=[rule])
    url = f"{stand_in.base_url}/v3/contact/add"
    body = {"token": tenant.token, "contacts": [CONTACT]}
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.post(url, json=body, timeout=10)
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.post(url, json=body, timeout=10)
    # The rule is spent: the same write goes through, on a connection of its own.
    added = httpx.post(url, json=body, timeout=10)
    assert added.status_code == 200, added.text
    status, page = stand_in.post("/v3/contact/get", {"token": tenant.token})
    assert status == 200 and len(page["contacts"]) == 1, page  # the drops wrote nothing
    adds = control(stand_in, tenant, "requests", path="/v3/contact/add")["requests"]
    assert [(e["status"], e["response"], e["fault"]) for e in adds] == [
        (None, None, {"rule": 0, "action": "drop_connection"}),
        (None, None, {"rule": 0, "action": "drop_connection"}),
        (200, added.json(), None),
    ]
    assert stand_in.post("/v3/contact/get", {"token": tenant.token})[0] == 200
    stand_in.stop()
    logged = log_path.read_text()
    assert logged.count("the connection of a request to /v3/contact/add is dropped") == 2
    assert "returned without completing response" not in logged
    assert tenant.token not in logged and tenant.secret not in logged


def test_a_faulted_server_keeps_serving_other_apps(
    stand_in: ServerProcess, tenant: LiveTenant, database_url: str
) -> None:
    control(stand_in, tenant, "faults", rules=[{"path": "*", "drop_connection": True}])
    appid, secret = create_app(database_url, "Other")
    other = provision_user(stand_in, appid, secret, extension=1002)
    assert stand_in.post("/v3/contact/get", {"token": other})[0] == 200
    with pytest.raises(httpx.RemoteProtocolError):
        stand_in.post("/v3/contact/get", {"token": tenant.token})

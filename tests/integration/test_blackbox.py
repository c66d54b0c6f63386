"""The black-box tier: a real `contactd serve` process, driven over real HTTP.

The server runs on a free port over a temporary SQLite file; apps are created with the
operator's command (`contactd app create`) while it runs, as an operator would. The
contract is then checked with the same scenario functions as the in-process tier
(`tests/contract/scenarios.py`), plus what only a real socket shows (chunked bodies,
the server's own 404/405, a clean stop on SIGTERM).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.contract.scenarios import (
    SCENARIOS,
    AppCredentials,
    Scenario,
    add,
    get_page,
    new_token,
    person,
)
from tests.contract.wire import (
    MAX_BODY_BYTES,
    NOT_OBJECT,
    TOO_LARGE,
    Post,
    assert_error,
    assert_error_shape,
)
from tests.server_process import ServerProcess, contactd_env

pytestmark = pytest.mark.blackbox


class Running:
    """The server process, its store's URL, and one HTTP client to it."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.server = ServerProcess(database_url, log_path)
        self.http = httpx.Client(base_url=self.server.base_url, timeout=30.0)

    def post(self, path: str, body: Any) -> tuple[int, Any]:
        if isinstance(body, bytes):
            response = self.http.post(path, content=body)
        else:
            response = self.http.post(path, json=body)
        return response.status_code, response.json()

    def app_create(self, name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "contactd", "app", "create", "--name", name],
            env=contactd_env(self.database_url),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    def new_app(self, name: str = "Black box") -> AppCredentials:
        result = self.app_create(name)
        assert result.returncode == 0, result.stderr
        created = json.loads(result.stdout)
        return AppCredentials(appid=created["appid"], secret=created["secret"])

    def stop(self) -> int | None:
        self.http.close()
        self.server.stop()
        return self.server.process.returncode


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("blackbox")
    process = Running(f"sqlite:///{folder / 'contactd.db'}", folder / "server.log")
    yield process
    returncode = process.stop()
    log = process.log_path.read_text(errors="replace")
    # uvicorn re-raises SIGTERM once its shutdown is complete, so -15 is a clean stop too.
    assert returncode in (0, -signal.SIGTERM), log[-4000:]
    assert "Application shutdown complete" in log, log[-4000:]


@pytest.fixture
def post(running: Running) -> Post:
    return running.post


def test_app_create_prints_one_json_line(running: Running) -> None:
    result = running.app_create("Operator")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    created = json.loads(lines[0])
    assert set(created) == {"appid", "secret"}
    assert type(created["appid"]) is int
    assert re.fullmatch(r"[1-9]\d{6}", str(created["appid"]))
    assert isinstance(created["secret"], str)
    assert len(created["secret"]) >= 32


def test_two_apps_get_different_ids_and_secrets(running: Running) -> None:
    first, second = running.new_app("One"), running.new_app("Two")
    assert first.appid != second.appid
    assert first.secret != second.secret


def test_healthz_answers_over_http(running: Running) -> None:
    response = running.http.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize("scenario", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_scenario_holds_over_http(scenario: Scenario, running: Running, post: Post) -> None:
    scenario(post, running.new_app(scenario.__name__))


def test_oversized_body_is_413_over_http(post: Post) -> None:
    status, body = post("/v3/contact/get", b"{" + b" " * MAX_BODY_BYTES + b"}")
    assert_error(status, body, 413, TOO_LARGE)


def test_chunked_oversized_body_is_413_over_http(running: Running) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"token": "'
        for _ in range(2 * MAX_BODY_BYTES // 65536):
            yield b"a" * 65536
        yield b'"}'

    response = running.http.post("/v3/contact/get", content=chunks())
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert_error(response.status_code, response.json(), 413, TOO_LARGE)


def test_non_object_body_is_400_over_http(post: Post) -> None:
    status, body = post("/v3/contact/get", b"[]")
    assert_error(status, body, 400, NOT_OBJECT)


def test_unknown_path_and_wrong_method_keep_the_error_shape(running: Running) -> None:
    missing = running.http.post("/v3/nope", json={})
    assert missing.status_code == 404
    assert_error_shape(missing.status_code, missing.json())
    wrong = running.http.get("/v3/contact/get")
    assert wrong.status_code == 405
    assert_error_shape(wrong.status_code, wrong.json())


def test_openapi_and_docs_are_served(running: Running) -> None:
    document = running.http.get("/openapi.json").json()
    assert "/v3/contact/get" in document["paths"]
    docs = running.http.get("/docs")
    assert docs.status_code == 200
    assert docs.headers["content-type"].startswith("text/html")


def test_tokens_and_cursors_survive_a_restart(tmp_path: Path) -> None:
    """No CONTACTD_SECRET: the generated secret is kept in the store (docs/api.md,
    "Operational endpoints")."""
    first = Running(f"sqlite:///{tmp_path / 'restart.db'}", tmp_path / "first.log")
    try:
        token = new_token(first.post, first.new_app("Restart"))
        ids = add(first.post, token, [person(n) for n in range(3)])
        page_state = get_page(first.post, token, limit=1)["page_state"]
    finally:
        first.stop()
    second = Running(first.database_url, tmp_path / "second.log")
    try:
        rest = get_page(second.post, token, limit=5, page_state=page_state)
    finally:
        second.stop()
    assert [c["contact_id"] for c in rest["contacts"]] == ids[1:]
    assert rest["page_state"] is None

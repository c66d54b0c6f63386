"""The logs a real `contactd serve` process writes: one format, a request log, a login audit.

Each test runs a server, drives it over HTTP with credentials it knows, stops it, and
reads everything the process wrote (stdout and stderr together). No line may hold a
password, token, app secret or query-string value that the test used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contactd.domain.throttle import MAX_FAILURES
from tests.server_process import USER_PASSWORD, ServerProcess, create_app, provision_user

pytestmark = pytest.mark.blackbox

WRONG_PASSWORD = "not-the-password-0451"
QUERY_SECRET = "query-string-value-7781"
TEXT_LINE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO|WARNING|ERROR) +\S+: ")


class Logged:
    """A server process and what it wrote, read once it has stopped."""

    def __init__(self, database_url: str, log_path: Path, env: dict[str, str]) -> None:
        self.log_path = log_path
        self.server = ServerProcess(database_url, log_path, extra_env=env)
        self.appid, self.secret = create_app(database_url)
        self.http = httpx.Client(base_url=self.server.base_url, timeout=30.0)

    def post(self, path: str, body: Any, **headers: str) -> httpx.Response:
        return self.http.post(path, json=body, headers=headers)

    def stop(self) -> str:
        self.http.close()
        self.server.stop()
        return self.log_path.read_text()


@pytest.fixture
def json_server(database_url: str, tmp_path: Path) -> Iterator[Logged]:
    logged = Logged(database_url, tmp_path / "server.log", {"CONTACTD_LOG_FORMAT": "json"})
    yield logged
    logged.server.stop()


def _records(output: str) -> list[dict[str, Any]]:
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines
    return [json.loads(line) for line in lines]


def _login(logged: Logged, user_id: str, password: str) -> httpx.Response:
    return logged.post("/v2/user/login", {"id": user_id, "password": password})


def test_every_line_is_json_and_holds_no_secret(json_server: Logged) -> None:
    token = provision_user(json_server.server, json_server.appid, json_server.secret)
    user_id = f"1001_{json_server.appid}"
    assert _login(json_server, user_id, WRONG_PASSWORD).status_code == 404
    page = json_server.post("/v3/contact/get", {"token": token, "limit": 10})
    assert page.status_code == 200, page.text
    assert json_server.http.get(f"/healthz?token={QUERY_SECRET}").status_code == 200
    output = json_server.stop()

    records = _records(output)  # raises on any line that is not one JSON object
    for secret in (USER_PASSWORD, WRONG_PASSWORD, token, json_server.secret, QUERY_SECRET):
        assert secret not in output
    assert {"time", "level", "logger", "message", "pid"} <= set(records[0])
    loggers = {record["logger"] for record in records}
    assert {"uvicorn.error", "contactd.store", "contactd.request", "contactd.audit"} <= loggers
    requests = [r for r in records if r["logger"] == "contactd.request"]
    pages = [r for r in requests if r["path"] == "/v3/contact/get"]
    assert len(pages) == 1
    assert pages[0]["method"] == "POST"
    assert pages[0]["status"] == 200
    assert pages[0]["client"] == "127.0.0.1"
    assert pages[0]["latency_ms"] > 0
    assert pages[0]["request_id"] == page.headers["x-request-id"]
    health = [r["path"] for r in requests if r["path"].startswith("/healthz")]
    assert health
    assert set(health) == {"/healthz"}  # the query string is never logged


def test_the_request_id_is_the_clients_when_valid_and_returned(json_server: Logged) -> None:
    mine = json_server.post("/v3/contact/get", {"token": "x"}, **{"X-Request-ID": "lb-7f3a:91"})
    too_long = json_server.post("/v3/contact/get", {"token": "x"}, **{"X-Request-ID": "a" * 129})
    odd = json_server.post("/v3/contact/get", {"token": "x"}, **{"X-Request-ID": "a b<c>"})
    none = json_server.post("/v3/contact/get", {"token": "x"})
    page = json_server.http.get("/", headers={"X-Request-ID": "front-1"})
    output = json_server.stop()

    assert mine.headers["x-request-id"] == "lb-7f3a:91"
    assert page.headers["x-request-id"] == "front-1"
    made = [r.headers["x-request-id"] for r in (too_long, odd, none)]
    assert len(set(made)) == 3
    assert all(re.fullmatch(r"[0-9a-f]{12}-[0-9a-f]+", rid) for rid in made)
    logged_ids = [
        r["request_id"]
        for r in _records(output)
        if r["logger"] == "contactd.request" and r["path"] != "/healthz"
    ]
    assert logged_ids == ["lb-7f3a:91", *made, "front-1"]


def test_the_login_audit_has_one_line_per_attempt_with_its_outcome(json_server: Logged) -> None:
    provision_user(json_server.server, json_server.appid, json_server.secret)  # one "ok"
    user_id = f"1001_{json_server.appid}"
    sent: list[tuple[str, int, str]] = [
        (f"4242_{json_server.appid}", 404, "unknown"),
        ("not-an-id", 404, "unknown"),
    ]
    sent += [(user_id, 404, "bad_password")] * MAX_FAILURES
    sent += [(user_id, 429, "throttled")]
    request_ids = []
    for principal_id, status, _ in sent:
        response = _login(json_server, principal_id, WRONG_PASSWORD)
        assert response.status_code == status, response.text
        request_ids.append(response.headers["x-request-id"])
    output = json_server.stop()

    audit = [r for r in _records(output) if r["logger"] == "contactd.audit"]
    assert [(r["id"], r["outcome"]) for r in audit] == [
        (user_id, "ok"),
        *((principal_id, outcome) for principal_id, _, outcome in sent),
    ]
    assert all(r["client"] == "127.0.0.1" for r in audit)
    assert [r["request_id"] for r in audit[1:]] == request_ids
    assert WRONG_PASSWORD not in output
    assert USER_PASSWORD not in output


def test_text_is_the_default_and_uvicorn_lines_share_its_format(
    database_url: str, tmp_path: Path
) -> None:
    logged = Logged(database_url, tmp_path / "server.log", {})
    try:
        token = provision_user(logged.server, logged.appid, logged.secret)
        logged.post("/v3/contact/get", {"token": token})
    finally:
        output = logged.stop()
    lines = output.splitlines()
    assert all(TEXT_LINE.match(line) for line in lines), output
    assert any(" uvicorn.error: Started server process" in line for line in lines)
    request = next(line for line in lines if "path=/v3/contact/get" in line)
    assert re.search(r"method=POST .*status=200 .*request_id=\S+ client=127\.0\.0\.1$", request)
    assert token not in output
    assert logged.secret not in output


def test_no_access_log_keeps_the_audit_and_drops_the_request_lines(
    database_url: str, tmp_path: Path
) -> None:
    env = {"CONTACTD_LOG_FORMAT": "json", "CONTACTD_ACCESS_LOG": "false"}
    logged = Logged(database_url, tmp_path / "server.log", env)
    try:
        provision_user(logged.server, logged.appid, logged.secret)
    finally:
        output = logged.stop()
    loggers = [r["logger"] for r in _records(output)]
    assert "contactd.request" not in loggers
    assert loggers.count("contactd.audit") == 1


def test_debug_shows_the_settings_and_store_timings_without_secrets(tmp_path: Path) -> None:
    secret = "server-secret-for-the-debug-test"
    env = {"CONTACTD_LOG_FORMAT": "json", "CONTACTD_LOG_LEVEL": "debug", "CONTACTD_SECRET": secret}
    logged = Logged(f"sqlite:///{tmp_path / 'contactd.db'}", tmp_path / "server.log", env)
    try:
        token = provision_user(logged.server, logged.appid, logged.secret)
        logged.post("/v3/contact/get", {"token": token})
    finally:
        output = logged.stop()
    records = _records(output)
    settings = next(r for r in records if r["message"] == "settings")
    assert settings["log_level"] == "debug"
    assert settings["secret"] == "***"
    store_lines = [r["message"] for r in records if r["message"].startswith("store ")]
    assert any(re.fullmatch(r"store page_contacts \d+\.\d{3} ms", m) for m in store_lines)
    for hidden in (secret, token, logged.secret, USER_PASSWORD):
        assert hidden not in output

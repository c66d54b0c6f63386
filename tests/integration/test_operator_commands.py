"""Operator commands against a running server, on SQLite (through the server) and on
PostgreSQL (on the database): app list, rotate-secret, users list and unlock, and the
store each one names."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contactd.domain.throttle import MAX_FAILURES
from tests.server_process import (
    USER_PASSWORD,
    ServerProcess,
    create_app,
    provision_user,
    run_contactd,
)

pytestmark = pytest.mark.blackbox

PASSWORD_IN_URL = "url-password-never-printed"


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(database_url, tmp_path / "server.log") as process:
        yield process


def contactd_json(*args: str, database_url: str) -> Any:
    result = run_contactd(*args, database_url=database_url)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def add_user(server: ServerProcess, appid: int, secret: str) -> tuple[int, dict[str, Any]]:
    return server.post(
        "/v3/user/add",
        {
            "appid": appid,
            "secret": secret,
            "extension": 1002,
            "first_name": "Second",
            "last_name": "User",
            "phone_number": "919800000001",
            "password": USER_PASSWORD,
        },
    )


def test_rotate_secret_the_running_server_refuses_the_old_and_accepts_the_new(
    server: ServerProcess, database_url: str
) -> None:
    appid, old = create_app(database_url)
    provision_user(server, appid, old)
    rotated = contactd_json("app", "rotate-secret", str(appid), database_url=database_url)
    assert rotated["appid"] == appid
    assert rotated["secret"] != old
    status, body = add_user(server, appid, old)
    assert status == 401, body
    assert body["msg"] == "Invalid appid or secret"
    status, body = add_user(server, appid, rotated["secret"])
    assert status == 200, body


def test_rotate_secret_of_an_unknown_app_exits_1_naming_it(database_url: str) -> None:
    create_app(database_url)
    result = run_contactd("app", "rotate-secret", "1000000", database_url=database_url)
    assert result.returncode == 1
    assert "appid 1000000 not found" in result.stderr


def test_app_list_shows_every_app_with_its_counts_and_no_secret(
    server: ServerProcess, database_url: str
) -> None:
    first, first_secret = create_app(database_url, "First centre")
    second, _ = create_app(database_url, "Second centre")
    provision_user(server, first, first_secret)
    result = run_contactd("app", "list", "--json", database_url=database_url)
    assert result.returncode == 0, result.stderr
    listed = {app["appid"]: app for app in json.loads(result.stdout)}
    assert listed[first]["name"] == "First centre"
    assert (listed[first]["users"], listed[second]["users"]) == (1, 0)
    assert first_secret not in result.stdout
    table = run_contactd("app", "list", database_url=database_url)
    assert str(second) in table.stdout
    assert "Second centre" in table.stdout


def test_users_list_shows_the_apps_agents_and_users(
    server: ServerProcess, database_url: str
) -> None:
    appid, secret = create_app(database_url)
    other, other_secret = create_app(database_url)
    provision_user(server, appid, secret)
    assert add_user(server, appid, secret)[0] == 200
    provision_user(server, other, other_secret)
    users = contactd_json("users", "list", str(appid), "--json", database_url=database_url)
    assert [u["id"] for u in users] == [f"1001_{appid}", f"1002_{appid}"]
    assert users[1]["name"] == "Second User"
    assert all(USER_PASSWORD not in json.dumps(u) for u in users)
    missing = run_contactd("users", "list", "1000000", database_url=database_url)
    assert missing.returncode == 1
    assert "appid 1000000 not found" in missing.stderr


def test_users_unlock_lifts_the_login_throttle_on_the_running_server(
    server: ServerProcess, database_url: str
) -> None:
    appid, secret = create_app(database_url)
    provision_user(server, appid, secret)
    user_id = f"1001_{appid}"
    for _ in range(MAX_FAILURES):
        server.post("/v2/user/login", {"id": user_id, "password": "wrong password"})
    status, body = server.post("/v2/user/login", {"id": user_id, "password": USER_PASSWORD})
    assert status == 429, body
    unlocked = contactd_json("users", "unlock", user_id, database_url=database_url)
    assert unlocked == {"id": user_id, "cleared_failures": MAX_FAILURES}
    status, body = server.post("/v2/user/login", {"id": user_id, "password": USER_PASSWORD})
    assert status == 200, body


def test_users_unlock_refuses_a_malformed_id(database_url: str) -> None:
    create_app(database_url)
    result = run_contactd("users", "unlock", "not-an-id", database_url=database_url)
    assert result.returncode == 2
    assert "id must be of the form {extension}_{appid}" in result.stderr


def _with_password(database_url: str) -> str:
    if database_url.startswith("sqlite"):
        return database_url
    return database_url.replace(
        "postgresql://postgres@", f"postgresql://postgres:{PASSWORD_IN_URL}@"
    )


def _store_named(database_url: str) -> str:
    if database_url.startswith("sqlite"):
        return f"contactd: store: SQLite {Path(database_url.split(':///', 1)[1]).resolve()}"
    return "contactd: store: PostgreSQL postgresql://postgres:***@"


@pytest.mark.parametrize(
    "command",
    [
        ["app", "create", "--name", "Named"],
        ["app", "list"],
        ["app", "rotate-secret", "{appid}"],
        ["users", "list", "{appid}"],
        ["users", "unlock", "1001_{appid}"],
    ],
    ids=lambda command: " ".join(command[:2]),
)
def test_every_operator_command_names_its_store_with_the_password_masked(
    database_url: str, command: list[str]
) -> None:
    appid, _ = create_app(database_url)
    url = _with_password(database_url)
    args = [part.format(appid=appid) for part in command]
    result = run_contactd(*args, database_url=url)
    assert result.returncode == 0, result.stderr
    assert _store_named(database_url) in result.stderr
    assert PASSWORD_IN_URL not in result.stderr + result.stdout
    assert "contactd: store:" not in result.stdout  # stdout stays the answer alone

"""`contactd snapshot save` / `load` and `contactd serve --stand-in --snapshot FILE
--save-on-exit`, as real processes: a save while a server serves a SQLite store goes
through that server; a load is refused while one serves it; a stand-in stopped by
SIGTERM or SIGINT saves its store, and one started from the file serves it again."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import contact
from tests.server_process import (
    USER_PASSWORD,
    ServerProcess,
    contactd_env,
    create_app,
    free_port,
    provision_user,
    run_contactd,
)

pytestmark = pytest.mark.blackbox


def stand_in_env(snapshot: Path, *, save_on_exit: bool) -> dict[str, str]:
    env = {"CONTACTD_STAND_IN": "1", "CONTACTD_SNAPSHOT": str(snapshot)}
    if save_on_exit:
        env["CONTACTD_SAVE_ON_EXIT"] = "1"
    return env


def book(server: ServerProcess, appid: int, secret: str) -> tuple[str, Any]:
    """A user with three contacts, one of them with a note; its token and its v3 page."""
    token = provision_user(server, appid, secret)
    status, body = server.post(
        "/v3/contact/add", {"token": token, "contacts": [contact(n) for n in range(3)]}
    )
    assert status == 200, body
    status, body = server.post(
        "/v1/updateContact",
        {"token": token, "from": contact(1)["phone_no"], "name": "First1 Last1", "info": "call"},
    )
    assert status == 200, body
    return token, page(server, token)


def page(server: ServerProcess, token: str) -> Any:
    status, body = server.post("/v3/contact/get", {"token": token, "limit": 100})
    assert status == 200, body
    return body


def test_a_save_while_the_server_serves_goes_through_it_and_loads_into_a_new_store(
    server: ServerProcess, db: Path, tmp_path: Path
) -> None:
    appid, secret = create_app(f"sqlite:///{db}")
    token, before = book(server, appid, secret)
    file = tmp_path / "book.json"
    saved = run_contactd("snapshot", "save", str(file), database_url=f"sqlite:///{db}")
    assert saved.returncode == 0, saved.stderr
    assert f"read by process {server.process.pid} (contactd serve)" in saved.stderr
    assert saved.stdout == f"saved the store to {file}: 1 apps, 1 agents and users, 3 contacts\n"
    assert json.loads(file.read_bytes())["backend"] == "sqlite"

    other = f"sqlite:///{tmp_path / 'other.db'}"
    loaded = run_contactd("snapshot", "load", str(file), database_url=other)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout == f"loaded {file}: 1 apps, 1 agents and users, 3 contacts\n"
    with ServerProcess(other, tmp_path / "other.log") as second:
        assert page(second, token) == before
        status, body = second.post(
            "/v2/user/login", {"id": f"1001_{appid}", "password": USER_PASSWORD}
        )
        assert status == 200, body


def test_a_load_is_refused_while_a_server_serves_the_store(
    server: ServerProcess, db: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{db}"
    appid, secret = create_app(url)
    token, before = book(server, appid, secret)
    file = tmp_path / "book.json"
    assert run_contactd("snapshot", "save", str(file), database_url=url).returncode == 0
    refused = run_contactd("snapshot", "load", str(file), database_url=url)
    assert refused.returncode == 2, refused.stderr
    assert f"{db} is in use by process {server.process.pid} (contactd serve)" in refused.stderr
    assert f"`contactd serve --stand-in --snapshot {file}`" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert page(server, token) == before


def test_a_refused_file_is_named_and_creates_no_store(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "contactd-snapshot", "version": 7}')
    db = tmp_path / "never.db"
    refused = run_contactd("snapshot", "load", str(bad), database_url=f"sqlite:///{db}")
    assert refused.returncode == 2
    assert refused.stderr == (
        f"contactd: {bad} is a contactd snapshot of version 7; this contactd reads version 1\n"
    )
    assert not db.exists()


def test_save_and_load_on_postgresql_and_between_the_backends(
    pg_database_url: str, tmp_path: Path
) -> None:
    appid, _ = create_app(pg_database_url, "On PostgreSQL")
    file = tmp_path / "pg.json"
    saved = run_contactd("snapshot", "save", str(file), database_url=pg_database_url)
    assert saved.returncode == 0, saved.stderr
    assert "contactd: store: PostgreSQL" in saved.stderr
    sqlite_url = f"sqlite:///{tmp_path / 'from-pg.db'}"
    assert run_contactd("snapshot", "load", str(file), database_url=sqlite_url).returncode == 0
    create_app(pg_database_url, "After the save")
    loaded = run_contactd("snapshot", "load", str(file), database_url=pg_database_url)
    assert loaded.returncode == 0, loaded.stderr
    for url in (pg_database_url, sqlite_url):
        listed = run_contactd("app", "list", "--json", database_url=url)
        assert [(a["appid"], a["name"]) for a in json.loads(listed.stdout)] == [
            (appid, "On PostgreSQL")
        ]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stand_in_saves_on_exit_and_a_new_one_starts_from_the_file(
    database_url: str, tmp_path: Path, stop: signal.Signals
) -> None:
    file = tmp_path / "stand-in.json"
    appid, secret = create_app(database_url)
    # The first run: no file yet, the store serves as it is.
    env = stand_in_env(file, save_on_exit=True)
    with ServerProcess(database_url, tmp_path / "first.log", extra_env=env) as first:
        token, before = book(first, appid, secret)
        first.process.send_signal(stop)
        # uvicorn raises the signal it caught again once its shutdown is done: SIGTERM
        # ends the process, SIGINT is Python's KeyboardInterrupt (status 128 + 2).
        assert first.process.wait(timeout=30) in (0, -stop, 128 + stop)
    assert "saved the store to" in (tmp_path / "first.log").read_text()
    assert json.loads(file.read_bytes())["store"]["apps"][0]["app_id"] == appid
    # Started from the file over an empty store of its own: the same book, the same token.
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    env = stand_in_env(file, save_on_exit=False)
    with ServerProcess(fresh, tmp_path / "second.log", extra_env=env) as second:
        assert page(second, token) == before


def test_a_stand_in_refuses_to_start_from_a_file_that_is_not_there(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    env = contactd_env(f"sqlite:///{tmp_path / 'c.db'}", stand_in_env(missing, save_on_exit=False))
    ended = subprocess.run(
        [sys.executable, "-m", "contactd", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ended.returncode == 2
    assert f"the snapshot {missing} cannot be read: No such file or directory" in ended.stderr
    assert "Traceback" not in ended.stderr

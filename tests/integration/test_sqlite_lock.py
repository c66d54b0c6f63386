"""One SQLite file, one writer process: the lock, the control channel, the path checks.

Real `contactd serve` processes and real operator commands on real files.
"""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from contactd.store.sqlite_lock import acquire
from tests.helpers import contact
from tests.server_process import (
    ServerProcess,
    contactd_env,
    create_app,
    free_port,
    provision_user,
    run_contactd,
)

pytestmark = pytest.mark.blackbox


def test_a_second_server_on_the_same_file_exits_2_naming_the_file_and_the_holder(
    server: ServerProcess, db: Path
) -> None:
    second = subprocess.run(
        [sys.executable, "-m", "contactd", "serve", "--port", str(free_port())],
        env=contactd_env(f"sqlite:///{db}"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert second.returncode == 2, second.stderr
    assert str(db) in second.stderr
    assert f"process {server.process.pid} (contactd serve)" in second.stderr
    assert "Traceback" not in second.stderr
    assert server.process.poll() is None  # the first one serves on
    assert httpx.get(f"{server.base_url}/healthz", timeout=10).status_code == 200


def test_app_create_while_serving_goes_through_the_server_and_the_app_works_there(
    server: ServerProcess, db: Path
) -> None:
    created = run_contactd("app", "create", "--name", "Live", database_url=f"sqlite:///{db}")
    assert created.returncode == 0, created.stderr
    assert f"written by process {server.process.pid} (contactd serve)" in created.stderr
    app = json.loads(created.stdout)
    token = provision_user(server, int(app["appid"]), str(app["secret"]))
    status, body = server.post(
        "/v3/contact/add",
        {"token": token, "contacts": [contact(1)]},
    )
    assert status == 200, body


def test_with_no_server_an_operator_command_runs_on_the_file_and_releases_it(
    db: Path, tmp_path: Path
) -> None:
    appid, secret = create_app(f"sqlite:///{db}")
    listed = run_contactd("app", "list", "--json", database_url=f"sqlite:///{db}")
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr.strip() == f"contactd: store: SQLite {db}"
    assert [a["appid"] for a in json.loads(listed.stdout)] == [appid]
    process = ServerProcess(f"sqlite:///{db}", tmp_path / "server.log")  # the lock is free
    try:
        provision_user(process, appid, secret)
    finally:
        process.stop()


def test_the_control_socket_is_the_owners_only_and_refuses_a_malformed_command(
    server: ServerProcess, db: Path
) -> None:
    sock_path = db.with_name(db.name + ".sock")
    assert stat.S_IMODE(sock_path.stat().st_mode) == 0o600
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(str(sock_path))
        sock.sendall(b'{"type": "app drop-everything"}\n')
        reply = json.loads(sock.makefile("rb").readline())
    assert reply["error"].startswith("malformed command")
    assert reply["result"] is None


def test_a_missing_directory_is_refused_naming_the_absolute_path_and_not_created(
    tmp_path: Path,
) -> None:
    url = "sqlite:///missing/contactd.db"  # relative: resolved against the working directory
    expected = tmp_path / "missing" / "contactd.db"
    for command in (["app", "create", "--name", "X"], ["app", "list"], ["serve"]):
        result = run_contactd(*command, database_url=url, cwd=tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        assert f"the directory of the SQLite store {expected} does not exist" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "missing").exists()


def test_an_unwritable_store_is_named_for_serve_and_operator_commands(tmp_path: Path) -> None:
    db = tmp_path / "contactd.db"
    create_app(f"sqlite:///{db}")
    for file in tmp_path.iterdir():
        file.chmod(0o444)
    for command in (["app", "list"], ["users", "unlock", "1001_1234567"], ["serve"]):
        result = run_contactd(*command, database_url=f"sqlite:///{db}", unprivileged=True)
        assert result.returncode == 2, (command, result.stderr)
        assert f"the SQLite store {db} is not writable by this user" in result.stderr
        assert "Traceback" not in result.stderr
        assert "unable to open database file" not in result.stderr


def test_a_store_in_an_unwritable_directory_is_named(tmp_path: Path) -> None:
    directory = tmp_path / "read-only"
    directory.mkdir(mode=0o555)
    db = directory / "contactd.db"
    result = run_contactd(
        "app", "create", "--name", "X", database_url=f"sqlite:///{db}", unprivileged=True
    )
    directory.chmod(0o755)  # so that pytest can clean up
    assert result.returncode == 2, result.stderr
    assert f"the directory {directory} of the SQLite store {db} is not writable" in result.stderr
    assert not db.exists()


def test_operator_commands_reach_a_server_whose_socket_path_is_longer_than_unix_allows(
    tmp_path: Path,
) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    db = deep / "contactd.db"
    assert len(str(db) + ".sock") > 107
    process = ServerProcess(f"sqlite:///{db}", tmp_path / "server.log")
    try:
        appid, secret = create_app(f"sqlite:///{db}")
        provision_user(process, appid, secret)
    finally:
        process.stop()


def test_serve_waits_for_an_operator_command_that_holds_the_store_briefly(
    db: Path, tmp_path: Path
) -> None:
    create_app(f"sqlite:///{db}")
    lock = acquire(
        db.resolve(), role="app create"
    )  # as `contactd app create` holds it while it runs
    releaser = threading.Timer(1.0, lock.release)
    releaser.start()
    try:
        process = ServerProcess(f"sqlite:///{db}", tmp_path / "server.log")
    finally:
        releaser.join()
    try:
        assert httpx.get(f"{process.base_url}/healthz", timeout=10).status_code == 200
    finally:
        process.stop()

"""`contactd backup` while a server writes, and `contactd restore` round trips.

A real `contactd serve` process over a SQLite file; the backup is checked by reading the
copy with sqlite3, the restore by serving the restored store and logging in again.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.contract.scenarios import walk
from tests.helpers import contact
from tests.server_process import (
    USER_PASSWORD,
    ServerProcess,
    create_app,
    provision_user,
    run_contactd,
)

pytestmark = pytest.mark.blackbox


class Writer(threading.Thread):
    """Adds contacts through the HTTP API until stopped; notes when each add was
    acknowledged (after its 200 arrived)."""

    def __init__(self, base_url: str, token: str) -> None:
        super().__init__(daemon=True)
        self.base_url = base_url
        self.token = token
        self.stop = threading.Event()
        self.acknowledged: list[tuple[float, list[str]]] = []
        self.failures: list[Any] = []
        self._numbers = itertools.count(1)

    def run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=30.0) as http:
            while not self.stop.is_set():
                batch = [contact(next(self._numbers)) for _ in range(5)]
                response = http.post(
                    "/v3/contact/add", json={"token": self.token, "contacts": batch}
                )
                if response.status_code != 200:
                    self.failures.append(response.json())
                    continue
                self.acknowledged.append((time.monotonic(), response.json()["contact_ids"]))

    def acknowledged_before(self, moment: float) -> set[str]:
        return {cid for at, ids in list(self.acknowledged) if at < moment for cid in ids}

    def wait_for(self, batches: int) -> None:
        deadline = time.monotonic() + 30
        while len(self.acknowledged) < batches and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(self.acknowledged) >= batches, self.failures


def backup_ids(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {row[0] for row in conn.execute("SELECT contact_id FROM contacts")}


def test_a_backup_during_writes_holds_every_contact_acknowledged_before_it_began(
    server: ServerProcess, db: Path, tmp_path: Path
) -> None:
    appid, secret = create_app(f"sqlite:///{db}")
    writer = Writer(server.base_url, provision_user(server, appid, secret))
    writer.start()
    try:
        writer.wait_for(20)
        began = time.monotonic()
        result = run_contactd("backup", str(tmp_path / "copy.db"), database_url=f"sqlite:///{db}")
        ended = time.monotonic()
        writer.wait_for(len(writer.acknowledged) + 5)
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert f"read while process {server.process.pid} (contactd serve) serves it" in result.stderr
    assert writer.failures == []
    during = writer.acknowledged_before(ended) - writer.acknowledged_before(began)
    assert during, "no write was acknowledged while the backup ran"
    copied = backup_ids(tmp_path / "copy.db")
    assert writer.acknowledged_before(began) <= copied
    every_sent = {cid for _, ids in writer.acknowledged for cid in ids}
    assert copied <= every_sent  # nothing appears that no client added
    assert not list(tmp_path.glob(".copy.db.*"))  # no temporary file left behind


def _log_in(server: ServerProcess, user_id: str) -> str:
    status, body = server.post("/v2/user/login", {"id": user_id, "password": USER_PASSWORD})
    assert status == 200, body
    return str(body["token"])


def _contact_ids(server: ServerProcess, token: str) -> list[str]:
    pages = walk(server.post, token, limit=100)
    return [c["contact_id"] for page in pages for c in page["contacts"]]


def test_restore_round_trip_brings_back_every_app_principal_and_contact(
    db: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{db}"
    first = ServerProcess(url, tmp_path / "first.log")
    try:
        appid, secret = create_app(url, "Restored")
        token = provision_user(first, appid, secret)
        kept = [cid for n in range(3) for cid in _add(first, token, range(n * 100, n * 100 + 100))]
        backed_up = run_contactd("backup", str(tmp_path / "b.db"), database_url=url)
        assert backed_up.returncode == 0, backed_up.stderr
        assert "1 apps, 1 agents and users, 300 contacts" in backed_up.stdout
        _add(first, token, range(1000, 1010))  # after the backup: gone once restored
        other_appid, _ = create_app(url, "After the backup")
        refused = run_contactd("restore", str(tmp_path / "b.db"), database_url=url)
        assert refused.returncode == 2
        assert f"{db} is in use by process {first.process.pid} (contactd serve)" in refused.stderr
    finally:
        first.stop()
    restored = run_contactd("restore", str(tmp_path / "b.db"), database_url=url)
    assert restored.returncode == 0, restored.stderr
    assert f"restored {tmp_path / 'b.db'} into {db}" in restored.stdout
    second = ServerProcess(url, tmp_path / "second.log")
    try:
        token = _log_in(second, f"1001_{appid}")  # the principal and its password
        assert _contact_ids(second, token) == kept
        status, body = second.post(  # the app and its secret
            "/v3/user/list", {"appid": appid, "secret": secret, "page": 1, "limit": 10}
        )
        assert status == 200, body
        listed = run_contactd("app", "list", "--json", database_url=url)
        assert str(other_appid) not in listed.stdout
    finally:
        second.stop()


def _add(server: ServerProcess, token: str, numbers: range) -> list[str]:
    status, body = server.post(
        "/v3/contact/add", {"token": token, "contacts": [contact(n) for n in numbers]}
    )
    assert status == 200, body
    return list(body["contact_ids"])


def test_restore_refuses_a_file_that_is_not_a_contactd_store(db: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{db}"
    appid, _ = create_app(url)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE apps (x)")
    (tmp_path / "notes.txt").write_text("not a database at all\n")
    damaged = tmp_path / "damaged.db"
    assert run_contactd("backup", str(damaged), database_url=url).returncode == 0
    with damaged.open("r+b") as file:  # scribble over the pages after the header's
        file.seek(4096)
        file.write(b"\xa5" * 4096 * 4)
    for path, reason in (
        (other, "is not a contactd store: no table principals"),
        (tmp_path / "notes.txt", "is not a contactd store: file is not a database"),
        (damaged, "malformed"),
    ):
        result = run_contactd("restore", str(path), database_url=url)
        assert result.returncode == 2, result.stderr
        assert f"contactd: {path} " in result.stderr
        assert reason in result.stderr
        assert "Traceback" not in result.stderr
    listed = run_contactd("app", "list", "--json", database_url=url)
    assert str(appid) in listed.stdout  # the store is as it was


def test_on_postgresql_backup_and_restore_print_the_commands_with_the_password_masked(
    tmp_path: Path,
) -> None:
    url = "postgresql://contactd:hunter2-secret@db.internal:5432/contactd?schema=calls"
    backup = run_contactd("backup", str(tmp_path / "x.dump"), database_url=url)
    restore = run_contactd("restore", str(tmp_path / "x.dump"), database_url=url)
    assert (backup.returncode, restore.returncode) == (2, 2)
    assert backup.stdout.startswith("pg_dump --format=custom --schema=calls")
    assert "'postgresql://contactd:***@db.internal:5432/contactd'" in backup.stdout
    assert restore.stdout.startswith("pg_restore --clean --if-exists --no-owner --schema=calls")
    for result in (backup, restore):
        assert "hunter2-secret" not in result.stdout + result.stderr
        assert str(tmp_path / "x.dump") in result.stdout

"""The CLI's details a user meets: narrow terminals, pipes, exit statuses, error hints,
variables for scripts, and credentials kept out of reprs."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from contactd.cli import cli
from contactd.cli import importer as cli_importer
from contactd.client import Client
from contactd.testing import ContactdServer
from tests.sdk.cli_fixtures import full_row, login, run, write_csv
from tests.server_process import USER_PASSWORD, ServerProcess


def csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def long_row(n: int) -> dict[str, str]:
    return {
        **full_row(n),
        "first_name": f"Bartholomew-Alexander {n}",
        "last_name": "Featherstonehaugh-Cholmondeley",
        "email_id": f"bartholomew.alexander.{n}@a-rather-long-domain.example.com",
        "company": "The Very Long Company Name of Somewhere, Limited",
    }


def test_list_fits_80_columns_and_wide_shows_every_field(
    base_url: str, user: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [long_row(n) for n in range(3)]
    login(base_url, user)
    run("contacts", "import", str(write_csv(tmp_path / "in.csv", rows)))
    ids = [c["contact_id"] for c in json.loads(run("contacts", "list", "--json").stdout)]

    monkeypatch.setenv("COLUMNS", "80")
    table = run("contacts", "list").stdout
    assert max(len(line) for line in table.splitlines()) <= 80, table
    for contact_id, row in zip(ids, rows, strict=True):
        line = next(line for line in table.splitlines() if contact_id in line)
        assert row["phone_no"] in line  # ids and phones whole, on one line
    assert "Bartholomew" in table
    assert "email_id" not in table

    monkeypatch.setenv("COLUMNS", "250")
    wide = run("contacts", "list", "--wide").stdout
    for column in ("email_id", "company", "job_title"):
        assert column in wide
    assert rows[0]["email_id"] in wide


def test_export_to_stdout_and_import_from_stdin(base_url: str, new_user: Callable[[], str]) -> None:
    source_user, target_user = new_user(), new_user()
    rows = [full_row(n) for n in range(120)]
    login(base_url, source_user)
    run("contacts", "import", "-", input=csv_text(rows))
    exported = run("contacts", "export", "-")
    assert list(csv.DictReader(io.StringIO(exported.stdout))) == rows
    assert "Exported 120 contacts to standard output" in exported.stderr

    login(base_url, target_user)
    imported = run("contacts", "import", "-", "--json", input=exported.stdout)
    assert json.loads(imported.stdout) == {"stored": 120, "rejected": []}


def test_import_exits_1_when_a_row_was_rejected(base_url: str, user: str, tmp_path: Path) -> None:
    rows = [full_row(n) for n in range(5)]
    rows[2]["phone_no"] = "12ab5"
    login(base_url, user)
    result = run("contacts", "import", str(write_csv(tmp_path / "in.csv", rows)), code=1)
    assert "Stored 4 contacts; rejected 1 rows." in result.stdout


def test_a_missing_file_is_named(base_url: str, user: str, tmp_path: Path) -> None:
    login(base_url, user)
    result = run("contacts", "import", str(tmp_path / "absent.csv"), code=1)
    assert f"{tmp_path / 'absent.csv'}: No such file or directory" in result.stderr


@pytest.mark.parametrize("as_json", [False, True])
def test_an_interrupted_import_reports_what_it_stored_and_exits_130(
    base_url: str,
    new_user: Callable[[], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    as_json: bool,
) -> None:
    source = write_csv(tmp_path / "in.csv", [full_row(n) for n in range(450)])
    login(base_url, new_user())
    real_store, calls = cli_importer.Importer.store, 0

    def store_then_interrupt(self: cli_importer.Importer, rows: list[cli_importer.Row]) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:  # Ctrl-C while the third batch of 100 is being sent
            raise KeyboardInterrupt
        real_store(self, rows)

    monkeypatch.setattr(cli_importer.Importer, "store", store_then_interrupt)
    result = run("contacts", "import", str(source), *(["--json"] if as_json else []), code=130)
    if as_json:
        assert json.loads(result.stdout) == {"stored": 200, "rejected": [], "interrupted": True}
    else:
        assert "Interrupted before the end of the file" in result.stdout
        assert "Stored 200 contacts; rejected 0 rows." in result.stdout


def reading_stdin(pid: int) -> bool:
    """Whether the process is blocked in read(2) on fd 0 (Linux: syscall 0, first arg 0),
    that is, done with every row it was given."""
    return Path(f"/proc/{pid}/syscall").read_text().startswith("0 0x0 ")


def test_ctrl_c_during_a_piped_import_prints_the_summary(
    base_url: str, user: str, config_home: Path
) -> None:
    """A real SIGINT to a real `contactd contacts import -` waiting on its pipe."""
    login(base_url, user)
    rows = csv_text([full_row(n) for n in range(150)])
    env = {**os.environ, "XDG_CONFIG_HOME": str(config_home)}
    # A shell without job control starts background commands with SIGINT ignored, which
    # a child inherits, and a Python started so never raises KeyboardInterrupt: the
    # importer is started with SIGINT handled, as from a terminal.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        importer = subprocess.Popen(
            [sys.executable, "-m", "contactd", "contacts", "import", "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, text=True,
        )  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, previous)
    assert importer.stdin is not None
    importer.stdin.write(rows)  # the header and 150 rows: one full batch is sent
    importer.stdin.flush()
    with Client(base_url=base_url) as client:
        client.v2.login(user, USER_PASSWORD)
        deadline = time.monotonic() + 30
        # Stored on the server and back to reading: the batch's answer has been counted.
        while time.monotonic() < deadline and not (
            client.v3.contacts.list().count == 100 and reading_stdin(importer.pid)
        ):
            time.sleep(0.05)
    importer.send_signal(signal.SIGINT)  # the pipe stays open: it is waiting for more
    stdout, stderr = importer.communicate(timeout=30)
    assert importer.returncode == 130, (stdout, stderr)
    assert "Interrupted before the end of the file" in stdout
    assert "Stored 100 contacts; rejected 0 rows." in stdout
    assert "Traceback" not in stderr


def test_a_stale_token_says_to_log_in_again(
    server: tuple[ServerProcess, list[Any]], base_url: str
) -> None:
    process, apps = server
    appid, secret = apps.pop()
    with Client(base_url=process.base_url, appid=appid, secret=secret) as admin:
        user_id = admin.v3.users.add(
            extension=1001, first_name="Gone", last_name="Soon",
            phone_number="919800000000", password=USER_PASSWORD,
        ).agent_id  # fmt: skip
        login(base_url, user_id)
        admin.v3.users.remove(user_id)

    result = run("contacts", "list", code=1)
    (line,) = result.stderr.splitlines()
    assert "404: Authenticated user record not found" in line
    assert "run `contactd login`" in line


def test_a_duplicate_phone_is_named(base_url: str, user: str) -> None:
    login(base_url, user)
    add = ("contacts", "add", "--phone", "919200000042", "--first-name", "Dup")
    run(*add)
    result = run(*add, code=1)
    assert result.stderr.startswith("contactd: 409: ")
    assert "(phones: 919200000042)" in result.stderr


def test_variables_for_scripts_take_the_place_of_saved_credentials(
    base_url: str, new_user: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_user, scripted_user = new_user(), new_user()
    login(base_url, saved_user)
    run("contacts", "add", "--phone", "919200000001", "--first-name", "Saved")
    with Client(base_url=base_url) as client:
        token = client.v2.login(scripted_user, USER_PASSWORD).token

    monkeypatch.setenv("CONTACTD_TOKEN", token)
    run("contacts", "add", "--phone", "919200000002", "--first-name", "Scripted")
    assert [c["first_name"] for c in json.loads(run("contacts", "list", "--json").stdout)] == [
        "Scripted"
    ]

    monkeypatch.setenv("CONTACTD_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    refused = run("contacts", "list", code=1)
    assert "ConnectError on http://127.0.0.1:9/v3/contact/get" in refused.stderr

    monkeypatch.setenv("CONTACTD_BASE_URL", base_url)
    monkeypatch.setenv("CONTACTD_TOKEN", "a-token-no-server-issued")
    stale = run("contacts", "list", code=1)
    assert "the token from CONTACTD_TOKEN is no longer valid" in stale.stderr


def test_variables_alone_need_no_saved_credentials(
    base_url: str, user: str, monkeypatch: pytest.MonkeyPatch, config_home: Path
) -> None:
    with Client(base_url=base_url) as client:
        token = client.v2.login(user, USER_PASSWORD).token
    monkeypatch.setenv("CONTACTD_BASE_URL", base_url)
    monkeypatch.setenv("CONTACTD_TOKEN", token)
    assert json.loads(run("contacts", "list", "--json").stdout) == []
    assert not (config_home / "contactd").exists()


def test_login_reads_the_base_url_variable(
    base_url: str, user: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTACTD_BASE_URL", base_url)
    result = CliRunner().invoke(cli, ["login", "--id", user, "--password", USER_PASSWORD])
    assert result.exit_code == 0, result.stderr
    assert f"Logged in as {user}" in result.stdout


def test_reprs_hold_no_credentials(base_url: str, user: str, tmp_path: Path) -> None:
    with Client(base_url=base_url) as client:
        result = client.v2.login(user, USER_PASSWORD)
    assert result.token
    assert result.token not in repr(result)
    assert user in repr(result)

    fixture_value = ContactdServer(
        base_url=base_url, appid=1, secret="app-secret-value", user_id=user,
        password="user-password-value", token="user-token-value",
    )  # fmt: skip
    shown = repr(fixture_value)
    assert base_url in shown
    for credential in ("app-secret-value", "user-password-value", "user-token-value"):
        assert credential not in shown

"""`contactd login` and `contactd contacts ...` against a real `contactd serve` process."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contactd.cli import cli
from contactd.cli import importer as cli_importer
from tests.sdk.cli_fixtures import full_row, login, read_csv, run, write_csv
from tests.server_process import USER_PASSWORD


def test_login_prompts_and_saves_a_private_credentials_file(
    base_url: str, user: str, config_home: Path
) -> None:
    result = run("login", "--base-url", base_url, "--id", user, input=USER_PASSWORD + "\n")
    assert f"Logged in as {user}" in result.stdout
    path = config_home / "contactd" / "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = json.loads(path.read_text())
    assert (saved["base_url"], saved["id"]) == (base_url, user)
    assert saved["token"]


def test_a_wrong_password_fails_cleanly(base_url: str, user: str) -> None:
    result = CliRunner().invoke(
        cli, ["login", "--base-url", base_url, "--id", user, "--password", "wrong"]
    )
    assert result.exit_code == 1
    assert "404" in result.stderr


def test_commands_before_login_say_how_to_log_in() -> None:
    result = CliRunner().invoke(cli, ["contacts", "list"])
    assert result.exit_code == 1
    assert "contactd login" in result.stderr


def test_contacts_add_get_update_list_delete(base_url: str, user: str) -> None:
    login(base_url, user)
    added = run("contacts", "add", "--phone", "919200000000", "--first-name", "John",
                "--last-name", "Doe", "--email", "john.doe@example.com", "--json")  # fmt: skip
    contact_id = json.loads(added.stdout)["contact_id"]
    run("contacts", "update", contact_id, "--company", "Acme")
    (got,) = json.loads(run("contacts", "get", contact_id, "--json").stdout)
    assert (got["first_name"], got["company"], got["email_id"]) == (
        "John",
        "Acme",
        "john.doe@example.com",
    )
    table = run("contacts", "list", "--wide").stdout
    assert "919200000000" in table
    assert "Acme" in table
    assert json.loads(run("contacts", "delete", contact_id, "--json").stdout) == {"deleted": 1}
    assert json.loads(run("contacts", "list", "--all", "--json").stdout) == []


def test_import_stores_every_good_row_and_names_each_bad_one(
    base_url: str, user: str, tmp_path: Path
) -> None:
    rows = [full_row(n) for n in range(1000)]
    rows[10]["phone_no"] = "12ab5"  # line 12: not digits
    rows[250]["phone_no"] = "12"  # line 252: too short
    rows[499]["phone_no"] = "9190123456789012345"  # line 501: too long
    rows[700]["email_id"] = "not-an-email"  # line 702
    rows[998]["phone_no"] = rows[3]["phone_no"]  # line 1000: repeats line 5
    login(base_url, user)

    result = run("contacts", "import", str(write_csv(tmp_path / "in.csv", rows)), "--json", code=1)

    report = json.loads(result.stdout)
    assert report["stored"] == 995
    assert [r["line"] for r in report["rejected"]] == [12, 252, 501, 702, 1000]
    reasons = [r["reason"] for r in report["rejected"]]
    assert "phone_no" in reasons[0]
    assert "email_id" in reasons[3]
    assert reasons[4] == "phone repeated in the file (line 5)"
    exported = run("contacts", "list", "--all", "--limit", "100", "--json").stdout
    assert len(json.loads(exported)) == 995


def test_an_interrupted_import_run_again_stores_nothing_twice(
    base_url: str, user: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_csv(tmp_path / "in.csv", [full_row(n) for n in range(450)])
    login(base_url, user)
    real_store = cli_importer.Importer.store
    calls = 0

    def store_then_die(self: cli_importer.Importer, rows: list[cli_importer.Row]) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        real_store(self, rows)

    with monkeypatch.context() as patch:
        patch.setattr(cli_importer.Importer, "store", store_then_die)
        interrupted = CliRunner().invoke(cli, ["contacts", "import", str(source)])
    assert interrupted.exit_code != 0

    report = json.loads(run("contacts", "import", str(source), "--json", code=1).stdout)

    assert report["stored"] == 250
    assert len(report["rejected"]) == 200
    assert {r["reason"] for r in report["rejected"]} == {"phone already stored"}
    run("contacts", "export", str(tmp_path / "out.csv"))
    phones = [row["phone_no"] for row in read_csv(tmp_path / "out.csv")]
    assert sorted(phones) == sorted(set(phones)) == sorted(r["phone_no"] for r in read_csv(source))


def test_export_then_import_into_a_fresh_app_round_trips_every_field(
    base_url: str, new_user: Callable[[], str], tmp_path: Path
) -> None:
    source_user, target_user = new_user(), new_user()
    rows = [full_row(n) for n in range(150)]
    login(base_url, source_user)
    run("contacts", "import", str(write_csv(tmp_path / "in.csv", rows)))
    run("contacts", "export", str(tmp_path / "first.csv"))

    login(base_url, target_user)
    run("contacts", "import", str(tmp_path / "first.csv"))
    run("contacts", "export", str(tmp_path / "second.csv"))

    assert read_csv(tmp_path / "first.csv") == rows
    assert read_csv(tmp_path / "second.csv") == rows

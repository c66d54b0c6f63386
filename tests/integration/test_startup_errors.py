"""`contactd serve` refuses a bad start in one line that names the cause, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from contactd.store.postgres_setup import parse_url
from tests.server_process import ServerProcess, contactd_env, free_port

pytestmark = pytest.mark.blackbox

# Longer than the test waits: a refusal that were retried would time the test out.
NEVER_GIVE_UP = {"CONTACTD_DB_WAIT_SECONDS": "600"}


def serve(database_url: str, *args: str, env: dict[str, str] | None = None) -> str:
    """Run `contactd serve`, expect exit 2 with one line on stderr, return that line."""
    result = subprocess.run(
        [sys.executable, "-m", "contactd", "serve", *args],
        env=contactd_env(database_url, {"CONTACTD_PORT": str(free_port()), **(env or {})}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = [
        line for line in result.stderr.splitlines() if line.startswith(("contactd:", "Error:"))
    ]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_bad_port_variable_is_named(tmp_path: Path) -> None:
    line = serve(f"sqlite:///{tmp_path / 'x.db'}", env={"CONTACTD_PORT": "abc"})
    assert "CONTACTD_PORT" in line
    assert "valid integer" in line


def test_a_bad_variable_without_a_flag_is_named_with_its_rule(tmp_path: Path) -> None:
    line = serve(f"sqlite:///{tmp_path / 'x.db'}", env={"CONTACTD_DB_WAIT_SECONDS": "soon"})
    assert line == "contactd: invalid setting CONTACTD_DB_WAIT_SECONDS='soon': must be a number"


def test_an_unknown_log_level_lists_the_valid_ones(tmp_path: Path) -> None:
    line = serve(f"sqlite:///{tmp_path / 'x.db'}", "--log-level", "verbose")
    assert "--log-level" in line
    assert "'verbose'" in line
    for level in ("critical", "error", "warning", "info", "debug"):
        assert f"'{level}'" in line


def test_a_misspelt_variable_is_warned_about_with_the_name_meant(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    extra = {"CONTACTD_DATABASE_ULR": "sqlite:///elsewhere.db"}
    server = ServerProcess(f"sqlite:///{tmp_path / 'x.db'}", log, extra_env=extra)
    server.stop()
    assert (
        "contactd: warning: unknown variable CONTACTD_DATABASE_ULR is ignored"
        " (did you mean CONTACTD_DATABASE_URL?)"
    ) in log.read_text()


def _with(url: str, *, user: str | None = None, database: str | None = None) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{user or parts.username}@{host}"
    return urlunsplit(
        parts._replace(netloc=netloc, path=f"/{database}" if database else parts.path)
    )


@pytest.mark.postgres
def test_a_database_that_does_not_exist_fails_at_once(pg_database_url: str) -> None:
    url = _with(pg_database_url, database="contactd_no_such_database")
    line = serve(url, env=NEVER_GIVE_UP)
    assert 'database "contactd_no_such_database" does not exist' in line
    assert "not retried" in line


@pytest.mark.postgres
def test_a_role_that_does_not_exist_fails_at_once(pg_database_url: str) -> None:
    url = _with(pg_database_url, user="contactd_no_such_role")
    line = serve(url, env=NEVER_GIVE_UP)
    assert 'role "contactd_no_such_role" does not exist' in line
    assert "not retried" in line


@pytest.mark.postgres
def test_a_role_that_may_not_create_the_schema_fails_in_one_line(pg_database_url: str) -> None:
    role = "contactd_test_no_create"
    with psycopg.connect(parse_url(pg_database_url).conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if exists is None:
            conn.execute(f"CREATE ROLE {role} LOGIN")  # no CREATE on any database
    line = serve(_with(pg_database_url, user=role), env=NEVER_GIVE_UP)
    assert line.startswith(f"contactd: PostgreSQL at postgresql://{role}@")
    assert "permission denied" in line

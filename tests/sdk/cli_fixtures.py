"""What the CLI tests share: one real `contactd serve`, fresh users, CSV helpers."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from contactd.cli import cli
from contactd.cli.output import CSV_COLUMNS
from contactd.client import Client
from contactd.domain.apps import AppService
from contactd.store import open_store
from tests.helpers import contact
from tests.server_process import USER_PASSWORD, ServerProcess

APPS = 16


async def create_apps(database_url: str, count: int) -> list[tuple[int, str]]:
    store = await open_store(database_url)
    try:
        created = [await AppService(store).create(f"CLI {n}") for n in range(count)]
    finally:
        await store.close()
    return [(app.app_id, secret) for app, secret in created]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, list[Any]]]:
    """One server; its apps are made before it starts (one process writes at a time)."""
    root = tmp_path_factory.mktemp("cli-server")
    database_url = f"sqlite:///{root / 'contactd.db'}"
    apps = asyncio.run(create_apps(database_url, APPS))
    process = ServerProcess(database_url, root / "server.log")
    try:
        yield process, apps
    finally:
        process.stop()


@pytest.fixture
def new_user(server: tuple[ServerProcess, list[Any]]) -> Callable[[], str]:
    """Makes a user in an app of its own, so each test starts with no contacts."""
    process, apps = server

    def make() -> str:
        appid, secret = apps.pop()
        with Client(base_url=process.base_url, appid=appid, secret=secret) as admin:
            return admin.v3.users.add(
                extension=1001, first_name="Cli", last_name="User",
                phone_number="919800000000", password=USER_PASSWORD,
            ).agent_id  # fmt: skip

    return make


@pytest.fixture
def user(new_user: Callable[[], str]) -> str:
    return new_user()


@pytest.fixture
def base_url(server: tuple[ServerProcess, list[Any]]) -> str:
    return server[0].base_url


@pytest.fixture(autouse=True)  # no test reads or writes the real ~/.config
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "200")  # tables at full width: tests read their cells
    return home


def run(*args: str, input: str | None = None, code: int = 0) -> Result:
    """`contactd ARGS`, in-process; fails the test unless it exits with `code`."""
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def login(base_url: str, user: str) -> None:
    run("login", "--base-url", base_url, "--id", user, "--password", USER_PASSWORD)


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as source:
        return list(csv.DictReader(source))


def full_row(n: int) -> dict[str, str]:
    return {
        **contact(n),
        "email_id": f"person{n}@example.com",
        "company": f'Company, "{n}"',
        "job_title": "Engineer" if n % 2 else "",
    }

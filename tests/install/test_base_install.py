"""`pip install contactd` without extras: the wheel built from this tree, in a fresh venv.

The base install is the client (SDK and CLI). Its `contactd` must answer `--help`,
`--version`, `login` and `contacts ...` (against a real server started from the
development environment) and refuse the server's commands in one line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import contactd
from tests.server_process import USER_PASSWORD, ServerProcess, create_app, provision_user

REPO = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT_SECONDS = 600
SERVER_MODULES = ("msgspec", "starlette", "uvicorn", "phonenumbers", "argon2", "psycopg")

pytestmark = pytest.mark.blackbox


@dataclass(frozen=True)
class BaseInstall:
    bin: Path
    env: dict[str, str]

    def run(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "contactd"), *args],
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "python"), "-c", code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


def _build_wheel(out: Path) -> Path:
    # hatchling comes with the dev extra, so the build needs no index.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", "--wheel-dir", str(out), str(REPO)],
        check=True, timeout=INSTALL_TIMEOUT_SECONDS,
    )  # fmt: skip
    (wheel,) = out.glob("contactd-*.whl")
    return wheel


@pytest.fixture(scope="session")
def base_install(tmp_path_factory: pytest.TempPathFactory) -> BaseInstall:
    """One fresh venv per test session, with the wheel installed without extras."""
    root = tmp_path_factory.mktemp("base-install")
    wheel = _build_wheel(root / "dist")
    venv.create(root / "venv", with_pip=True, clear=True)
    bin_dir = root / "venv" / "bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env |= {"XDG_CONFIG_HOME": str(root / "config"), "COLUMNS": "200"}
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        env=env, check=True, timeout=INSTALL_TIMEOUT_SECONDS,
    )  # fmt: skip
    return BaseInstall(bin_dir, env)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, str]]:
    """A real `contactd serve` (the development install) and a user id of one app."""
    root = tmp_path_factory.mktemp("base-install-server")
    database_url = f"sqlite:///{root / 'contactd.db'}"
    appid, secret = create_app(database_url)
    process = ServerProcess(database_url, root / "server.log")
    try:
        provision_user(process, appid, secret)
        yield process, f"1001_{appid}"
    finally:
        process.stop()


def test_the_base_install_has_none_of_the_server_dependencies(base_install: BaseInstall) -> None:
    for module in SERVER_MODULES:
        found = base_install.python(f"import {module}")
        assert found.returncode != 0, f"{module} is installed: this is not the base install"
    imported = base_install.python(
        "import sys, contactd, contactd.client, contactd.cli;"
        " print(sorted(m for m in sys.modules if m.split('.')[0] in"
        f" {SERVER_MODULES!r} or m.startswith(('contactd.api', 'contactd.store'))))"
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "[]"


def test_help_and_version(base_install: BaseInstall) -> None:
    helped = base_install.run("--help")
    assert helped.returncode == 0, helped.stderr
    for command in ("serve", "login", "app", "contacts"):
        assert command in helped.stdout
    assert base_install.run("contacts", "list", "--help").returncode == 0
    version = base_install.run("--version")
    assert (version.returncode, version.stdout) == (0, f"contactd {contactd.__version__}\n")


@pytest.mark.parametrize("command", [["serve"], ["app", "create", "--name", "Acme"]])
def test_server_commands_say_which_extra_to_install(
    base_install: BaseInstall, command: list[str]
) -> None:
    result = base_install.run(*command)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert "pip install 'contactd[server]'" in line
    assert "Traceback" not in result.stdout + result.stderr


def test_login_and_contacts_against_a_real_server(
    base_install: BaseInstall, server: tuple[ServerProcess, str]
) -> None:
    process, user_id = server

    logged_in = base_install.run(
        "login", "--base-url", process.base_url, "--id", user_id, input=USER_PASSWORD + "\n"
    )
    assert logged_in.returncode == 0, logged_in.stderr
    added = base_install.run(
        "contacts", "add", "--phone", "919200000001", "--first-name", "Base", "--json"
    )
    assert added.returncode == 0, added.stderr
    contact_id = json.loads(added.stdout)["contact_id"]
    listed = base_install.run("contacts", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [(c["contact_id"], c["phone_no"]) for c in json.loads(listed.stdout)] == [
        (contact_id, "919200000001")
    ]


def test_the_wheel_ships_the_console_assets(tmp_path: Path) -> None:
    """`/` is served from files inside the package: the wheel must carry them all."""
    import zipfile

    shipped = set(zipfile.ZipFile(_build_wheel(tmp_path)).namelist())
    assets = REPO / "src" / "contactd" / "console" / "assets"
    expected = {
        f"contactd/console/assets/{path.relative_to(assets).as_posix()}"
        for path in assets.rglob("*")
        if path.is_file()
    }
    assert "contactd/console/assets/index.html" in expected
    assert expected <= shipped, sorted(expected - shipped)

"""The SDK's public surface: curated, generated sync from async, server-free."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import contactd.client

REPO = Path(__file__).resolve().parents[2]


def test_all_lists_exactly_the_public_names() -> None:
    # isidentifier: pytest's assertion rewriting (contactd is a pytest11 plugin) adds
    # helpers such as "@py_builtins" to the package's modules.
    names = (n for n in vars(contactd.client) if n.isidentifier() and not n.startswith("_"))
    public = set(names) - {"annotations"}
    assert set(contactd.client.__all__) == public


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("unasync_sdk", REPO / "scripts/unasync_sdk.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sync_modules_are_generated_from_the_async_ones() -> None:
    """`Client`'s module is what scripts/unasync_sdk.py makes of `AsyncClient`'s."""
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts/unasync_sdk.py"), "--check"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_check_names_a_generated_file_edited_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    generator = _generator()
    package = tmp_path / "src" / "contactd" / "client"
    shutil.copytree(generator.PACKAGE, package)
    edited = package / "_client.py"
    edited.write_text(edited.read_text().replace("class Page(", "class Sheet("))
    monkeypatch.setattr(generator, "PACKAGE", package)
    monkeypatch.setattr(generator, "REPO", tmp_path)

    assert generator.main(["--check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "src/contactd/client/_client.py is not current: run `make sdk-sync`"
    ]
    assert generator.main([]) == 0  # rewrites it
    assert edited.read_text() == (REPO / "src/contactd/client/_client.py").read_text()


def test_the_sdk_imports_nothing_from_the_server() -> None:
    """`pip install contactd` (no `server` extra) must be enough for the SDK."""
    server_side = ("contactd.api", "contactd.store", "contactd.domain", "contactd.config")
    third_party = ("starlette", "msgspec", "uvicorn", "phonenumbers", "argon2", "psycopg")
    code = (
        "import sys, contactd.client\n"
        f"bad = [m for m in sys.modules if m.startswith({server_side + third_party!r})]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)

"""Fixtures of the integration tier, on top of `tests/conftest.py` (which owns the store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server_process import ServerProcess


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where the test's SQLite store lives (the file is made by whoever opens it first)."""
    return tmp_path / "contactd.db"


@pytest.fixture
def server(db: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    """A real `contactd serve` over the SQLite file `db`, stopped afterwards."""
    process = ServerProcess(f"sqlite:///{db}", tmp_path / "server.log")
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def anyio_backend() -> str:
    """The event loop the `anyio`-marked tests of this tier run on."""
    return "asyncio"

"""Fixtures of the reliability tier, on top of `tests/conftest.py` (which owns the store).

`CONTACTD_RELIABILITY_SCALE` (default 1) multiplies the counts of every test here that
has counts (examples, probes, racers: `tests.helpers.scaled`); see docs/testing.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.contract.wire")

from tests.helpers import LiveTenant  # noqa: E402
from tests.server_process import ServerProcess, create_app, provision_user  # noqa: E402


@pytest.fixture
def live_server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    """A real `contactd serve` process on a free port over the test's store."""
    process = ServerProcess(database_url, tmp_path / "server.log")
    yield process
    process.stop()


@pytest.fixture
def live_tenant(live_server: ServerProcess, database_url: str) -> LiveTenant:
    appid, secret = create_app(database_url)
    return LiveTenant(appid, secret, provision_user(live_server, appid, secret))

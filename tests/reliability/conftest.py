"""Fixtures of the reliability tier, on top of `tests/conftest.py` (which owns the store).

`CONTACTD_RELIABILITY_SCALE` (default 1) multiplies the counts of every test here that
has counts (examples, probes, racers); see docs/testing.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.contract.wire")

from tests.server_process import ServerProcess, create_app, provision_user  # noqa: E402

SCALE = max(1, int(os.environ.get("CONTACTD_RELIABILITY_SCALE", "1")))


def scaled(n: int) -> int:
    """A CI count, multiplied by `CONTACTD_RELIABILITY_SCALE`."""
    return n * SCALE


@dataclass(frozen=True)
class LiveTenant:
    appid: int
    secret: str
    token: str


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

"""The factory `contactd serve` runs in each worker process."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from contactd.api.app import ContactdApp
from contactd.api.asgi import app_from_env
from contactd.serving import GIL_SWITCH_INTERVAL_SECONDS


@pytest.fixture
def switch_interval() -> Iterator[None]:
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_the_factory_builds_the_app_and_shortens_the_gil_switch_interval(
    switch_interval: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTACTD_DATABASE_URL", f"sqlite:///{tmp_path / 'contactd.db'}")
    sys.setswitchinterval(0.005)

    app = app_from_env()

    assert isinstance(app, ContactdApp)
    assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_INTERVAL_SECONDS)

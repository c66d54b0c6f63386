"""The app factories: `contactd serve`'s (each worker's) and the one for other servers."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from contactd.api.app import ContactdApp, create_app
from contactd.api.asgi import app_from_env
from contactd.config import Settings
from contactd.serving import GIL_SWITCH_INTERVAL_SECONDS, ServedApp


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


def test_the_serve_factory_prepares_its_process_and_builds_the_app_of_its_settings(
    switch_interval: None, tmp_path: Path
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'contactd.db'}")
    sys.setswitchinterval(0.005)

    app = ServedApp(settings)()

    assert isinstance(app, ContactdApp)
    assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_INTERVAL_SECONDS)


def test_create_app_leaves_the_interpreter_as_it_is(switch_interval: None, tmp_path: Path) -> None:
    sys.setswitchinterval(0.005)
    create_app(Settings(database_url=f"sqlite:///{tmp_path / 'contactd.db'}"))
    assert sys.getswitchinterval() == pytest.approx(0.005)

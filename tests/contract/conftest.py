"""Fixtures of the contract tier, on top of `tests/conftest.py` (which owns the store)."""

from __future__ import annotations

import pytest

# Helpers shared with the black-box tier assert too: let pytest explain their failures.
pytest.register_assert_rewrite("tests.contract.wire", "tests.contract.scenarios")

from starlette.testclient import TestClient  # noqa: E402

from tests.contract.scenarios import AppCredentials  # noqa: E402
from tests.contract.wire import Post, client_post  # noqa: E402
from tests.helpers import Api  # noqa: E402


@pytest.fixture
def post(client: TestClient) -> Post:
    """`post(path, body) -> (status, json)`; a `bytes` body is sent as it is."""
    return client_post(client)


@pytest.fixture
def fresh_app(api: Api) -> AppCredentials:
    """An app with no principals and no contacts."""
    appid, secret = api.create_app("Fresh app")
    return AppCredentials(appid=appid, secret=secret)

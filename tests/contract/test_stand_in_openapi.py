"""The control API in `/openapi.json`: in stand-in mode only, under the tag "stand-in",
each with an example body that decodes as its request."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.api.routes import OPERATIONS
from contactd.config import Settings
from contactd.standin.control import CONTROL_PREFIX, STAND_IN_OPERATIONS
from tests.helpers import FAST_HASH


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, stand_in=True, **FAST_HASH)


def test_the_document_lists_the_control_api_beside_the_vendors(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) == {op.path for op in OPERATIONS + STAND_IN_OPERATIONS}
    for op in STAND_IN_OPERATIONS:
        post = paths[op.path]["post"]
        assert post["tags"] == ["stand-in"], op.path
        example = post["requestBody"]["content"]["application/json"]["example"]
        decoded = msgspec.json.decode(json.dumps(example), type=op.request)
        # Through JSON, not to_builtins: a seed's items are kept as raw JSON (msgspec.Raw).
        fields = msgspec.json.decode(msgspec.json.encode(decoded))
        assert {"appid", "secret"} <= set(fields), op.path
    assert not [op for op in OPERATIONS if op.path.startswith(CONTROL_PREFIX)]


def test_outside_stand_in_mode_every_control_path_is_404(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/c.db", **FAST_HASH)
    with TestClient(create_app(settings)) as plain:
        assert "stand-in" not in json.dumps(plain.get("/openapi.json").json()["paths"])
        for op in STAND_IN_OPERATIONS:
            answer = plain.post(op.path, json={"appid": 1111112, "secret": "s"})
            assert answer.status_code == 404, op.path
            assert answer.json()["status"] == "error"

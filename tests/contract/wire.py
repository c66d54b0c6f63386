"""What every contract test speaks: a `post(path, body) -> (status, json)` callable and
assertions on the one error body.

`post` sends `bytes` as the raw body and anything else as JSON, so the same scenario can
run in-process (Starlette's TestClient) and against a real `contactd serve` (httpx).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

Post = Callable[[str, Any], tuple[int, Any]]

AUTH_V3 = "Authenticated user record not found"
APP_AUTH_FAILED = "Invalid appid or secret"
DUPLICATE = "Duplicate contact detected within the organization"
INVALID_PAGE_STATE = "invalid page_state"
NOT_JSON = "request body is not valid JSON"
NOT_OBJECT = "request body must be a JSON object"
TOO_LARGE = "request body must be at most 1048576 bytes"
MAX_BODY_BYTES = 1024 * 1024
JSON_HEADERS = {"content-type": "application/json"}


def client_post(client: TestClient) -> Post:
    def post(path: str, body: Any) -> tuple[int, Any]:
        if isinstance(body, bytes):
            response = client.post(path, content=body, headers=JSON_HEADERS)
        else:
            response = client.post(path, json=body)
        if not response.headers.get("content-type", "").startswith("application/json"):
            return response.status_code, response.text  # a CSV export, say
        return response.status_code, response.json()

    return post


def assert_error_shape(status: int, body: Any) -> None:
    """The canonical error body (docs/api.md, "Every endpoint"), whatever the error."""
    assert isinstance(body, dict), body
    assert set(body) in ({"code", "status", "msg"}, {"code", "status", "msg", "duplicates"}), body
    assert type(body["code"]) is int
    assert body["code"] == status
    assert body["status"] == "error"
    assert isinstance(body["msg"], str)
    assert body["msg"].strip()
    if "duplicates" in body:
        assert isinstance(body["duplicates"], list)
        assert all(isinstance(phone, str) for phone in body["duplicates"])


def assert_error(status: int, body: Any, code: int, msg: str) -> None:
    """Exactly `{code, status: "error", msg}` with the HTTP status equal to `code`."""
    assert (status, body) == (code, {"code": code, "status": "error", "msg": msg})


def assert_duplicates(status: int, body: Any, phones: list[str]) -> None:
    """The v3 duplicate-phone error naming `phones` (in any order)."""
    assert_error_shape(status, body)
    assert status == 409
    assert body["msg"] == DUPLICATE
    assert sorted(body["duplicates"]) == sorted(phones)

"""`GET /` (the console's page), the request ids every answer carries, and the request examples of
`/openapi.json`: each decodes into its operation's request Struct, and together they
walk a fresh app through every operation, each answered 200."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
import pytest
from starlette.testclient import TestClient

from contactd import __version__
from contactd.api import examples
from contactd.api.callbacks import NO_CALL_RECORDS
from contactd.api.routes import OPERATIONS
from tests.helpers import Api

GENERATED_ID = re.compile(r"[0-9a-f]{12}-[0-9a-f]+")


def test_the_console_page_names_the_server_and_links_its_pages(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert '<script type="module" src="/console/js/main.js">' in response.text
    assert "contactd" in response.text
    assert __version__ in response.text
    for path in ("/docs", "/openapi.json", "/healthz", "/metrics"):
        assert f'href="{path}"' in response.text
        assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/nowhere"), ("POST", "/v3/contact/get"), ("POST", "/v9/x")],
)
def test_every_answer_carries_a_request_id(client: TestClient, method: str, path: str) -> None:
    made = client.request(method, path, json={})
    assert GENERATED_ID.fullmatch(made.headers["x-request-id"])
    again = client.request(method, path, json={})
    assert again.headers["x-request-id"] != made.headers["x-request-id"]
    kept = client.request(method, path, json={}, headers={"X-Request-ID": "edge-42.a/b+c=d"})
    assert kept.headers["x-request-id"] == "edge-42.a/b+c=d"
    refused = client.request(method, path, json={}, headers={"X-Request-ID": "x" * 129})
    assert GENERATED_ID.fullmatch(refused.headers["x-request-id"])


def test_every_request_body_has_an_example_that_decodes(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    by_path = {op.path: op for op in OPERATIONS}
    assert set(document["paths"]) == set(by_path)
    for path, item in document["paths"].items():
        example = item["post"]["requestBody"]["content"]["application/json"]["example"]
        decoded = msgspec.json.decode(json.dumps(example), type=by_path[path].request)
        assert msgspec.to_builtins(decoded), path


def _with(example: Any, values: dict[str, Any]) -> Any:
    """The example with its placeholders replaced by a real app's values."""
    if isinstance(example, dict):
        return {key: _with(item, values) for key, item in example.items()}
    if isinstance(example, list):
        return [_with(item, values) for item in example]
    if isinstance(example, str):
        for placeholder, real in values.items():
            example = example.replace(str(placeholder), str(real))
        return example
    return values.get(example, example) if isinstance(example, int) else example


# The order a user would try them in: each example's records exist by its turn.
WALK = (
    "/v3/user/add",
    "/v2/user/login",
    "/v1/agent/add",
    "/v1/agentLogin",
    "/v1/agent/get",
    "/v2/token",
    "/v2/user/add",
    "/v2/user/list",
    "/v2/user/update",
    "/v2/user/remove",
    "/v3/user/all",
    "/v3/contact/add",
    "/v3/contact/update",
    "/v3/contact/get",
    "/x/contacts/get",
    "/x/contacts/update",
    "/v3/contact/delete",
    "/v1/updateContact",
    "/v1/getContact",
    "/v2/user/contact/update",
    "/v2/user/notes/add",
    "/v2/user/notes/get",
    "/v2/user/contact/get",
    "/x/admin/tags",
    "/v2/user/tags/get",
    "/v2/user/contact/delete",
    "/x/contacts/search",
    "/x/contacts/due",
    "/x/contacts/import",
    "/x/contacts/export",
    "/v1/deleteContact",
    "/v3/user/get",
    "/v3/user/list",
    "/v3/user/update",
    "/v1/agent/list",
    "/v1/agent/update",
    "/v1/agent/remove",
    "/x/admin/unlock",
    "/v1/callback",
    "/v1/callbackAction",
    "/v2/callback",
    "/v2/callback/action",
    "/v3/user/remove",
)
# Answered with something else than JSON: the text of the answer is checked instead.
NOT_JSON = {"/x/contacts/export": "text/csv; charset=utf-8"}
# Not served (docs/api.md, "Callbacks"): with a good token, the answer is 501.
NOT_SERVED = {"/v1/callback", "/v1/callbackAction", "/v2/callback", "/v2/callback/action"}


def test_the_examples_work_as_they_are_once_their_placeholders_are_filled(
    client: TestClient, api: Api
) -> None:
    assert sorted(WALK) == sorted(op.path for op in OPERATIONS)
    appid, secret = api.create_app()
    values: dict[Any, Any] = {examples.APPID: appid, examples.SECRET: secret}
    document = client.get("/openapi.json").json()
    for path in WALK:
        example = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        if path in NOT_JSON:
            response = client.post(path, json=_with(example["example"], values))
            assert response.status_code == 200, (path, response.text)
            assert response.headers["content-type"] == NOT_JSON[path]
            continue
        status, body = api.post(path, _with(example["example"], values))
        if path in NOT_SERVED:
            assert (status, body["msg"]) == (501, NO_CALL_RECORDS), (path, body)
            continue
        assert status == 200, (path, body)
        if path == "/v2/user/login":
            values[examples.TOKEN] = body["token"]
        if path == "/v3/contact/add":
            values[examples.CONTACT_ID] = body["contact_ids"][0]

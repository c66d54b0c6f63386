"""Operational endpoints: `/healthz`, `/openapi.json`, `/docs`
(docs/api.md, "Operational endpoints")."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from starlette.testclient import TestClient

from contactd.api.operations import Operation, Streamed
from contactd.api.routes import OPERATIONS

ALWAYS = {413, 503, 507}


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow one `$ref` into `components.schemas`."""
    ref = schema.get("$ref")
    if ref is None:
        return schema
    prefix = "#/components/schemas/"
    assert ref.startswith(prefix)
    found: dict[str, Any] = document["components"]["schemas"][ref.removeprefix(prefix)]
    return found


def json_schema(document: dict[str, Any], holder: dict[str, Any]) -> dict[str, Any]:
    return resolve(document, holder["content"]["application/json"]["schema"])


def test_healthz_is_200_when_the_store_answers(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_is_version_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"]


def test_openapi_lists_every_route_with_its_schemas(document: dict[str, Any]) -> None:
    for op in OPERATIONS:
        check_route_schemas(document, op)


def check_route_schemas(document: dict[str, Any], op: Operation) -> None:
    post = document["paths"][op.path]["post"]
    request = json_schema(document, post["requestBody"])
    fields = msgspec.structs.fields(op.request)
    assert request["type"] == "object", op.path
    assert set(request["properties"]) == {f.encode_name for f in fields}, op.path
    required = {f.encode_name for f in fields if f.required}
    assert set(request.get("required", [])) == required, op.path
    success = post["responses"]["200"]
    if isinstance(op.response, type) and issubclass(op.response, Streamed):
        # A streamed answer is text of its own media type (the CSV export).
        media = op.response.media_type.split(";")[0]
        assert success["content"] == {media: {"schema": {"type": "string"}}}, op.path
        return
    assert json_schema(document, success)["type"] == "object", op.path


def test_openapi_lists_every_error_status_with_the_error_schema(
    document: dict[str, Any],
) -> None:
    for op in OPERATIONS:
        responses = document["paths"][op.path]["post"]["responses"]
        every = {*ALWAYS, 422} if op.write else set(ALWAYS)  # 422: Idempotency-Key reused
        assert (op.path, {int(s) for s in responses}) == (op.path, {200, *op.errors, *every})
        for status in {*op.errors, *every}:
            error = json_schema(document, responses[str(status)])
            assert {"code", "status", "msg"} <= set(error["required"]), (op.path, status)


def test_openapi_lists_no_route_that_is_not_served(document: dict[str, Any]) -> None:
    assert set(document["paths"]) == {op.path for op in OPERATIONS}


def test_docs_serve_html_that_loads_the_document(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in response.text
    assert "swagger-ui" in response.text


def test_docs_assets_are_served_offline(client: TestClient) -> None:
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        response = client.get(f"/docs/assets/{asset}")
        assert response.status_code == 200, asset
        assert len(response.content) > 1000

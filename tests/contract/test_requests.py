"""Request bodies (docs/api.md, "Every endpoint"): JSON objects only, bounded at 1 MiB,
strict types, unknown fields ignored, and never a 500."""

from __future__ import annotations

from collections.abc import Iterator

from starlette.testclient import TestClient

from tests.contract.wire import (
    JSON_HEADERS,
    MAX_BODY_BYTES,
    NOT_JSON,
    NOT_OBJECT,
    TOO_LARGE,
    Post,
    assert_error,
    assert_error_shape,
)
from tests.helpers import Tenant, contact

GET = "/v3/contact/get"


MALFORMED = [
    b"{",
    b'{"token": ',
    b"{'token': 'x'}",
    b'{"token": "x",}',
    b"token=x",
    b"\x00",
    b"NaN",
]
NOT_OBJECTS = [b"", b"   ", b"[]", b'"token"', b"42", b"null", b"true", b"[{}]"]


def test_malformed_json_is_400(post: Post) -> None:
    for raw in MALFORMED:
        status, body = post(GET, raw)
        assert (raw, status, body) == (raw, 400, {"code": 400, "status": "error", "msg": NOT_JSON})


def test_body_that_is_not_an_object_is_400(post: Post) -> None:
    for raw in NOT_OBJECTS:
        status, body = post(GET, raw)
        assert (raw, status, body) == (
            raw,
            400,
            {"code": 400, "status": "error", "msg": NOT_OBJECT},
        )


def test_invalid_utf8_is_400(post: Post) -> None:
    status, body = post(GET, b'{"token": "\xff\xfe"}')
    assert_error(status, body, 400, NOT_JSON)


def test_deeply_nested_unknown_field_is_400_not_500(post: Post, tenant: Tenant) -> None:
    depth = 50_000
    raw = b'{"token": "x", "extra": ' + b"[" * depth + b"]" * depth + b"}"
    status, body = post(GET, raw)
    assert_error(status, body, 400, "request body is nested too deeply")


WRONG_TYPES = [
    ("token", 1, "token must be a string"),
    ("limit", "x", "limit must be an integer"),
    ("limit", False, "limit must be an integer"),
    ("contact_id", ["x"], "contact_id must be a string"),
    ("page_state", {}, "page_state must be a string"),
]


def test_wrong_type_is_400_naming_the_field(post: Post, tenant: Tenant) -> None:
    for field, value, msg in WRONG_TYPES:
        status, body = post(GET, {"token": tenant.token, field: value})
        assert (field, body["msg"]) == (field, msg)
        assert_error(status, body, 400, msg)


def test_wrong_type_deep_in_a_batch_names_the_path(post: Post, tenant: Tenant) -> None:
    batch = [contact(1), contact(2, first_name=["Ann"])]
    status, body = post("/v3/contact/add", {"token": tenant.token, "contacts": batch})
    assert_error(status, body, 400, "contacts[1].first_name must be a string")


def test_unknown_fields_are_ignored(post: Post, tenant: Tenant) -> None:
    extra = {"token": tenant.token, "limit": 5, "page": 3, "verbose": True, "nested": {"a": [1]}}
    status, body = post(GET, extra)
    assert status == 200, body


def test_null_optional_fields_count_as_absent(post: Post, tenant: Tenant) -> None:
    absent = {"token": tenant.token, "limit": None, "page_state": None, "contact_id": None}
    status, body = post(GET, absent)
    assert (status, body["page_state"]) == (200, None)


def padded(token: str, size: int) -> bytes:
    """A valid get body of exactly `size` bytes (JSON whitespace as padding)."""
    head = b'{"token": "' + token.encode() + b'"'
    return head + b" " * (size - len(head) - 1) + b"}"


def test_body_of_exactly_one_mib_is_read(post: Post, tenant: Tenant) -> None:
    status, body = post(GET, padded(tenant.token, MAX_BODY_BYTES))
    assert status == 200, body


def test_body_over_one_mib_is_413(post: Post, tenant: Tenant) -> None:
    status, body = post(GET, padded(tenant.token, MAX_BODY_BYTES + 1))
    assert_error(status, body, 413, TOO_LARGE)


def test_declared_length_over_one_mib_is_413(client: TestClient, tenant: Tenant) -> None:
    huge = padded(tenant.token, 4 * MAX_BODY_BYTES)
    response = client.post(GET, content=huge, headers=JSON_HEADERS)
    assert_error(response.status_code, response.json(), 413, TOO_LARGE)


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    yield b'{"token": "'
    sent = 0
    while sent < total:
        yield b"a" * min(size, total - sent)
        sent += size
    yield b'"}'


def test_chunked_body_over_one_mib_is_413(client: TestClient) -> None:
    response = client.post(GET, content=chunks(2 * MAX_BODY_BYTES), headers=JSON_HEADERS)
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_error(response.status_code, response.json(), 413, TOO_LARGE)


def test_chunked_body_under_one_mib_is_read(client: TestClient) -> None:
    response = client.post(GET, content=chunks(1000), headers=JSON_HEADERS)
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 404  # read whole: the token is unknown


def test_content_type_is_not_required(client: TestClient, tenant: Tenant) -> None:
    raw = b'{"token": "' + tenant.token.encode() + b'"}'
    response = client.post(GET, content=raw, headers={"content-type": "text/plain"})
    assert response.status_code == 200


def test_unknown_path_is_404_in_the_error_shape(client: TestClient) -> None:
    response = client.post("/v3/contact/nope", json={})
    assert response.status_code == 404
    assert_error_shape(response.status_code, response.json())


def test_wrong_method_is_405_in_the_error_shape(client: TestClient) -> None:
    response = client.get(GET)
    assert response.status_code == 405
    assert_error_shape(response.status_code, response.json())


def test_nul_character_in_a_string_is_400_on_every_backend(post: Post, tenant: Tenant) -> None:
    nul_name = b'{"token": "%s", "contacts": [{"phone_no": "919100000000", '
    nul_name += b'"first_name": "A\\u0000B", "last_name": "C"}]}'
    status, body = post("/v3/contact/add", nul_name % tenant.token.encode())
    assert_error(status, body, 400, "text fields must not contain the NUL character (\\u0000)")
    status, body = post("/v3/contact/get", {"token": tenant.token})
    assert (status, body["count"]) == (200, 0)


def test_escaped_backslash_before_u0000_is_text_not_nul(post: Post, tenant: Tenant) -> None:
    raw = b'{"token": "%s", "contacts": [{"phone_no": "919100000000", '
    raw += b'"first_name": "A\\\\u0000B", "last_name": "C"}]}'
    status, body = post("/v3/contact/add", raw % tenant.token.encode())
    assert status == 200, body
    status, body = post("/v3/contact/get", {"token": tenant.token})
    assert body["contacts"][0]["first_name"] == "A\\u0000B"

"""The one error body, enforced for every operation in the route table (docs/api.md,
"Every endpoint").

For each operation of `contactd.api.routes.OPERATIONS` (so a new endpoint is covered the
day it is added), errors are provoked — malformed JSON, bodies that are not objects,
each required field missing, each field of a wrong type, wrong credentials, an oversized
body — and every answer must be exactly `{code: int, status: "error", msg: str}` (plus
`duplicates` on duplicate phones) with the HTTP status equal to `code`, and that status
among the operation's declared errors or 413/503/507.

A sample body is built for each request type from its msgspec type information, so that
the credential checks run on a body that decodes (checked first, so they cannot pass
vacuously).
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
import msgspec.inspect as mi
import pytest

from contactd.api.errors import Generation
from contactd.api.operations import Operation
from contactd.api.routes import OPERATIONS
from tests.contract.wire import MAX_BODY_BYTES, Post, assert_error_shape
from tests.helpers import USER_PASSWORD, Api, Tenant

ALWAYS = {413, 503, 507}
IDS = [op.path for op in OPERATIONS]
UNKNOWN_APPID = 1_000_000


def fields_of(op: Operation) -> list[mi.Field]:
    info = mi.type_info(op.request)
    assert isinstance(info, mi.StructType)
    return list(info.fields)


def wire_names(op: Operation) -> set[str]:
    return {f.encode_name for f in fields_of(op)}


def takes_token(op: Operation) -> bool:
    return "token" in wire_names(op)


def takes_app_secret(op: Operation) -> bool:
    return {"appid", "secret"} <= wire_names(op)


def takes_login(op: Operation) -> bool:
    return {"id", "password"} <= wire_names(op) and not takes_app_secret(op)


# The status of bad credentials, by generation (docs/api.md, "Every endpoint").
BAD_TOKEN = {Generation.V1: 400, Generation.V2: 404, Generation.V3: 404}
BAD_APP_SECRET = {Generation.V1: 400, Generation.V2: 401, Generation.V3: 401}
# v2's admin token exchange answers wrong credentials as the logins do.
BAD_APP_SECRET_AT = {"/v2/token": 404}
BAD_LOGIN = 404


def _strip(t: mi.Type) -> mi.Type:
    """A type with a description is wrapped: Metadata(type=...)."""
    while isinstance(t, mi.Metadata):
        t = t.type
    return t


def _unwrap(t: mi.Type) -> mi.Type:
    """The type itself, or a union's first member that is not null."""
    t = _strip(t)
    if isinstance(t, mi.UnionType):
        return _unwrap(next(m for m in t.types if not isinstance(m, mi.NoneType)))
    return t


def sample(t: mi.Type, name: str) -> Any:
    """A value of type `t` that decodes, with plausible values for well-known names."""
    t = _unwrap(t)
    if isinstance(t, mi.StrType):
        if "contact_id" in name:
            return str(uuid.uuid4())
        if "phone" in name or name in ("from", "mobile"):
            return "919100000000"
        if "email" in name:
            return "john.doe@example.com"
        return "x" * max(t.min_length or 1, 8 if "password" in name else 1)
    if isinstance(t, mi.BoolType):
        return False
    if isinstance(t, mi.IntType):
        return t.ge if t.ge is not None else (t.gt + 1 if t.gt is not None else 1)
    if isinstance(t, mi.FloatType):
        return 1.0
    if isinstance(t, mi.ListType):
        return [sample(t.item_type, name) for _ in range(max(t.min_length or 1, 1))]
    if isinstance(t, mi.StructType):
        return {f.encode_name: sample(f.type, f.encode_name) for f in t.fields if f.required}
    if isinstance(t, mi.LiteralType):
        return t.values[0]
    raise NotImplementedError(f"no sample for {t!r} ({name}); teach test_error_shape.sample")


# Where one of two optional fields must be sent, the one a sample body sends.
ONE_OF = {"/v3/user/add": {"name": "Asha Rao"}, "/v3/user/remove": {"extension": 1001}}


def sample_body(op: Operation) -> dict[str, Any]:
    required = {f.encode_name: sample(f.type, f.encode_name) for f in fields_of(op) if f.required}
    return required | ONE_OF.get(op.path, {})


def accepts_objects(t: mi.Type) -> bool:
    t = _strip(t)
    members = t.types if isinstance(t, mi.UnionType) else (t,)
    object_like = (mi.StructType, mi.DictType, mi.AnyType, mi.TypedDictType, mi.DataclassType)
    return any(isinstance(_strip(m), object_like) for m in members)


def check(op: Operation, status: int, body: Any) -> None:
    assert_error_shape(status, body)
    assert status in {*op.errors, *ALWAYS}, (op.path, status, body)


# -- the sample bodies decode (else the credential checks below prove nothing) -------------


@pytest.mark.parametrize("op", OPERATIONS, ids=IDS)
def test_sample_body_decodes(op: Operation) -> None:
    msgspec.json.decode(msgspec.json.encode(sample_body(op)), type=op.request)


# -- bodies that are not a request ----------------------------------------------------------


NOT_JSON = "request body is not valid JSON"
NOT_OBJECT = "request body must be a JSON object"
# (raw body, status, msg or None for "any message")
NOT_REQUESTS: list[tuple[bytes, int, str | None]] = [
    *((raw, 400, NOT_JSON) for raw in (b"{", b'{"a": }', b"\xff", b"{'a': 1}", b'{"a": 1,}')),
    *((raw, 400, NOT_OBJECT) for raw in (b"", b"  ", b"[]", b"1", b'"x"', b"null", b"[{}]")),
    (b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", 400, None),
    (b"{" + b" " * MAX_BODY_BYTES + b"}", 413, None),
]


@pytest.mark.parametrize("op", OPERATIONS, ids=IDS)
def test_bodies_that_are_not_requests(post: Post, op: Operation) -> None:
    """Malformed JSON, non-objects, absurd nesting, over 1 MiB: one loop, one fixture."""
    for raw, expected, msg in NOT_REQUESTS:
        status, body = post(op.path, raw)
        check(op, status, body)
        assert (raw[:20], status) == (raw[:20], expected), body
        if msg is not None:
            assert body["msg"] == msg


# -- each required field missing, each field of a wrong type ------------------------------


@pytest.mark.parametrize("op", OPERATIONS, ids=IDS)
def test_each_required_field_missing(post: Post, op: Operation) -> None:
    required = [f.encode_name for f in fields_of(op) if f.required]
    assert required
    check(op, *post(op.path, {}))
    for name in required:
        body = sample_body(op)
        del body[name]
        status, error = post(op.path, body)
        check(op, status, error)
        if name == "token":  # a missing token is an authentication failure (§5, §6)
            assert status == BAD_TOKEN[op.generation], error
        else:
            assert (status, error["msg"]) == (400, f"{name} is required")


@pytest.mark.parametrize("op", OPERATIONS, ids=IDS)
def test_each_field_of_a_wrong_type(post: Post, op: Operation) -> None:
    for field in fields_of(op):
        if accepts_objects(field.type):
            continue
        body = {**sample_body(op), field.encode_name: {"not": "this"}}
        status, error = post(op.path, body)
        check(op, status, error)
        assert status == 400, (field.encode_name, error)
        assert error["msg"].startswith(f"{field.encode_name} must be "), error


# -- wrong credentials ---------------------------------------------------------------------


TOKEN_OPS = [op for op in OPERATIONS if takes_token(op)]
APP_OPS = [op for op in OPERATIONS if takes_app_secret(op)]
LOGIN_OPS = [op for op in OPERATIONS if takes_login(op)]


def test_every_operation_takes_credentials() -> None:
    assert {op.path for op in TOKEN_OPS + APP_OPS + LOGIN_OPS} == {op.path for op in OPERATIONS}


BAD_TOKENS = ["", "garbage", "1234567.unknown", "9" * 300]


@pytest.mark.parametrize("op", TOKEN_OPS, ids=[op.path for op in TOKEN_OPS])
def test_bad_token(post: Post, tenant: Tenant, op: Operation) -> None:
    for token in BAD_TOKENS:
        status, body = post(op.path, {**sample_body(op), "token": token})
        check(op, status, body)
        assert status == BAD_TOKEN[op.generation], body


@pytest.mark.parametrize("op", APP_OPS, ids=[op.path for op in APP_OPS])
def test_wrong_secret(post: Post, api: Api, op: Operation) -> None:
    appid, secret = api.create_app("Error shape")
    for credentials in (
        {"appid": appid, "secret": secret + "x"},
        {"appid": appid, "secret": ""},
        {"appid": UNKNOWN_APPID if appid != UNKNOWN_APPID else appid + 1, "secret": secret},
    ):
        status, body = post(op.path, {**sample_body(op), **credentials})
        check(op, status, body)
        assert status == BAD_APP_SECRET_AT.get(op.path, BAD_APP_SECRET[op.generation]), body


@pytest.mark.parametrize("op", LOGIN_OPS, ids=[op.path for op in LOGIN_OPS])
def test_wrong_login(post: Post, tenant: Tenant, op: Operation) -> None:
    for credentials in (
        {"id": tenant.user_id, "password": USER_PASSWORD + "x"},
        {"id": f"9999_{tenant.appid}", "password": USER_PASSWORD},
        {"id": "garbage", "password": USER_PASSWORD},
    ):
        status, body = post(op.path, {**sample_body(op), **credentials})
        check(op, status, body)
        assert status == BAD_LOGIN, body


# -- right credentials, sample values: answered in shape, never a 500 ------------------------


@pytest.mark.parametrize("op", OPERATIONS, ids=IDS)
def test_sample_request_with_good_credentials(post: Post, tenant: Tenant, op: Operation) -> None:
    body = sample_body(op)
    if takes_token(op):
        body["token"] = tenant.token
    if takes_app_secret(op):
        body |= {"appid": tenant.appid, "secret": tenant.secret}
    if takes_login(op):
        body |= {"id": tenant.user_id, "password": USER_PASSWORD}
    status, answer = post(op.path, body)
    if status != 200:
        check(op, status, answer)

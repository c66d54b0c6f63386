"""Every validation message names the field and the rule, whatever the value: none of
msgspec's own text reaches a client.

Hypothesis puts a hostile JSON value (numbers past what a float or a 64-bit integer
holds, 5,000-digit integers, wrong types, nesting, long strings) into one field of a
decodable body of every operation, at the top level or inside a batch item, and posts
it in process. Every answer must be an error in the error shape, below 500; a 400
must name a field of the request (its path) or the body, unless it refuses the
credentials, and no message carries msgspec's words. Validation comes before
authentication, so the store is not involved: SQLite only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec.inspect as mi
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.api.routes import OPERATIONS
from contactd.config import Settings
from contactd.domain.apps import APP_AUTH_FAILED
from contactd.domain.principals import LOGIN_FAILED, TOKEN_INVALID
from tests.contract.test_error_shape import sample_body
from tests.contract.wire import assert_error_shape
from tests.helpers import FAST_HASH, scaled

EXAMPLES = 150
"""Per operation, times `CONTACTD_RELIABILITY_SCALE`."""
MSGSPEC_WORDS = re.compile(r"`|\$\.|Expected|out of range|got `|Object (missing|contains)")
"""Phrases of msgspec's messages; none of them is in a message of contactd's own."""
BODY_MESSAGES = ("request body ", "text fields must not contain the NUL character")
CREDENTIALS_REFUSED = {APP_AUTH_FAILED, LOGIN_FAILED, TOKEN_INVALID}
"""A value that decodes reaches authentication, refused with 400 in v1 and admin v1."""
HOLE = "__hostile__"

NUMBERS = st.sampled_from(
    [
        "1e400",
        "-1e400",
        "1e-400",
        "1E309",
        "123456789012345678901234567890.5",
        str(2**63),
        str(2**64),
        str(2**70),
        str(-(2**63) - 1),
        "9" * 5000,
        "-" + "9" * 5000,
        "0.0",
        "-0",
        "1.5",
    ]
)
HOSTILE = st.one_of(
    NUMBERS,
    st.integers(-(2**80), 2**80).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(json.dumps),
    st.text(max_size=300).map(json.dumps),
    st.sampled_from(["true", "null", "[]", "{}", "[1e400]", '{"a": 1e400}', "[[[]]]"]),
    st.lists(st.integers(-(2**70), 2**70), max_size=3).map(json.dumps),
)


def _bare(t: Any) -> Any:
    while isinstance(t, mi.Metadata):
        t = t.type
    return t


def _item_struct(t: Any) -> Any:
    """The Struct a list field holds (a batch's item), or None."""
    t = _bare(t)
    members = t.types if isinstance(t, mi.UnionType) else (t,)
    for member in map(_bare, members):
        if isinstance(member, mi.ListType) and isinstance(_bare(member.item_type), mi.StructType):
            return _bare(member.item_type)
    return None


def holes(request: type) -> list[tuple[str, ...]]:
    """Every field of the request, and every field of a batch's first item."""
    info = mi.type_info(request)
    assert isinstance(info, mi.StructType)
    found: list[tuple[str, ...]] = []
    for field in info.fields:
        found.append((field.encode_name,))
        item = _item_struct(field.type)
        if item is not None:
            found += [(field.encode_name, "0", f.encode_name) for f in item.fields]
    return found


def body_with(op_body: dict[str, Any], hole: tuple[str, ...], raw: str) -> bytes:
    body = json.loads(json.dumps(op_body))
    target: Any = body
    for step in hole[:-1]:
        target = target[int(step)] if step.isdigit() else target[step]
    target[hole[-1]] = HOLE
    return json.dumps(body).replace(json.dumps(HOLE), raw).encode()


def names_a_field(msg: str, request: type) -> bool:
    info = mi.type_info(request)
    assert isinstance(info, mi.StructType)
    first = re.split(r"[ .\[]", msg, maxsplit=1)[0]
    return first in {f.encode_name for f in info.fields} or msg.startswith(BODY_MESSAGES)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path: Path = tmp_path_factory.mktemp("messages") / "contactd.db"
    app = create_app(Settings(database_url=f"sqlite:///{path}", **FAST_HASH))
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize("op", OPERATIONS, ids=[op.path for op in OPERATIONS])
def test_every_validation_message_names_the_field_and_the_rule(client: TestClient, op: Any) -> None:
    base = sample_body(op)
    base.update({k: "0" * 8 for k in ("token",) if k in base})

    @settings(
        max_examples=scaled(EXAMPLES),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(hole=st.sampled_from(holes(op.request)), raw=HOSTILE)
    def check(hole: tuple[str, ...], raw: str) -> None:
        if len(hole) > 1 and not isinstance(base.get(hole[0]), list):
            return
        response = client.post(op.path, content=body_with(base, hole, raw))
        body = response.json()
        assert_error_shape(response.status_code, body)
        assert response.status_code < 500, body
        msg = body["msg"]
        assert not MSGSPEC_WORDS.search(msg), (hole, raw[:80], msg)
        if response.status_code == 400 and msg not in CREDENTIALS_REFUSED:
            assert names_a_field(msg, op.request), (hole, raw[:80], msg)

    check()

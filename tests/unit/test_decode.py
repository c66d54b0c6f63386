"""`contactd.api.decode`: a refused body's "<field> <rule>" sentence, found from the body
and the request type (never from msgspec's message)."""

from __future__ import annotations

import re
from typing import Annotated

import msgspec
import pytest
from msgspec import Meta

from contactd.api.decode import decode_body, explain
from contactd.domain.errors import DomainError, Invalid
from contactd.domain.tokens import TokenRefused


class Item(msgspec.Struct):
    phone_no: str
    name: Annotated[str, Meta(max_length=5)] = ""


class Request(msgspec.Struct):
    token: Annotated[str, Meta(max_length=16)]
    limit: Annotated[int, Meta(ge=1, le=100)] | None = None
    extension: Annotated[int, Meta(ge=100, le=9999, description="described")] = 100
    hour: Annotated[int, Meta(ge=0, le=24, description="described")] | None = None
    floor: Annotated[int, Meta(ge=0)] = 0
    items: Annotated[list[Item], Meta(min_length=1, max_length=3)] = msgspec.field(
        default_factory=lambda: [Item("1")]
    )
    code: Annotated[str, Meta(min_length=1)] = "x"
    either: int | str = 0
    phone: str | int = 0


def message_for(raw: bytes) -> str:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=Request)
    return explain(raw, Request)


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        (b'{"token": "t", "limit": 0}', "limit must be between 1 and 100"),
        (b'{"token": "t", "limit": 101}', "limit must be between 1 and 100"),
        (b'{"token": "t", "limit": "5"}', "limit must be an integer"),
        (b'{"token": "t", "limit": true}', "limit must be an integer"),
        (b'{"token": "t", "extension": 99}', "extension must be between 100 and 9999"),
        (b'{"token": "t", "hour": 25}', "hour must be between 0 and 24"),
        (b'{"token": "t", "floor": -1}', "floor must be >= 0"),
        (b'{"token": 5}', "token must be a string"),
        (b'{"token": "t", "items": []}', "items must hold at least 1 item"),
        (
            b'{"token": "t", "items": [{"phone_no": "1"}, {"phone_no": "1"}, {"phone_no": "1"},'
            b' {"phone_no": "1"}]}',
            "items must hold at most 3 items",
        ),
        (b'{"token": "t", "items": {}}', "items must be an array"),
        (b'{"token": "t", "items": [5]}', "items[0] must be an object"),
        (b'{"token": "t", "items": [{"phone_no": "1"}, {}]}', "items[1].phone_no is required"),
        (b'{"token": "t", "items": [{"phone_no": 1}]}', "items[0].phone_no must be a string"),
        (
            b'{"token": "t", "items": [{"phone_no": "1", "name": "toolong"}]}',
            "items[0].name must be at most 5 characters",
        ),
        (b'{"token": "t", "code": ""}', "code must be at least 1 character"),
        (b'{"token": "t", "either": []}', "either must be an integer or a string"),
        (b"[]", "request body must be a JSON object"),
        (b"5", "request body must be a JSON object"),
        (b"{}", "token is required"),
    ],
)
def test_message_names_the_field_and_the_rule(raw: bytes, sentence: str) -> None:
    assert message_for(raw) == sentence


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        # A union's types are named in one order, whatever the order declared.
        (b'{"token": "t", "phone": []}', "phone must be an integer or a string"),
        # The first rule broken, in the order msgspec reads the body.
        (b'{"token": "t", "code": "", "limit": 0}', "code must be at least 1 character"),
        (b'{"token": "t", "limit": 0, "code": ""}', "limit must be between 1 and 100"),
        (b'{"token": "t", "items": [{}, {}, {}, {}]}', "items[0].phone_no is required"),
        (b'{"token": "t", "floor": 1.0}', "floor must be an integer"),
        (b'{"token": "t", "code": 18446744073709551616}', "code must be a string"),
        # Unknown fields are not read, whatever they hold.
        (b'{"token": "t", "x": {"limit": 0}, "limit": 0}', "limit must be between 1 and 100"),
    ],
)
def test_the_first_rule_broken_is_named(raw: bytes, sentence: str) -> None:
    assert message_for(raw) == sentence


def test_a_rule_the_walk_cannot_place_is_still_a_sentence() -> None:
    """A repeated key: msgspec reads each occurrence, a JSON object keeps the last."""
    assert message_for(b'{"token": "t", "limit": 0, "limit": 5}') == (
        "request body does not match the fields of the request"
    )


_LONG = b"9" * 5000


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        (b'{"token": 1e400}', "token must be a string"),
        (b'{"token": "t", "limit": 1e400}', "limit must be between 1 and 100"),
        (b'{"token": "t", "limit": -1e400}', "limit must be between 1 and 100"),
        (b'{"token": "t", "floor": 1e400}', "floor must be an integer >= 0"),
        (b'{"token": "t", "items": [{"phone_no": 1e400}]}', "items[0].phone_no must be a string"),
        (b'{"token": "t", "limit": ' + _LONG + b"}", "limit must be between 1 and 100"),
        (
            b'{"token": "t", "either": ' + _LONG + b"}",
            "either must be an integer of at most 4300 digits or a string",
        ),
    ],
)
def test_numbers_out_of_range_name_the_rule(raw: bytes, sentence: str) -> None:
    """msgspec's "Number out of range" and "Integer value out of range" are not passed on."""
    assert message_for(raw) == sentence


@pytest.mark.parametrize("raw", [b"", b"  \n", b"{", b"\xff", b'{"token": "\xc3"}', b"{'a': 1}"])
def test_decode_body_refuses_what_is_not_json(raw: bytes) -> None:
    with pytest.raises(Invalid, match=r"^request body (is not valid JSON|must be a JSON object)$"):
        decode_body(raw, Request)


def test_decode_body_refuses_deep_nesting_as_invalid() -> None:
    with pytest.raises(Invalid, match="nested too deeply"):
        decode_body(b'{"token": "t", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", Request)


_LONG_TOKEN = b'"' + b"t" * 17 + b'"'


@pytest.mark.parametrize(
    "raw",
    [
        b"{}",
        b'{"limit": 5}',
        b'{"token": ' + _LONG_TOKEN + b"}",
        b'{"limit": 5, "token": ' + _LONG_TOKEN + b"}",
        # The token's bound is the first rule broken: what follows it is not read.
        b'{"token": ' + _LONG_TOKEN + b', "limit": "x"}',
        b'{"token": ' + _LONG_TOKEN + b', "items": [{}], "unknown": [1]}',
    ],
)
def test_missing_or_impossible_token_is_an_auth_failure(raw: bytes) -> None:
    with pytest.raises(TokenRefused):
        decode_body(raw, Request)


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        # A rule broken before the token (or by a body without one) is the answer.
        (b'{"limit": "x"}', "limit must be an integer"),
        (b'{"limit": "x", "token": ' + _LONG_TOKEN + b"}", "limit must be an integer"),
        (b'{"items": [{}]}', "items[0].phone_no is required"),
        (b'{"token": null}', "token must be a string"),
        (b'{"token": 5, "limit": "x"}', "token must be a string"),
        (b'{"token": "' + b"t" * 16 + b'", "limit": 0}', "limit must be between 1 and 100"),
    ],
)
def test_a_rule_broken_first_by_another_field_is_invalid(raw: bytes, sentence: str) -> None:
    with pytest.raises(Invalid, match=f"^{re.escape(sentence)}$"):
        decode_body(raw, Request)


class Paged(msgspec.Struct):
    page: int
    token: Annotated[str, Meta(max_length=16)]
    name: str


@pytest.mark.parametrize(
    ("raw", "refused"),
    [
        # Missing fields are found in their declared order: `page` before the token.
        (b"{}", Invalid("page is required")),
        (b'{"page": 1}', TokenRefused()),
        (b'{"page": 1, "token": "t"}', Invalid("name is required")),
        (b'{"page": 1, "name": "n"}', TokenRefused()),
    ],
)
def test_missing_fields_are_refused_in_their_declared_order(
    raw: bytes, refused: DomainError
) -> None:
    with pytest.raises(type(refused), match=f"^{re.escape(refused.msg)}$"):
        decode_body(raw, Paged)


def test_decode_body_returns_the_struct() -> None:
    assert decode_body(b'{"token": "t", "limit": 5, "unknown": [1]}', Request).limit == 5

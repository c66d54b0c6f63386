"""Reading a request body: bounded in size, decoded and type-checked by msgspec.

msgspec's messages name the field by a JSON path (`... - at $.contacts[0].phone_no`);
they are rewritten here into the contract's "<field> <rule>" sentences.
"""

from __future__ import annotations

import functools
import re
from typing import Any, TypeVar

import msgspec
import msgspec.inspect
from starlette.requests import Request

from contactd.domain.errors import DomainError, Invalid

__all__ = ["MAX_BODY_BYTES", "BodyTooLarge", "decode_body", "read_body"]

MAX_BODY_BYTES = 1024 * 1024  # 1 MiB (CONTRACT §1)
S = TypeVar("S", bound=msgspec.Struct)


class BodyTooLarge(DomainError):
    """The body is over the limit; answered with 413 whatever the generation."""


_TOO_LARGE = f"request body must be at most {MAX_BODY_BYTES} bytes"


async def read_body(request: Request) -> bytes:
    """The whole body, refusing past the limit before reading it all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BodyTooLarge(_TOO_LARGE)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge(_TOO_LARGE)
        chunks.append(chunk)
    return b"".join(chunks)


@functools.cache
def _decoder(struct_type: type[S]) -> msgspec.json.Decoder[S]:
    return msgspec.json.Decoder(struct_type)


def decode_body(body: bytes, struct_type: type[S]) -> S:
    if not body.strip():
        raise Invalid("request body must be a JSON object")
    try:
        decoded: S = _decoder(struct_type).decode(body)
        return decoded
    except msgspec.ValidationError as exc:
        raise Invalid(explain(str(exc), struct_type)) from exc
    except msgspec.DecodeError as exc:
        raise Invalid("request body is not valid JSON") from exc


_TYPE_WORDS = {
    "int": "an integer",
    "str": "a string",
    "array": "an array",
    "object": "an object",
    "bool": "a boolean",
    "float": "a number",
    "null": "null",
}
_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_MISSING = re.compile(r"^Object missing required field `(?P<field>[^`]+)`$")
_WRONG_TYPE = re.compile(r"^Expected `(?P<expected>[^`]+)`, got `(?P<got>[^`]+)`$")
_BOUND = re.compile(r"^Expected `(?P<type>[^`]+)`(?P<length> of length)? (?P<op>[<>]=) (?P<n>\d+)$")


def _type_words(expected: str) -> str:
    names = [t.strip() for t in expected.split("|") if t.strip() != "null"]
    return " or ".join(_TYPE_WORDS.get(n, n) for n in names) or "null"


def explain(message: str, struct_type: type[msgspec.Struct]) -> str:
    """Rewrite a msgspec validation message so that it names the field and the rule."""
    match = _AT.match(message)
    what = match["what"] if match else message
    path = (match["path"] or "").lstrip(".") if match else ""
    if missing := _MISSING.match(what):
        return f"{_join(path, missing['field'])} is required"
    if path == "":
        return "request body must be a JSON object" if _WRONG_TYPE.match(what) else what
    if wrong := _WRONG_TYPE.match(what):
        return f"{path} must be {_type_words(wrong['expected'])}"
    if bound := _BOUND.match(what):
        return _bound_sentence(path, bound, struct_type)
    return f"{path}: {what}"


def _join(path: str, field: str) -> str:
    return f"{path}.{field}" if path else field


def _bound_sentence(path: str, bound: re.Match[str], struct_type: type[msgspec.Struct]) -> str:
    n = int(bound["n"])
    if bound["length"]:
        unit = "characters" if bound["type"] == "str" else "items"
        limit = "at most" if bound["op"] == "<=" else "at least"
        return (
            f"{path} must hold {limit} {n} {unit}"
            if unit == "items"
            else (f"{path} must be {limit} {n} {unit}")
        )
    low, high = _int_bounds(struct_type, path)
    if low is not None and high is not None:
        return f"{path} must be between {low} and {high}"
    return f"{path} must be {bound['op']} {n}"


@functools.cache
def _int_bounds(struct_type: type[msgspec.Struct], field: str) -> tuple[int | None, int | None]:
    """The ge/le bounds a top-level integer field declares, to state the whole range."""
    info: Any = msgspec.inspect.type_info(struct_type)
    for candidate in getattr(info, "fields", ()):
        if candidate.name != field:
            continue
        members = getattr(candidate.type, "types", (candidate.type,))
        for member in members:
            if isinstance(member, msgspec.inspect.IntType):
                return member.ge, member.le
    return None, None

"""Reading a request body: bounded in size, decoded and type-checked by msgspec.

A refused body is answered with the contract's "<field> <rule>" sentence, which
`contactd.api.messages` finds from the body and the request type; a body whose token is
missing, or longer than any token, is answered as one with a wrong token (docs/api.md,
"Every endpoint"), which `_TokenRule` tells the same way. msgspec's own words are never
read.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

import msgspec
import msgspec.inspect as mi
from starlette.types import Receive, Scope

from contactd.api.messages import BODY_NOT_AN_OBJECT, explain
from contactd.domain.errors import DomainError, ErrorKind, Invalid
from contactd.domain.tokens import TokenRefused

__all__ = [
    "MAX_BODY_BYTES",
    "BodyDecoder",
    "BodyTooLarge",
    "ClientGone",
    "decode_body",
    "explain",
    "read_body",
]

MAX_BODY_BYTES = 1024 * 1024  # 1 MiB (docs/api.md, "Every endpoint")
S = TypeVar("S", bound=msgspec.Struct)


class BodyTooLarge(DomainError, kind=ErrorKind.TOO_LARGE):
    """The body is over the limit; answered with 413 whatever the generation."""


_TOO_LARGE = f"request body must be at most {MAX_BODY_BYTES} bytes"


class ClientGone(Exception):
    """The client disconnected before its body arrived: there is no one to answer."""


def _declared_length(headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def read_body(scope: Scope, receive: Receive) -> bytes:
    """The whole body, refusing past the limit before reading it all."""
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        # The usual request: its whole body in one message, nothing left to wait for.
        body: bytes = message.get("body", b"")
        if len(body) > MAX_BODY_BYTES:
            raise BodyTooLarge(_TOO_LARGE)
        return body
    declared = _declared_length(scope["headers"])
    if declared is not None and declared > MAX_BODY_BYTES:
        raise BodyTooLarge(_TOO_LARGE)
    chunks: list[bytes] = []
    size = 0
    while True:
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge(_TOO_LARGE)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
        message = await receive()


@functools.cache
def _body_decoder(struct_type: type[S]) -> BodyDecoder[S]:
    return BodyDecoder(struct_type)


# JSON can carry NUL only as the escape \u0000 (an unescaped backslash before it).
# PostgreSQL text cannot hold it, so both backends refuse it alike, at the edge.
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
NUL_REFUSED = "text fields must not contain the NUL character (\\u0000)"


class BodyDecoder(Generic[S]):
    """Decodes request bodies into one Struct type; the request path builds one per
    operation, once."""

    def __init__(self, struct_type: type[S]) -> None:
        self._type = struct_type
        self._decoder = msgspec.json.Decoder(struct_type)
        self._token = _TokenRule.of(struct_type)

    def __call__(self, body: bytes) -> S:
        if b"\\u0000" in body and _NUL_ESCAPE.search(body):
            raise Invalid(NUL_REFUSED)
        try:
            decoded: S = self._decoder.decode(body)
            return decoded
        except msgspec.ValidationError as exc:
            if self._token is not None and self._token.broken_first(body):
                raise TokenRefused from exc
            raise Invalid(explain(body, self._type)) from exc
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:
            if not body.strip():
                raise Invalid(BODY_NOT_AN_OBJECT) from exc
            # msgspec raises UnicodeDecodeError (not DecodeError) for invalid UTF-8 in a
            # string.
            raise Invalid("request body is not valid JSON") from exc
        except RecursionError as exc:
            # Unknown fields are skipped, but still parsed: `{"a":{"a":...}}` 10,000 deep.
            raise Invalid("request body is nested too deeply") from exc


TOKEN_FIELD = "token"  # noqa: S105 (a field name)
_fields_sent = msgspec.json.Decoder(dict[str, msgspec.Raw])


class _TokenRule:
    """Whether the first rule a body broke is its token's presence or length.

    msgspec stops at the first rule broken: it reads the fields in the body's order,
    then looks for the required ones missing in their declared order. So the token's
    rule came first when the body has no token, breaks no rule with the fields it
    sends, and misses no required field declared before the token; or when its token
    is a string over the bound and no field sent before it breaks a rule. Whether
    fields break a rule is found by decoding them alone as `_others`: the request type
    without its token and with every field optional.
    """

    def __init__(self, struct_type: type[msgspec.Struct], max_length: int) -> None:
        fields = msgspec.structs.fields(struct_type)
        at = [field.encode_name for field in fields].index(TOKEN_FIELD)
        self._required_before = tuple(f.encode_name for f in fields[:at] if f.required)
        others: Any = msgspec.defstruct(
            f"{struct_type.__name__}WithoutToken",
            [
                (f.name, typing.Union[f.type, msgspec.UnsetType], msgspec.UNSET)  # noqa: UP007
                for f in fields
                if f.encode_name != TOKEN_FIELD
            ],
            rename={f.name: f.encode_name for f in fields},
        )
        self._others = msgspec.json.Decoder(others)
        self._max_length = max_length

    @classmethod
    def of(cls, struct_type: type[msgspec.Struct]) -> _TokenRule | None:
        """The rule of a request type that takes a token, with its declared bound."""
        info = mi.type_info(struct_type)
        assert isinstance(info, mi.StructType)
        for field in info.fields:
            if field.encode_name == TOKEN_FIELD:
                node = field.type
                while isinstance(node, mi.Metadata):
                    node = node.type
                if isinstance(node, mi.StrType) and node.max_length is not None:
                    return cls(struct_type, node.max_length)
        return None

    def broken_first(self, body: bytes) -> bool:
        """Called only for a body that msgspec refused."""
        try:
            sent = _fields_sent.decode(body)
        except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
            return False
        token = sent.get(TOKEN_FIELD)
        if token is None:
            missing = any(name not in sent for name in self._required_before)
            return not missing and self._break_no_rule(body)
        if not self._too_long(token):
            return False
        before = []
        for name, raw in sent.items():
            if name == TOKEN_FIELD:
                break
            before.append(msgspec.json.encode(name) + b":" + bytes(raw))
        return self._break_no_rule(b"{" + b",".join(before) + b"}")

    def _too_long(self, token: msgspec.Raw) -> bool:
        try:
            value = msgspec.json.decode(token)
        except (msgspec.ValidationError, msgspec.DecodeError):  # a number past a float
            return False
        return isinstance(value, str) and len(value) > self._max_length

    def _break_no_rule(self, body: bytes) -> bool:
        try:
            self._others.decode(body)
        except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
            return False
        return True


def decode_body(body: bytes, struct_type: type[S]) -> S:
    decode: BodyDecoder[S] = _body_decoder(struct_type)
    return decode(body)

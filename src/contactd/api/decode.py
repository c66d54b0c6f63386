"""Reading a request body: bounded in size, decoded and type-checked by msgspec.

A body is JSON, or a form (`application/x-www-form-urlencoded`, api/form.py) read as
the JSON object it stands for, then decoded alike. A body that begins with `{` is JSON
whatever its Content-Type says: so the JSON path never reads the headers, and jQuery's
`data: JSON.stringify(...)` (JSON sent with jQuery's default form Content-Type) works.

A refused body is answered with the contract's "<field> <rule>" sentence of the first
rule it breaks, which `contactd.api.messages` finds from the body and the request type
(msgspec's own words are never read); when that rule is the token's presence or length,
the body is answered as one with a wrong token (docs/api.md, "Every endpoint").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

import msgspec
from starlette.types import Receive, Scope

from contactd.api.form import form_as_json, is_form
from contactd.api.messages import (
    BODY_NOT_AN_OBJECT,
    NESTED_TOO_DEEPLY,
    Rule,
    explain,
    first_broken,
)
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


TOKEN_FIELD = "token"  # noqa: S105 (a field name)
# A missing token, or one longer than any token, is a wrong one (docs/api.md).
_NO_POSSIBLE_TOKEN = (Rule.MISSING, Rule.TOO_LONG)


class BodyDecoder(Generic[S]):
    """Decodes request bodies into one Struct type; the request path builds one per
    operation, once."""

    def __init__(self, struct_type: type[S]) -> None:
        self._type = struct_type
        self._decoder = msgspec.json.Decoder(struct_type)

    def __call__(self, body: bytes, headers: Sequence[tuple[bytes, bytes]] = ()) -> S:
        """`headers`: the request's, read only for a body that does not begin with `{`."""
        if body[:1] != b"{" and is_form(headers):
            body = form_as_json(body, self._type)
        if b"\\u0000" in body and _NUL_ESCAPE.search(body):
            raise Invalid(NUL_REFUSED)
        try:
            decoded: S = self._decoder.decode(body)
            return decoded
        except msgspec.ValidationError as exc:
            broken = first_broken(body, self._type)
            if broken.path == TOKEN_FIELD and broken.rule in _NO_POSSIBLE_TOKEN:
                raise TokenRefused from exc
            raise Invalid(broken.sentence) from exc
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:
            if not body.strip():
                raise Invalid(BODY_NOT_AN_OBJECT) from exc
            # msgspec raises UnicodeDecodeError (not DecodeError) for invalid UTF-8 in a
            # string.
            raise Invalid("request body is not valid JSON") from exc
        except RecursionError as exc:
            # Unknown fields are skipped, but still parsed: `{"a":{"a":...}}` 10,000 deep.
            raise Invalid(NESTED_TOO_DEEPLY) from exc


def decode_body(body: bytes, struct_type: type[S]) -> S:
    decode: BodyDecoder[S] = _body_decoder(struct_type)
    return decode(body)

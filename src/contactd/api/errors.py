"""The one error body of contactd and the one table of error statuses.

Every error a client sees is `{"code": <int>, "status": "error", "msg": "..."}` with the
HTTP status equal to `code` (docs/api.md, "Every endpoint"). The vendor answers the
same failure with different statuses per generation (a bad token is 400 in v1 and 404
in v3), so the status comes from the generation of the endpoint and the kind of the
domain error.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, NamedTuple

import msgspec
from starlette.responses import Response

from contactd.domain.errors import (
    Busy,
    DomainError,
    DuplicateContacts,
    ErrorKind,
    Outcome,
    TooManyAttempts,
)

__all__ = [
    "MAY_HAVE_BEEN_APPLIED",
    "OUTCOME_HEADER",
    "ErrorBody",
    "Generation",
    "Reply",
    "error_reply",
    "error_response",
    "reply_for",
    "status_for",
    "store_unavailable",
]


class Generation(enum.Enum):
    V1 = "v1"
    V2 = "v2"
    V3 = "v3"
    ADMIN_V1 = "admin_v1"
    ADMIN_V3 = "admin_v3"


class ErrorBody(msgspec.Struct):
    """Every error response. `duplicates` is present on duplicate-phone errors only."""

    code: int
    status: str
    msg: str
    duplicates: list[str] | msgspec.UnsetType = msgspec.UNSET


_COMMON = {
    ErrorKind.INVALID: 400,
    ErrorKind.TOO_MANY: 429,
    ErrorKind.BUSY: 503,
    # 507 Insufficient Storage (RFC 4918): not the client's fault, and retrying at once
    # will not help, unlike a 503.
    ErrorKind.FULL: 507,
    ErrorKind.LOGIN: 404,
}
_STATUS: dict[Generation, dict[ErrorKind, int]] = {
    # v1 documents 400 for every failure but the login's 404 (docs/api.md, "Logins",
    # "v1 contacts").
    Generation.V1: {
        **_COMMON,
        ErrorKind.AUTH: 400,
        ErrorKind.NOT_FOUND: 400,
        ErrorKind.DUPLICATE: 400,
        ErrorKind.CONFLICT: 400,
    },
    Generation.V2: {**_COMMON, ErrorKind.AUTH: 404, ErrorKind.NOT_FOUND: 404},
    # v3: a token that names no live user is the documented 404; duplicates are 409.
    Generation.V3: {
        **_COMMON,
        ErrorKind.AUTH: 404,
        ErrorKind.NOT_FOUND: 404,
        ErrorKind.DUPLICATE: 409,
        ErrorKind.CONFLICT: 409,
    },
    Generation.ADMIN_V1: {
        **_COMMON,
        ErrorKind.AUTH: 400,
        ErrorKind.NOT_FOUND: 400,
        ErrorKind.CONFLICT: 400,
        ErrorKind.DUPLICATE: 400,
    },
    Generation.ADMIN_V3: {
        **_COMMON,
        ErrorKind.AUTH: 401,
        ErrorKind.NOT_FOUND: 404,
        ErrorKind.CONFLICT: 400,
        ErrorKind.DUPLICATE: 400,
    },
}

_encoder = msgspec.json.Encoder()

OUTCOME_HEADER = "X-Contactd-Outcome"
"""On every 503: `not-applied` (the request certainly had no effect) or `unknown` (the
store failed while the write committed: it may have been applied). docs/api.md."""
MAY_HAVE_BEEN_APPLIED = (
    "this write may have been applied; retry with the same Idempotency-Key to apply it at most once"
)
_OUTCOME_MESSAGES = {
    Outcome.NOT_APPLIED: "the store is busy; the request had no effect; retry shortly",
    Outcome.UNKNOWN: f"the store failed while committing; {MAY_HAVE_BEEN_APPLIED}",
}


def store_unavailable(outcome: Outcome) -> Busy:
    """The 503 of a store that failed, worded by what became of the write."""
    return Busy(_OUTCOME_MESSAGES[outcome], outcome=outcome)


def status_for(kind: ErrorKind, generation: Generation) -> int:
    return _STATUS[generation][kind]


class Reply(NamedTuple):
    """A response as the raw ASGI path sends it."""

    status: int
    body: bytes
    headers: tuple[tuple[bytes, bytes], ...] = ()


def error_reply(
    code: int, msg: str, *, headers: Mapping[str, str] | None = None, **extra: Any
) -> Reply:
    """Build the canonical error body; the only place one is built."""
    body = _encoder.encode(ErrorBody(code=code, status="error", msg=msg, **extra))
    encoded = tuple(
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in (headers or {}).items()
    )
    return Reply(code, body, encoded)


def reply_for(error: DomainError, generation: Generation) -> Reply:
    code = status_for(error.kind, generation)
    if isinstance(error, DuplicateContacts):
        return error_reply(code, error.msg, duplicates=error.phones)
    if isinstance(error, TooManyAttempts):
        return error_reply(code, error.msg, headers={"Retry-After": str(error.retry_after_seconds)})
    if isinstance(error, Busy):
        headers = {OUTCOME_HEADER: error.outcome.value}
        if error.retry_after_seconds is not None:
            headers["Retry-After"] = str(error.retry_after_seconds)
        return error_reply(code, error.msg, headers=headers)
    return error_reply(code, error.msg)


def error_response(
    code: int, msg: str, *, headers: Mapping[str, str] | None = None, **extra: Any
) -> Response:
    """The canonical error body as a Starlette response, for the routes Starlette serves."""
    reply = error_reply(code, msg, **extra)
    return Response(reply.body, status_code=code, media_type="application/json", headers=headers)

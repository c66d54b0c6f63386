"""The one error body of contactd and the one table of error statuses.

Every error a client sees is `{"code": <int>, "status": "error", "msg": "..."}` with the
HTTP status equal to `code` (docs/api.md, "Every endpoint"). The vendor answers the
same failure with different statuses per generation and audience (a bad token is 400
in v1 and 404 in v3; bad admin credentials are 401 in v3), so the status comes from the
endpoint's generation and audience and the error's kind
(`contactd.domain.errors.ErrorKind`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import msgspec
from starlette.responses import Response

from contactd.domain.errors import ErrorKind, Refusal

__all__ = [
    "OUTCOME_HEADER",
    "Audience",
    "ErrorBody",
    "Generation",
    "Reply",
    "Statuses",
    "error_reply",
    "error_response",
    "refusal_response",
    "reply_for",
    "statuses_for",
]


class Generation(enum.Enum):
    """The vendor's API generation an endpoint belongs to (its path's `/v1`, `/v2`, `/v3`)."""

    V1 = "v1"
    V2 = "v2"
    V3 = "v3"


class Audience(enum.Enum):
    """Who calls an endpoint: a principal (its token, or its login) or an app's admin
    (appid and secret). The vendor's admin endpoints answer errors by rules of their own."""

    PRINCIPAL = "principal"
    ADMIN = "admin"


class ErrorBody(msgspec.Struct):
    """Every error response. `duplicates` is present on duplicate-phone errors only."""

    code: int
    status: str
    msg: str
    duplicates: list[str] | msgspec.UnsetType = msgspec.UNSET


Statuses = Mapping[ErrorKind, int]
"""The status of each error kind, for one generation and audience."""

_V1, _V2, _V3 = Generation.V1, Generation.V2, Generation.V3
_PRINCIPAL, _ADMIN = Audience.PRINCIPAL, Audience.ADMIN
_COLUMNS = (
    (_V1, _PRINCIPAL),
    (_V2, _PRINCIPAL),
    (_V3, _PRINCIPAL),
    (_V1, _ADMIN),
    (_V2, _ADMIN),
    (_V3, _ADMIN),
)
_TABLE: dict[ErrorKind, tuple[int, int, int, int, int, int]] = {
    #                      v1   v2   v3  admin v1  admin v2  admin v3
    ErrorKind.INVALID: (400, 400, 400, 400, 400, 400),
    # Refused before decoding, whatever the endpoint (docs/api.md, "Every endpoint").
    ErrorKind.TOO_LARGE: (413, 413, 413, 413, 413, 413),
    # v1 documents 400 for every failure but the login's 404 (docs/api.md, "Logins",
    # "v1 contacts"); v2 and v3 a token that names no live user as 404, wrong admin
    # credentials as 401 (v2's user remove, status and supervisor pages).
    ErrorKind.AUTH: (400, 404, 404, 400, 401, 401),
    # v2's admin token exchange (`/v2/token`) documents 404, as the logins do.
    ErrorKind.LOGIN: (404, 404, 404, 404, 404, 404),
    ErrorKind.NOT_FOUND: (400, 404, 404, 400, 404, 404),
    # v2 documents 404 for a refused token and 400 for a missing parameter; a phone the
    # app does not hold is a 404 too, as its callback/action answers one (docs/api.md,
    # "v2 contacts"). Duplicates are 409 in v3; no v2 write raises one (they upsert).
    ErrorKind.DUPLICATE: (400, 409, 409, 400, 400, 400),
    # An admin add of a taken extension: v1 documents 400 ("agent already exists").
    ErrorKind.CONFLICT: (400, 409, 409, 400, 400, 400),
    ErrorKind.TOO_MANY: (429, 429, 429, 429, 429, 429),
    ErrorKind.BUSY: (503, 503, 503, 503, 503, 503),
    # 507 Insufficient Storage (RFC 4918): not the client's fault, and retrying at once
    # will not help, unlike a 503.
    ErrorKind.FULL: (507, 507, 507, 507, 507, 507),
    # 501 Not Implemented: the vendor's call-record endpoints (docs/api.md, "Callbacks").
    ErrorKind.UNSUPPORTED: (501, 501, 501, 501, 501, 501),
}
_STATUSES: dict[tuple[Generation, Audience], Statuses] = {
    column: MappingProxyType({kind: row[i] for kind, row in _TABLE.items()})
    for i, column in enumerate(_COLUMNS)
}


def statuses_for(generation: Generation, audience: Audience) -> Statuses:
    """The statuses of an endpoint; an operation looks them up once, when it is built."""
    return _STATUSES[generation, audience]


_encoder = msgspec.json.Encoder()

OUTCOME_HEADER = "X-Contactd-Outcome"
"""On every 503: `not-applied` (the request certainly had no effect) or `unknown` (the
store failed while the write committed: it may have been applied). docs/api.md."""


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


def _headers(error: Refusal) -> dict[str, str]:
    headers = {}
    if error.outcome is not None:
        headers[OUTCOME_HEADER] = error.outcome.value
    if error.retry_after_seconds is not None:
        headers["Retry-After"] = str(error.retry_after_seconds)
    return headers


def reply_for(error: Refusal, statuses: Statuses) -> Reply:
    """The answer to an error: its kind's status, its message, and what it adds."""
    extra = {} if error.duplicates is None else {"duplicates": error.duplicates}
    return error_reply(statuses[error.kind], error.msg, headers=_headers(error), **extra)


def error_response(
    code: int, msg: str, *, headers: Mapping[str, str] | None = None, **extra: Any
) -> Response:
    """The canonical error body as a Starlette response, for the routes Starlette serves."""
    reply = error_reply(code, msg, **extra)
    return Response(reply.body, status_code=code, media_type="application/json", headers=headers)


def refusal_response(error: Refusal) -> Response:
    """An error as a Starlette response, for a route outside the operations (its kind's
    status is the same for every generation)."""
    return error_response(
        _STATUSES[_V3, _PRINCIPAL][error.kind], error.msg, headers=_headers(error)
    )

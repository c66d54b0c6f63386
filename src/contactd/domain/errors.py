"""The errors a client is answered with. They carry a message and a kind, never an HTTP
status.

The edge (`contactd.api.errors`) holds the one table from kind to status, per API
generation and audience, because the vendor answers the same failure differently in v1
and v3 and to admins. Whatever an error adds to the answer (the phones of a duplicate,
when to retry, what became of a write) is an attribute here, so that the edge builds
every answer the same way.
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar

__all__ = [
    "MAY_HAVE_BEEN_APPLIED",
    "AuthFailed",
    "Busy",
    "Conflict",
    "DomainError",
    "DuplicateContacts",
    "ErrorKind",
    "Invalid",
    "LoginFailed",
    "NotFound",
    "Outcome",
    "Refusal",
    "TooManyAttempts",
    "Unsupported",
]


class ErrorKind(enum.Enum):
    INVALID = "invalid"
    TOO_LARGE = "too_large"
    AUTH = "auth"
    LOGIN = "login"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    TOO_MANY = "too_many"
    BUSY = "busy"
    FULL = "full"
    UNSUPPORTED = "unsupported"


class Outcome(enum.Enum):
    """What a 503 tells the client about its write (the `X-Contactd-Outcome` header)."""

    NOT_APPLIED = "not-applied"
    """Certainly no effect: refused before the transaction began, or rolled back."""
    UNKNOWN = "unknown"
    """The store failed while the write committed: it may have been applied."""


MAY_HAVE_BEEN_APPLIED = (
    "this write may have been applied; retry with the same Idempotency-Key to apply it at most once"
)


class Refusal(Exception):
    """Anything answered in the error shape rather than as a bug: its kind (which picks
    the status) and the client's message, `msg`.

    The attributes below add to the answer when set; `log_as` marks a condition the
    operator must hear of (logged with the error's own text, which the client never
    sees)."""

    kind: ClassVar[ErrorKind]
    msg: str
    duplicates: list[str] | None = None
    """The body's `duplicates` field."""
    outcome: Outcome | None = None
    """The `X-Contactd-Outcome` header."""
    retry_after_seconds: int | None = None
    """The `Retry-After` header."""
    log_as: ClassVar[str | None] = None

    def __init_subclass__(cls, kind: ErrorKind | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if kind is not None:
            cls.kind = kind


class DomainError(Refusal, kind=ErrorKind.INVALID):
    """A failure the client caused, or a condition it may retry after; never a bug."""

    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.msg = msg


class Invalid(DomainError, kind=ErrorKind.INVALID):
    """The request breaks a rule: a field missing, of the wrong type or out of range."""


class AuthFailed(DomainError, kind=ErrorKind.AUTH):
    """The token, or the appid and secret, do not identify a live principal or app."""


class LoginFailed(DomainError, kind=ErrorKind.LOGIN):
    """The id and password do not match a principal."""


class DuplicateContacts(DomainError, kind=ErrorKind.DUPLICATE):
    """One or more phones are already stored in the app, or repeated in the batch."""

    def __init__(self, msg: str, phones: list[str]) -> None:
        super().__init__(msg)
        self.duplicates = phones


class NotFound(DomainError, kind=ErrorKind.NOT_FOUND):
    """A named record (a user, an agent) does not exist in the caller's app."""


class Conflict(DomainError, kind=ErrorKind.CONFLICT):
    """The request collides with a record that exists (an extension already taken)."""


class Unsupported(DomainError, kind=ErrorKind.UNSUPPORTED):
    """An endpoint of the vendor's that contactd answers without serving it (the call
    records): no request to it can succeed, so it is no client's error."""


class TooManyAttempts(DomainError, kind=ErrorKind.TOO_MANY):
    """Too many failed logins for one id; the client should wait."""

    def __init__(self, msg: str, retry_after_seconds: int) -> None:
        super().__init__(msg)
        self.retry_after_seconds = retry_after_seconds


class Busy(DomainError, kind=ErrorKind.BUSY):
    """Every password hasher is taken for longer than a login may wait, or the service
    is not ready; the client may retry (after `retry_after_seconds`, when given).

    `outcome` says whether a write may have been applied all the same."""

    def __init__(
        self,
        msg: str,
        retry_after_seconds: int | None = None,
        *,
        outcome: Outcome = Outcome.NOT_APPLIED,
    ) -> None:
        super().__init__(msg)
        self.retry_after_seconds = retry_after_seconds
        self.outcome = outcome

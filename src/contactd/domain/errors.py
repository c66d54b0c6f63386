"""Domain errors. They carry a message and a kind, never an HTTP status.

The edge (`contactd.api.errors`) maps each kind to a status per API generation,
because the vendor answers the same failure differently in v1 and v3.
"""

from __future__ import annotations

import enum

__all__ = [
    "AuthFailed",
    "Busy",
    "Conflict",
    "DomainError",
    "DuplicateContacts",
    "ErrorKind",
    "Full",
    "Invalid",
    "LoginFailed",
    "NotFound",
    "Outcome",
    "TooManyAttempts",
]


class ErrorKind(enum.Enum):
    INVALID = "invalid"
    AUTH = "auth"
    LOGIN = "login"
    NOT_FOUND = "not_found"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    TOO_MANY = "too_many"
    BUSY = "busy"
    FULL = "full"


class DomainError(Exception):
    """A failure the client caused (or a transient store condition); never a bug."""

    kind: ErrorKind = ErrorKind.INVALID

    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.msg = msg


class Invalid(DomainError):
    """The request breaks a rule: a field missing, of the wrong type or out of range."""

    kind = ErrorKind.INVALID


class AuthFailed(DomainError):
    """The token, or the appid and secret, do not identify a live principal or app."""

    kind = ErrorKind.AUTH


class LoginFailed(DomainError):
    """The id and password do not match a principal."""

    kind = ErrorKind.LOGIN


class NotFound(DomainError):
    """A named record (a user, an agent) does not exist in the caller's app."""

    kind = ErrorKind.NOT_FOUND


class Conflict(DomainError):
    """The request collides with a record that exists (an extension already taken)."""

    kind = ErrorKind.CONFLICT


class DuplicateContacts(DomainError):
    """One or more phones are already stored in the app, or repeated in the batch."""

    kind = ErrorKind.DUPLICATE

    def __init__(self, msg: str, phones: list[str]) -> None:
        super().__init__(msg)
        self.phones = phones


class TooManyAttempts(DomainError):
    """Too many failed logins for one id; the client should wait."""

    kind = ErrorKind.TOO_MANY

    def __init__(self, msg: str, retry_after_seconds: int) -> None:
        super().__init__(msg)
        self.retry_after_seconds = retry_after_seconds


class Outcome(enum.Enum):
    """What a 503 tells the client about its write (the `X-Contactd-Outcome` header)."""

    NOT_APPLIED = "not-applied"
    """Certainly no effect: refused before the transaction began, or rolled back."""
    UNKNOWN = "unknown"
    """The store failed while the write committed: it may have been applied."""


class Busy(DomainError):
    """The store could not take the request in time, or every password hasher is taken
    for longer than a login may wait; the client may retry (after `retry_after_seconds`,
    when given).

    `outcome` says whether a write may have been applied all the same."""

    kind = ErrorKind.BUSY

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


class Full(DomainError):
    """The store has no space left for the write; nothing of it was stored."""

    kind = ErrorKind.FULL

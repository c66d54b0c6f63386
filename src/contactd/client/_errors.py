"""The SDK's exceptions: one tree, and one function that maps a status to a class.

```
ContactdError
├── APIConnectionError          the request did not get an answer (connect, read, timeout)
└── APIError                    the server answered with an error body
    ├── BadRequestError         400  a field broke a rule (v1 also uses 400 for auth/duplicates)
    ├── AuthenticationError     401  bad appid/secret on a v3 admin call
    ├── NotFoundError           404  unknown record, bad login, or (v3) a dead token
    ├── ConflictError           409  a phone already stored or repeated; see `.duplicates`
    ├── RateLimitError          429  too many attempts; see `.retry_after`
    ├── ServiceUnavailableError 503  the store is busy or failed; see `.outcome`
    ├── InsufficientStorageError 507 the store is full; nothing was written
    └── InternalServerError     5xx  a server bug
```
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContactdError",
    "InsufficientStorageError",
    "InternalServerError",
    "NotFoundError",
    "RateLimitError",
    "ServiceUnavailableError",
    "error_for_status",
]


class ContactdError(Exception):
    """Base class for every exception the SDK raises."""


class APIConnectionError(ContactdError):
    """Raised when a request got no HTTP answer (after any retries)."""


class APIError(ContactdError):
    """Raised when the server answers with an error status.

    **Attributes:** `status` (HTTP status), `code` (the body's `code`), `msg` (the body's
    `msg`, which names the offending field), `body` (the decoded body, or `None`).
    """

    def __init__(
        self, status: int, code: int | str | None, msg: str, body: dict[str, Any] | None
    ) -> None:
        super().__init__(f"{status}: {msg}")
        self.status = status
        self.code = code
        self.msg = msg
        self.body = body


class BadRequestError(APIError):
    """400: the request broke a rule (v1 also answers auth failures and duplicates so)."""


class AuthenticationError(APIError):
    """401: the appid and secret of a v3 admin call are wrong."""


class NotFoundError(APIError):
    """404: unknown record, wrong login, or a v3 token naming no live user."""


class ConflictError(APIError):
    """409: phones already stored in the app or repeated in the batch (`.duplicates`)."""

    @property
    def duplicates(self) -> list[str]:
        raw = (self.body or {}).get("duplicates")
        return [str(phone) for phone in raw] if isinstance(raw, list) else []


class RateLimitError(APIError):
    """429: too many attempts; `.retry_after` is the server's hint in seconds, if any."""

    retry_after: float | None = None


class ServiceUnavailableError(APIError):
    """503: the store was busy or failed. `.outcome` is the server's word on a write:
    `"not-applied"` (certainly no effect), `"unknown"` (it may have been applied: send
    it again with the same `Idempotency-Key`, as the client's retries do), or `None`
    (a server that does not say, such as the vendor's)."""

    outcome: str | None = None


class InsufficientStorageError(APIError):
    """507: the store's disk is full; nothing was written. Not retried: space has to be
    freed first."""


class InternalServerError(APIError):
    """500 and other 5xx: a server bug or an unreachable upstream."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
    503: ServiceUnavailableError,
    507: InsufficientStorageError,
}


def error_for_status(
    status: int,
    body: dict[str, Any] | None,
    *,
    retry_after: float | None = None,
    outcome: str | None = None,
) -> APIError:
    """The exception for an error response: the one place statuses become classes."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIError
    code = body.get("code") if body else None
    msg = body.get("msg") if body else None
    error = cls(
        status,
        code if isinstance(code, int | str) else None,
        str(msg) if msg is not None else f"HTTP {status}",
        body,
    )
    if isinstance(error, RateLimitError):
        error.retry_after = retry_after
    if isinstance(error, ServiceUnavailableError):
        error.outcome = outcome
    return error

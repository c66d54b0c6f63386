"""`Call`: one API request described as data, built once and sent by either client."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = ["Auth", "Call"]

R = TypeVar("R")


class Auth(enum.Enum):
    """Which credentials the client adds to the body when the caller did not."""

    NONE = "none"
    TOKEN = "token"  # noqa: S105 (a credential kind, not a credential)
    ADMIN = "admin"


@dataclass(frozen=True, kw_only=True)
class Call(Generic[R]):
    path: str
    body: dict[str, Any] = field(repr=False)
    """Holds passwords, tokens and secrets: never in a repr."""
    parse: Callable[[dict[str, Any]], R]
    auth: Auth = Auth.TOKEN
    idempotent: bool = False
    """Safe to send twice: retried even when the first attempt may have reached the server."""
    write: bool = False
    """A write: sent with an `Idempotency-Key`, the same on every retry, so that contactd
    applies it at most once however often it is sent."""
    idempotency_key: str | None = None
    """The caller's own key for a write; None: a fresh UUID for this call."""

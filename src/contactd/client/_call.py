"""`Call`: one API request described as data, built once and sent by either client;
`Endpoint`: a namespace method declared as the function that builds its `Call`."""

from __future__ import annotations

import enum
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, Self, TypeVar, overload

__all__ = ["Auth", "Call", "Endpoint", "Namespace"]

P = ParamSpec("P")
R = TypeVar("R")
Y = TypeVar("Y")
C = TypeVar("C")


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


class Namespace(Generic[C]):
    """A group of endpoints (`client.v3.contacts`) sending through one client."""

    def __init__(self, client: C) -> None:
        self._client = client


class Endpoint(Generic[P, Y]):
    """A namespace's method, declared as the `_operations` function that builds its call.

    The method has that function's signature and docstring (so each endpoint's parameters
    are written once, for both clients); calling it builds the `Call` and hands it to
    `send` with the namespace's client, which sends it the client's way (plain, paged,
    or as a login).
    """

    def __init__(self, build: Callable[P, Call[Any]], send: Callable[[Any, Call[Any]], Y]) -> None:
        self.build = build
        self.send = send
        self.name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, namespace: None, owner: type[Any] | None = None) -> Self: ...
    @overload
    def __get__(
        self, namespace: Namespace[Any], owner: type[Any] | None = None
    ) -> Callable[P, Y]: ...
    def __get__(
        self, namespace: Namespace[Any] | None, owner: type[Any] | None = None
    ) -> Self | Callable[P, Y]:
        if namespace is None:
            return self
        client, build, send = namespace._client, self.build, self.send

        @functools.wraps(build)
        def method(*args: P.args, **kwargs: P.kwargs) -> Y:
            return send(client, build(*args, **kwargs))

        method.__name__ = self.name
        method.__qualname__ = f"{type(namespace).__name__}.{self.name}"
        # The caller gets the call's result, not the `Call` the builder returns.
        method.__signature__ = inspect.signature(build).replace(  # type: ignore[attr-defined]
            return_annotation=inspect.Signature.empty
        )

        # Bound once per namespace: later lookups find it in the instance's dict first.
        vars(namespace)[self.name] = method
        return method

"""The namespaces of both clients, one per API generation: `client.v1`, `.v2`, `.v3`.

Each method is declared as the `_operations` function that builds its call, which gives
it its parameters and docstring (token calls take `token=`, admin calls `appid=` and
`secret=`, writes `idempotency_key=`). The client a namespace belongs to sends the call:
`Client` returns the result, `AsyncClient` an awaitable of it; the types say which.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, Self, TypeVar, overload

from contactd.client import _operations as ops
from contactd.client._call import Call
from contactd.client._models import Login
from contactd.client._paging import PageData

if TYPE_CHECKING:
    from contactd.client._async_client import AsyncClient, AsyncPage
    from contactd.client._client import Client, Page

__all__ = ["V1", "V2", "V3", "Namespace", "Pages", "Sends"]

C = TypeVar("C")
P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


class Namespace(Generic[C]):
    """A group of endpoints (`client.v3.contacts`) sent by one client."""

    def __init__(self, client: C) -> None:
        self._client = client


class _Endpoint(Generic[P]):
    """A namespace method: builds its `Call` with `build` and hands it to the client's
    `via` method (`_send`, `_page` or `_login`), which sends it the client's way."""

    def __init__(self, build: Callable[P, Call[Any]], via: str) -> None:
        self.build = build
        self.via = via
        self.name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    def _bind(self, namespace: Namespace[Any]) -> Callable[..., Any]:
        build, send = self.build, getattr(namespace._client, self.via)

        @functools.wraps(build)
        def method(*args: P.args, **kwargs: P.kwargs) -> Any:
            return send(build(*args, **kwargs))

        method.__name__ = self.name
        method.__qualname__ = f"{type(namespace).__name__}.{self.name}"
        # The caller gets the call's result, not the `Call` the builder returns.
        method.__signature__ = inspect.signature(build).replace(  # type: ignore[attr-defined]
            return_annotation=inspect.Signature.empty
        )
        # Bound once per namespace: later lookups find it in the instance's dict first.
        vars(namespace)[self.name] = method
        return method


class Sends(_Endpoint[P], Generic[P, R]):
    """A method that returns the call's parsed result (awaited, on `AsyncClient`)."""

    def __init__(self, build: Callable[P, Call[R]], via: str = "_send") -> None:
        super().__init__(build, via)

    @overload
    def __get__(self, namespace: None, owner: type[Any] | None = None) -> Self: ...
    @overload
    def __get__(
        self, namespace: Namespace[AsyncClient], owner: type[Any] | None = None
    ) -> Callable[P, Awaitable[R]]: ...
    @overload
    def __get__(
        self, namespace: Namespace[Client], owner: type[Any] | None = None
    ) -> Callable[P, R]: ...
    def __get__(self, namespace: Namespace[Any] | None, owner: type[Any] | None = None) -> Any:
        return self if namespace is None else self._bind(namespace)


class Pages(_Endpoint[P], Generic[P, T]):
    """A list method: returns its first page, a `Page` (or, awaited, an `AsyncPage`)."""

    def __init__(self, build: Callable[P, Call[PageData[T]]]) -> None:
        super().__init__(build, "_page")

    @overload
    def __get__(self, namespace: None, owner: type[Any] | None = None) -> Self: ...
    @overload
    def __get__(
        self, namespace: Namespace[AsyncClient], owner: type[Any] | None = None
    ) -> Callable[P, Awaitable[AsyncPage[T]]]: ...
    @overload
    def __get__(
        self, namespace: Namespace[Client], owner: type[Any] | None = None
    ) -> Callable[P, Page[T]]: ...
    def __get__(self, namespace: Namespace[Any] | None, owner: type[Any] | None = None) -> Any:
        return self if namespace is None else self._bind(namespace)


def _logs_in(build: Callable[P, Call[Login]]) -> Sends[P, Login]:
    """A login: the client keeps the token for later calls."""
    return Sends(build, "_login")


class V3Contacts(Namespace[C]):
    """`/v3/contact/*`: contacts by UUID, listed with cursors."""

    get = Sends(ops.v3_contact_get)
    list = Pages(ops.v3_contact_list)
    add = Sends(ops.v3_contact_add)
    update = Sends(ops.v3_contact_update)
    delete = Sends(ops.v3_contact_delete)


class V1Contacts(Namespace[C]):
    """`/v1/{getContact,updateContact,deleteContact}`: contacts by phone, numbered pages."""

    list = Pages(ops.v1_contact_list)
    update = Sends(ops.v1_contact_update)
    delete = Sends(ops.v1_contact_delete)


class V1Agents(Namespace[C]):
    """`/v1/agent/*` (admin: appid + secret)."""

    add = Sends(ops.v1_agent_add)
    list = Pages(ops.v1_agent_list)
    update = Sends(ops.v1_agent_update)
    remove = Sends(ops.v1_agent_remove)


class V3Users(Namespace[C]):
    """`/v3/user/*` (admin: appid + secret)."""

    add = Sends(ops.v3_user_add)
    get = Sends(ops.v3_user_get)
    list = Pages(ops.v3_user_list)
    update = Sends(ops.v3_user_update)
    remove = Sends(ops.v3_user_remove)


class V1(Namespace[C]):
    """The v1 generation: agent login, contacts by phone, agent provisioning."""

    login = _logs_in(ops.v1_login)

    def __init__(self, client: C) -> None:
        super().__init__(client)
        self.contacts = V1Contacts(client)
        self.agents = V1Agents(client)


class V2(Namespace[C]):
    """The v2 generation: user login (its token serves v3, and v1, calls)."""

    login = _logs_in(ops.v2_login)


class V3(Namespace[C]):
    """The v3 generation: contacts by UUID with cursors, user provisioning."""

    def __init__(self, client: C) -> None:
        super().__init__(client)
        self.contacts = V3Contacts(client)
        self.users = V3Users(client)

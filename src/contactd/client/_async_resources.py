"""`AsyncClient` namespaces, one per API generation: `client.v1`, `client.v2`, `client.v3`.

Each method is declared as the `_operations` function that builds its call, which gives
it its parameters and docstring (token calls take `token=`, admin calls `appid=` and
`secret=`, writes `idempotency_key=`); here it is only said how it is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from contactd.client import _operations as ops
from contactd.client._call import Call, Endpoint, Namespace
from contactd.client._models import Login
from contactd.client._paging import PageData

if TYPE_CHECKING:
    from contactd.client._async_client import AsyncClient, AsyncPage

__all__ = ["AsyncV1", "AsyncV2", "AsyncV3"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def _send(client: AsyncClient, call: Call[Any]) -> Awaitable[Any]:
    return client._send(call)


def _page(client: AsyncClient, call: Call[Any]) -> Awaitable[Any]:
    return client._page(call)


def _login(client: AsyncClient, call: Call[Any]) -> Awaitable[Any]:
    return client._login(call)


def sends(build: Callable[P, Call[R]]) -> Endpoint[P, Awaitable[R]]:
    return Endpoint(build, _send)


def pages(build: Callable[P, Call[PageData[T]]]) -> Endpoint[P, Awaitable[AsyncPage[T]]]:
    return Endpoint(build, _page)


def logs_in(build: Callable[P, Call[Login]]) -> Endpoint[P, Awaitable[Login]]:
    """A login: the client keeps the token for later calls."""
    return Endpoint(build, _login)


class AsyncV3Contacts(Namespace["AsyncClient"]):
    """`/v3/contact/*`: contacts by UUID, listed with cursors."""

    get = sends(ops.v3_contact_get)
    list = pages(ops.v3_contact_list)
    add = sends(ops.v3_contact_add)
    update = sends(ops.v3_contact_update)
    delete = sends(ops.v3_contact_delete)


class AsyncV1Contacts(Namespace["AsyncClient"]):
    """`/v1/{getContact,updateContact,deleteContact}`: contacts by phone, numbered pages."""

    list = pages(ops.v1_contact_list)
    update = sends(ops.v1_contact_update)
    delete = sends(ops.v1_contact_delete)


class AsyncV1Agents(Namespace["AsyncClient"]):
    """`/v1/agent/*` (admin: appid + secret)."""

    add = sends(ops.v1_agent_add)
    list = pages(ops.v1_agent_list)
    update = sends(ops.v1_agent_update)
    remove = sends(ops.v1_agent_remove)


class AsyncV3Users(Namespace["AsyncClient"]):
    """`/v3/user/*` (admin: appid + secret)."""

    add = sends(ops.v3_user_add)
    get = sends(ops.v3_user_get)
    list = pages(ops.v3_user_list)
    update = sends(ops.v3_user_update)
    remove = sends(ops.v3_user_remove)


class AsyncV1(Namespace["AsyncClient"]):
    """The v1 generation: agent login, contacts by phone, agent provisioning."""

    login = logs_in(ops.v1_login)

    def __init__(self, client: AsyncClient) -> None:
        super().__init__(client)
        self.contacts = AsyncV1Contacts(client)
        self.agents = AsyncV1Agents(client)


class AsyncV2(Namespace["AsyncClient"]):
    """The v2 generation: user login (its token serves v3, and v1, calls)."""

    login = logs_in(ops.v2_login)


class AsyncV3(Namespace["AsyncClient"]):
    """The v3 generation: contacts by UUID with cursors, user provisioning."""

    def __init__(self, client: AsyncClient) -> None:
        super().__init__(client)
        self.contacts = AsyncV3Contacts(client)
        self.users = AsyncV3Users(client)

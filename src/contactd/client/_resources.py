# Generated from _async_resources.py by scripts/unasync_sdk.py: do not edit. Change the
# asynchronous source and run `make sdk-sync` (`make lint` checks it is current).
"""`Client` namespaces, one per API generation: `client.v1`, `client.v2`, `client.v3`.

Each method is declared as the `_operations` function that builds its call, which gives
it its parameters and docstring (token calls take `token=`, admin calls `appid=` and
`secret=`, writes `idempotency_key=`); here it is only said how it is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from contactd.client import _operations as ops
from contactd.client._call import Call, Endpoint, Namespace
from contactd.client._models import Login
from contactd.client._paging import PageData

if TYPE_CHECKING:
    from contactd.client._client import Client, Page

__all__ = ["V1", "V2", "V3"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def _send(client: Client, call: Call[Any]) -> Any:
    return client._send(call)


def _page(client: Client, call: Call[Any]) -> Any:
    return client._page(call)


def _login(client: Client, call: Call[Any]) -> Any:
    return client._login(call)


def sends(build: Callable[P, Call[R]]) -> Endpoint[P, R]:
    return Endpoint(build, _send)


def pages(build: Callable[P, Call[PageData[T]]]) -> Endpoint[P, Page[T]]:
    return Endpoint(build, _page)


def logs_in(build: Callable[P, Call[Login]]) -> Endpoint[P, Login]:
    """A login: the client keeps the token for later calls."""
    return Endpoint(build, _login)


class V3Contacts(Namespace["Client"]):
    """`/v3/contact/*`: contacts by UUID, listed with cursors."""

    get = sends(ops.v3_contact_get)
    list = pages(ops.v3_contact_list)
    add = sends(ops.v3_contact_add)
    update = sends(ops.v3_contact_update)
    delete = sends(ops.v3_contact_delete)


class V1Contacts(Namespace["Client"]):
    """`/v1/{getContact,updateContact,deleteContact}`: contacts by phone, numbered pages."""

    list = pages(ops.v1_contact_list)
    update = sends(ops.v1_contact_update)
    delete = sends(ops.v1_contact_delete)


class V1Agents(Namespace["Client"]):
    """`/v1/agent/*` (admin: appid + secret)."""

    add = sends(ops.v1_agent_add)
    list = pages(ops.v1_agent_list)
    update = sends(ops.v1_agent_update)
    remove = sends(ops.v1_agent_remove)


class V3Users(Namespace["Client"]):
    """`/v3/user/*` (admin: appid + secret)."""

    add = sends(ops.v3_user_add)
    get = sends(ops.v3_user_get)
    list = pages(ops.v3_user_list)
    update = sends(ops.v3_user_update)
    remove = sends(ops.v3_user_remove)


class V1(Namespace["Client"]):
    """The v1 generation: agent login, contacts by phone, agent provisioning."""

    login = logs_in(ops.v1_login)

    def __init__(self, client: Client) -> None:
        super().__init__(client)
        self.contacts = V1Contacts(client)
        self.agents = V1Agents(client)


class V2(Namespace["Client"]):
    """The v2 generation: user login (its token serves v3, and v1, calls)."""

    login = logs_in(ops.v2_login)


class V3(Namespace["Client"]):
    """The v3 generation: contacts by UUID with cursors, user provisioning."""

    def __init__(self, client: Client) -> None:
        super().__init__(client)
        self.contacts = V3Contacts(client)
        self.users = V3Users(client)

"""What the v1, v2 and v3 admin endpoints share: the credentials every request carries, the
shapes of their answers, and the views of a principal that their answers show.

A generation's answer is its own Struct, named in the API's document, made from one of
the shapes here (`Saved`, `Shown`, `Listed`) with the type of its `code` and its view of a
principal: the generations differ only in those, and in the code's value."""

from __future__ import annotations

from typing import Generic, Self, TypeVar, Unpack

import msgspec

from contactd.api.fields import AppId, Secret
from contactd.api.operations import Services
from contactd.domain.models import Principal
from contactd.domain.principals import PrincipalDetails, PrincipalEdit

__all__ = [
    "SAVED",
    "AdminAnswer",
    "AdminHead",
    "AdminRequest",
    "Listed",
    "Saved",
    "Shown",
    "V1AdminAnswer",
    "add_principal",
    "principal_page",
    "principal_view",
    "remove_principal",
    "shown_principal",
    "update_principal",
]


class AdminRequest(msgspec.Struct):
    """The app's credentials, the first fields of every admin request."""

    appid: AppId
    secret: Secret


C = TypeVar("C", str, int)
"""The type of a generation's `code`: v1's strings, v2's and v3's numbers."""
V = TypeVar("V", bound=msgspec.Struct)
"""A generation's view of a principal."""


class AdminHead(msgspec.Struct, Generic[C]):
    """The first fields of every admin answer."""

    code: C
    status: str


class V1AdminAnswer(AdminHead[str]):
    """The first fields of every v1 admin answer: the vendor's `"cmi-200"` codes."""


class AdminAnswer(AdminHead[int]):
    """The first fields of every v2 and v3 admin answer: a numeric `code`."""


SAVED = "Saved successfully"
"""The vendor's message for an admin add or update, in every generation."""
_SUCCESS = "success"


class Saved(AdminHead[C], Generic[C, V]):
    """An add's or update's answer: the vendor's message and the principal as saved."""

    msg: str
    agent: V

    @classmethod
    def of(cls, code: C, agent: V) -> Self:
        return cls(code=code, status=_SUCCESS, msg=SAVED, agent=agent)


class Shown(AdminHead[C], Generic[C, V]):
    """A get's answer: the principal."""

    agent: V

    @classmethod
    def of(cls, code: C, agent: V) -> Self:
        return cls(code=code, status=_SUCCESS, agent=agent)


class Listed(AdminHead[C], Generic[C, V]):
    """A list's answer: how many principals match in all, and the page of them."""

    count: int
    agents: list[V]

    @classmethod
    def of(cls, code: C, page: tuple[int, list[V]]) -> Self:
        count, agents = page
        return cls(code=code, status=_SUCCESS, count=count, agents=agents)


# The wire names that are not the principal's own attribute names.
_ATTRIBUTE_OF = {"agent_id": "id", "email_id": "email"}


def principal_view(view: type[V], principal: Principal) -> V:
    """`view` with each field taken from the principal's attribute of that name."""
    return view(
        **{
            name: getattr(principal, _ATTRIBUTE_OF.get(name, name))
            for name in view.__struct_fields__
        }
    )


async def add_principal(
    services: Services, request: AdminRequest, view: type[V], **details: Unpack[PrincipalDetails]
) -> V:
    """An admin add: the app's credentials are checked first, then the principal is
    added with `details` and shown as `view`."""
    app = await services.apps.authenticate(request.appid, request.secret)
    return principal_view(view, await services.principals.add(app, **details))


async def shown_principal(
    services: Services, request: AdminRequest, principal: str, view: type[V], *, field: str
) -> V:
    """An admin get, by the id in the request's `field`: the app's credentials are checked
    first, then the principal is shown as `view` (or `field` is not found)."""
    app = await services.apps.authenticate(request.appid, request.secret)
    return principal_view(view, await services.principals.get(app, principal, field=field))


async def update_principal(
    services: Services,
    request: AdminRequest,
    principal: str,
    *,
    field: str,
    **changes: Unpack[PrincipalEdit],
) -> Principal:
    """An admin update, by the id in the request's `field`: the app's credentials are
    checked first, then the principal is changed (or `field` is not found)."""
    app = await services.apps.authenticate(request.appid, request.secret)
    return await services.principals.update(app, principal, field=field, **changes)


async def remove_principal(
    services: Services, request: AdminRequest, principal: str | int, *, field: str
) -> None:
    """An admin remove, by the id (a `str`) or the extension (an `int`) in the
    request's `field`: the app's credentials are checked first, then the principal and
    its tokens go (or `field` is not found)."""
    app = await services.apps.authenticate(request.appid, request.secret)
    if isinstance(principal, int):
        await services.principals.remove_extension(app, principal, field=field)
    else:
        await services.principals.remove(app, principal, field=field)


async def principal_page(
    services: Services,
    request: AdminRequest,
    view: type[V],
    *,
    page: int,
    limit: int,
    name: str = "",
) -> tuple[int, list[V]]:
    """An admin list: how many principals match `name` in the app, and page `page` of
    them as `view` shows each."""
    app = await services.apps.authenticate(request.appid, request.secret)
    count, principals = await services.principals.list_page(app, page=page, limit=limit, name=name)
    return count, [principal_view(view, p) for p in principals]

"""What the v1, v2 and v3 admin endpoints share: the credentials every request carries, and
the views of a principal that their answers show."""

from __future__ import annotations

from typing import TypeVar, Unpack

import msgspec

from contactd.api.fields import AppId, Secret
from contactd.api.operations import Services
from contactd.domain.models import Principal
from contactd.domain.principals import PrincipalDetails

__all__ = [
    "SAVED",
    "AdminAnswer",
    "AdminRequest",
    "V1AdminAnswer",
    "add_principal",
    "principal_page",
    "principal_view",
    "remove_principal",
]


class AdminRequest(msgspec.Struct):
    """The app's credentials, the first fields of every admin request."""

    appid: AppId
    secret: Secret


class V1AdminAnswer(msgspec.Struct):
    """The first fields of every v1 admin answer: the vendor's `"cmi-200"` codes."""

    code: str
    status: str


class AdminAnswer(msgspec.Struct):
    """The first fields of every v2 and v3 admin answer: a numeric `code`."""

    code: int
    status: str


SAVED = "Saved successfully"
"""The vendor's message for an admin add or update, in every generation."""

V = TypeVar("V", bound=msgspec.Struct)

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

"""v3 admin provisioning (appid + secret): `/v3/user/{add,get,list,all,update,remove}`
(docs/api.md, "Admin provisioning"). A bad appid/secret is 401, an unknown `agent_id`
404 (the errors table); passwords are never returned (the vendor echoes them).

Besides the documented fields, what provisioning code sends is taken (docs/api.md,
"Leniencies"): an add with `name` for `first_name`/`last_name`, a remove by
`extension`, and `/v3/user/all`, every user unpaged."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from contactd.api.admin_base import (
    SAVED,
    AdminAnswer,
    AdminRequest,
    Listed,
    Saved,
    Shown,
    add_principal,
    principal_page,
    remove_principal,
    shown_principal,
    update_principal,
)
from contactd.api.fields import (
    DEFAULT_LIMIT,
    AgentId,
    Email,
    Extension,
    Hour,
    Name,
    NewPassword,
    PageNumber,
    PhoneText,
)
from contactd.api.operations import Services
from contactd.domain.emails import check_email
from contactd.domain.errors import Invalid
from contactd.domain.names import split_name
from contactd.domain.principals import ALL_PRINCIPALS, PrincipalDetails

__all__ = [
    "UserAddRequest",
    "UserAddResponse",
    "UserAllRequest",
    "UserGetRequest",
    "UserGetResponse",
    "UserListRequest",
    "UserListResponse",
    "UserRemoveRequest",
    "UserRemoveResponse",
    "UserUpdateRequest",
    "UserUpdateResponse",
    "add_user",
    "all_users",
    "get_user",
    "list_users",
    "remove_user",
    "update_user",
    "user_details",
]


class UserAddRequest(AdminRequest):
    """`first_name` and `last_name`, or `name` split at its first space, as v1's is."""

    extension: Extension
    phone_number: PhoneText | int
    password: NewPassword
    first_name: Name | None = None
    last_name: Name | None = None
    name: Name | None = None
    email_id: Email = ""
    start_time: Hour | None = None
    end_time: Hour | None = None
    followme: bool = False


class AddedUser(msgspec.Struct):
    agent_id: str
    extension: int


class UserAddResponse(Saved[int, AddedUser]):
    pass


def _names(request: UserAddRequest) -> tuple[str, str]:
    """The first and last name of an add, from whichever form it sent."""
    if request.name is not None:
        if request.first_name is not None or request.last_name is not None:
            raise Invalid("name must not be sent with first_name or last_name")
        return split_name(request.name)
    if request.first_name is None:
        raise Invalid("first_name is required (or name)")
    if request.last_name is None:
        raise Invalid("last_name is required")
    return request.first_name, request.last_name


def user_details(request: UserAddRequest) -> PrincipalDetails:
    """What a v3 add sets, in the service's keywords (also a seed's v3 principal)."""
    first_name, last_name = _names(request)
    return PrincipalDetails(
        extension=request.extension,
        first_name=first_name,
        last_name=last_name,
        phone_number=str(request.phone_number),
        password=request.password,
        email=check_email(request.email_id, field="email_id"),
        start_time=request.start_time,
        end_time=request.end_time,
        followme=request.followme,
    )


async def add_user(services: Services, request: UserAddRequest) -> UserAddResponse:
    added = await add_principal(services, request, AddedUser, **user_details(request))
    return UserAddResponse.of(200, added)


class UserPublic(msgspec.Struct):
    """A user as v3 shows it; `notify` and `email_id` are extensions. No password."""

    agent_id: str
    first_name: str
    last_name: str
    extension: int
    phone: str
    start_time: int | None
    end_time: int | None
    followme: bool
    notify: bool
    email_id: str


# -- /v3/user/get --------------------------------------------------------------------------
class UserGetRequest(AdminRequest):
    agent_id: AgentId


class UserGetResponse(Shown[int, UserPublic]):
    pass


async def get_user(services: Services, request: UserGetRequest) -> UserGetResponse:
    agent = await shown_principal(services, request, request.agent_id, UserPublic, field="agent_id")
    return UserGetResponse.of(200, agent)


# -- /v3/user/list -------------------------------------------------------------------------
MAX_LIMIT = 100


class UserListRequest(AdminRequest):
    page: PageNumber | None = None
    limit: Annotated[int, Meta(ge=1, le=MAX_LIMIT, description="Users per page")] | None = None
    name: Name | None = None


class UserListResponse(Listed[int, UserPublic]):
    pass


async def list_users(services: Services, request: UserListRequest) -> UserListResponse:
    page = await principal_page(
        services,
        request,
        UserPublic,
        page=request.page or 1,
        limit=request.limit or DEFAULT_LIMIT,
        name=request.name or "",
    )
    return UserListResponse.of(200, page)


# -- /v3/user/all (not in the vendor's pages: provisioning code calls it) ------------------
class UserAllRequest(AdminRequest):
    pass


async def all_users(services: Services, request: UserAllRequest) -> UserListResponse:
    page = await principal_page(services, request, UserPublic, page=1, limit=ALL_PRINCIPALS)
    return UserListResponse.of(200, page)


# -- /v3/user/update -----------------------------------------------------------------------
class UserUpdateRequest(AdminRequest):
    """Only the fields sent change."""

    agent_id: AgentId
    first_name: Name | None = None
    last_name: Name | None = None
    email_id: Email | None = None
    phone_number: PhoneText | int | None = None
    password: NewPassword | None = None
    start_time: Hour | None = None
    end_time: Hour | None = None


class UserUpdateResponse(AdminAnswer):
    msg: str


async def update_user(services: Services, request: UserUpdateRequest) -> UserUpdateResponse:
    await update_principal(
        services,
        request,
        request.agent_id,
        field="agent_id",
        first_name=request.first_name,
        last_name=request.last_name,
        phone_number=str(request.phone_number) if request.phone_number is not None else None,
        password=request.password,
        email=check_email(request.email_id, field="email_id")
        if request.email_id is not None
        else None,
        start_time=request.start_time,
        end_time=request.end_time,
    )
    return UserUpdateResponse(code=200, status="success", msg=SAVED)


# -- /v3/user/remove -----------------------------------------------------------------------
class UserRemoveRequest(AdminRequest):
    """`agent_id`, or the `extension` some provisioning code sends instead."""

    agent_id: AgentId | None = None
    extension: Extension | None = None


class UserRemoveResponse(AdminAnswer):
    """`{code, status}` only."""


_REMOVED = UserRemoveResponse(code=200, status="success")


async def remove_user(services: Services, request: UserRemoveRequest) -> UserRemoveResponse:
    if request.agent_id is not None and request.extension is not None:
        raise Invalid("agent_id must not be sent with extension")
    if request.agent_id is not None:
        await remove_principal(services, request, request.agent_id, field="agent_id")
    elif request.extension is not None:
        await remove_principal(services, request, request.extension, field="extension")
    else:
        raise Invalid("agent_id is required (or extension)")
    return _REMOVED

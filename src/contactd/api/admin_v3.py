"""v3 admin provisioning (appid + secret): `/v3/user/{add,get,list,update,remove}`
(docs/api.md, "Admin provisioning"). A bad appid/secret is 401, an unknown `agent_id`
404 (the errors table); passwords are never returned (the vendor echoes them)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from contactd.api.admin_base import (
    SAVED,
    AdminRequest,
    V3AdminAnswer,
    add_principal,
    principal_page,
    principal_view,
    remove_principal,
)
from contactd.api.fields import (
    DEFAULT_LIMIT,
    AgentId,
    Email,
    Extension,
    Hour,
    Name,
    PageNumber,
    PhoneText,
)
from contactd.api.operations import Services
from contactd.domain.emails import check_email

__all__ = [
    "UserAddRequest",
    "UserAddResponse",
    "UserGetRequest",
    "UserGetResponse",
    "UserListRequest",
    "UserListResponse",
    "UserRemoveRequest",
    "UserRemoveResponse",
    "UserUpdateRequest",
    "UserUpdateResponse",
    "add_user",
    "get_user",
    "list_users",
    "remove_user",
    "update_user",
]

V3Password = Annotated[str, Meta(min_length=8, max_length=256)]


class UserAddRequest(AdminRequest):
    extension: Extension
    first_name: Name
    last_name: Name
    phone_number: PhoneText | int
    password: V3Password
    email_id: Email = ""
    start_time: Hour | None = None
    end_time: Hour | None = None
    followme: bool = False


class AddedUser(msgspec.Struct):
    agent_id: str
    extension: int


class UserAddResponse(V3AdminAnswer):
    msg: str
    agent: AddedUser


async def add_user(services: Services, request: UserAddRequest) -> UserAddResponse:
    added = await add_principal(
        services,
        request,
        AddedUser,
        extension=request.extension,
        first_name=request.first_name,
        last_name=request.last_name,
        phone_number=str(request.phone_number),
        password=request.password,
        email=check_email(request.email_id, field="email_id"),
        start_time=request.start_time,
        end_time=request.end_time,
        followme=request.followme,
    )
    return UserAddResponse(code=200, status="success", msg=SAVED, agent=added)


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


class UserGetResponse(V3AdminAnswer):
    agent: UserPublic


async def get_user(services: Services, request: UserGetRequest) -> UserGetResponse:
    app = await services.apps.authenticate(request.appid, request.secret)
    principal = await services.principals.get(app, request.agent_id, field="agent_id")
    return UserGetResponse(code=200, status="success", agent=principal_view(UserPublic, principal))


# -- /v3/user/list -------------------------------------------------------------------------
MAX_LIMIT = 100


class UserListRequest(AdminRequest):
    page: PageNumber | None = None
    limit: Annotated[int, Meta(ge=1, le=MAX_LIMIT, description="Users per page")] | None = None
    name: Name | None = None


class UserListResponse(V3AdminAnswer):
    count: int
    agents: list[UserPublic]


async def list_users(services: Services, request: UserListRequest) -> UserListResponse:
    count, users = await principal_page(
        services,
        request,
        UserPublic,
        page=request.page or 1,
        limit=request.limit or DEFAULT_LIMIT,
        name=request.name or "",
    )
    return UserListResponse(code=200, status="success", count=count, agents=users)


# -- /v3/user/update -----------------------------------------------------------------------
class UserUpdateRequest(AdminRequest):
    """Only the fields sent change."""

    agent_id: AgentId
    first_name: Name | None = None
    last_name: Name | None = None
    email_id: Email | None = None
    phone_number: PhoneText | int | None = None
    password: V3Password | None = None
    start_time: Hour | None = None
    end_time: Hour | None = None


class UserUpdateResponse(V3AdminAnswer):
    msg: str


async def update_user(services: Services, request: UserUpdateRequest) -> UserUpdateResponse:
    app = await services.apps.authenticate(request.appid, request.secret)
    await services.principals.update(
        app,
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
    agent_id: AgentId


class UserRemoveResponse(V3AdminAnswer):
    """`{code, status}` only."""


_REMOVED = UserRemoveResponse(code=200, status="success")


async def remove_user(services: Services, request: UserRemoveRequest) -> UserRemoveResponse:
    await remove_principal(services, request, request.agent_id, field="agent_id")
    return _REMOVED

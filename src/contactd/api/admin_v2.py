"""v2 administration (appid + secret): `/v2/user/{add,list,update,remove}` and the admin
token, `/v2/token` (docs/api.md, "v2 administration").

v2's user bodies are v1's agent bodies (`name` split into first and last, the shift, the
SMS alert) and its answers show agents as v1's do, with v2's numeric `code: 200`: the
requests, views and the add, list and update themselves are v1's (api/admin_v1.py).
Passwords are never returned (the vendor echoes them).
"""

from __future__ import annotations

import msgspec

from contactd.api.admin_base import (
    AdminAnswer,
    AdminRequest,
    Listed,
    Saved,
    remove_principal,
)
from contactd.api.admin_v1 import (
    MAX_AGENT_LIMIT,
    AddedAgent,
    AgentAddRequest,
    AgentLimit,
    AgentListRequest,
    AgentRemoveRequest,
    AgentUpdateRequest,
    ListedAgent,
    UpdatedAgent,
    added_agent,
    listed_agents,
    updated_agent,
)
from contactd.api.fields import PageNumber
from contactd.api.operations import Services
from contactd.domain.errors import AuthFailed, LoginFailed

__all__ = [
    "ADMIN_TOKEN_LIFETIME",
    "AdminTokenRequest",
    "AdminTokenResponse",
    "UserAddResponse",
    "UserListRequest",
    "UserListResponse",
    "UserRemoveResponse",
    "UserUpdateResponse",
    "add_user",
    "admin_token",
    "list_users",
    "remove_user",
    "update_user",
]


# -- /v2/user/add --------------------------------------------------------------------------
class UserAddResponse(Saved[int, AddedAgent]):
    pass


async def add_user(services: Services, request: AgentAddRequest) -> UserAddResponse:
    return UserAddResponse.of(200, await added_agent(services, request))


# -- /v2/user/list -------------------------------------------------------------------------
# v1's list request with defaults, so that v1's page serves it (`listed_agents`).
class UserListRequest(AgentListRequest):
    """v2's page says every field is required yet gives `page` a default: both are
    optional here, with v1's maximum of 10 a page."""

    page: PageNumber = 1
    limit: AgentLimit = MAX_AGENT_LIMIT


class UserListResponse(Listed[int, ListedAgent]):
    pass


async def list_users(services: Services, request: UserListRequest) -> UserListResponse:
    return UserListResponse.of(200, await listed_agents(services, request))


# -- /v2/user/update -----------------------------------------------------------------------
class UserUpdateResponse(Saved[int, UpdatedAgent]):
    pass


async def update_user(services: Services, request: AgentUpdateRequest) -> UserUpdateResponse:
    return UserUpdateResponse.of(200, await updated_agent(services, request))


# -- /v2/user/remove -----------------------------------------------------------------------
class UserRemoveResponse(AdminAnswer):
    """`{code, status}` only."""


_REMOVED = UserRemoveResponse(code=200, status="success")


async def remove_user(services: Services, request: AgentRemoveRequest) -> UserRemoveResponse:
    await remove_principal(services, request, request.id, field="id")
    return _REMOVED


# -- /v2/token -----------------------------------------------------------------------------
ADMIN_TOKEN_LIFETIME = "30d"  # noqa: S105 (not a secret)
"""The vendor's `expiresIn`, in its own notation (domain/admin_tokens.py's lifetime)."""


class AdminTokenRequest(AdminRequest):
    pass


class AdminTokenResponse(msgspec.Struct):
    """The vendor's field order and names: `secret` is the admin token, never the app's
    secret; `expiresIn` its lifetime."""

    secret: str
    expiresIn: str
    code: int


async def admin_token(services: Services, request: AdminTokenRequest) -> AdminTokenResponse:
    try:
        token = await services.apps.admin_token(request.appid, request.secret)
    except AuthFailed as exc:
        # The page documents a wrong appid or secret as 404, as the logins answer one.
        raise LoginFailed(exc.msg) from exc
    return AdminTokenResponse(secret=token, expiresIn=ADMIN_TOKEN_LIFETIME, code=200)

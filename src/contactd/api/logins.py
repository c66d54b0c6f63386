"""Logins: `/v1/agentLogin` and `/v2/user/login` (CONTRACT §4).

Both issue the same kind of token, accepted by v1 and v3 endpoints alike; only the
success message and the shape of `agent` differ.
"""

from __future__ import annotations

import msgspec

from contactd.api.fields import Password
from contactd.api.operations import Services

__all__ = [
    "AgentLoginRequest",
    "AgentLoginResponse",
    "UserLoginRequest",
    "UserLoginResponse",
    "agent_login",
    "user_login",
]


class AgentLoginRequest(msgspec.Struct):
    id: str
    password: Password


class AgentSummary(msgspec.Struct):
    id: str
    inet_no: int
    name: str


class AgentLoginResponse(msgspec.Struct):
    code: int
    msg: str
    token: str
    agent: AgentSummary


class UserLoginRequest(msgspec.Struct):
    id: str
    password: Password


class UserSummary(msgspec.Struct):
    category: str
    id: str
    inet_no: int
    name: str


class UserLoginResponse(msgspec.Struct):
    code: int
    msg: str
    token: str
    agent: UserSummary


async def agent_login(services: Services, request: AgentLoginRequest) -> AgentLoginResponse:
    token, principal = await services.principals.login(request.id, request.password)
    return AgentLoginResponse(
        code=200,
        msg="Agent loged in successfully",  # the vendor's spelling; clients match on it
        token=token,
        agent=AgentSummary(id=principal.id, inet_no=principal.app_id, name=principal.name),
    )


async def user_login(services: Services, request: UserLoginRequest) -> UserLoginResponse:
    token, principal = await services.principals.login(request.id, request.password)
    return UserLoginResponse(
        code=200,
        msg="User loged in successfully",
        token=token,
        agent=UserSummary(
            category="inr", id=principal.id, inet_no=principal.app_id, name=principal.name
        ),
    )

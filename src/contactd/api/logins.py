"""Logins: `/v1/agentLogin` and `/v2/user/login` (CONTRACT §4).

Both issue the same kind of token, accepted by v1 and v3 endpoints alike; only the
success message and the shape of `agent` differ. Every attempt leaves one audit line
and one count (`observe.audit_login`) with its outcome, told apart here from the
login's result or error.
"""

from __future__ import annotations

import msgspec

from contactd.api.fields import Password
from contactd.api.observe import audit_login
from contactd.api.operations import Services
from contactd.domain.errors import LoginFailed, TooManyAttempts
from contactd.domain.models import Principal
from contactd.domain.principals import parse_principal_id
from contactd.store.base import StoreError

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


async def _login(services: Services, principal_id: str, password: str) -> tuple[str, Principal]:
    try:
        token, principal = await services.principals.login(principal_id, password)
    except TooManyAttempts:
        audit_login(services.metrics, principal_id, "throttled")
        raise
    except LoginFailed:
        known = await _exists(services, principal_id)
        audit_login(services.metrics, principal_id, "bad_password" if known else "unknown")
        raise
    audit_login(services.metrics, principal_id, "ok")
    return token, principal


async def _exists(services: Services, principal_id: str) -> bool:
    """Whether the id names a principal. The client is answered alike either way; only
    the audit tells an unknown id from a wrong password (a lookup on the failure path
    only, after the hash was checked). A store that cannot say counts as unknown: the
    audit never changes the answer."""
    ids = parse_principal_id(principal_id)
    if ids is None:
        return False
    try:
        return await services.store.get_principal(*ids) is not None
    except StoreError:
        return False


async def agent_login(services: Services, request: AgentLoginRequest) -> AgentLoginResponse:
    token, principal = await _login(services, request.id, request.password)
    return AgentLoginResponse(
        code=200,
        msg="Agent loged in successfully",  # the vendor's spelling; clients match on it
        token=token,
        agent=AgentSummary(id=principal.id, inet_no=principal.app_id, name=principal.name),
    )


async def user_login(services: Services, request: UserLoginRequest) -> UserLoginResponse:
    token, principal = await _login(services, request.id, request.password)
    return UserLoginResponse(
        code=200,
        msg="User loged in successfully",
        token=token,
        agent=UserSummary(
            category="inr", id=principal.id, inet_no=principal.app_id, name=principal.name
        ),
    )

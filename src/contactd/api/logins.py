"""Logins: `/v1/agentLogin` and `/v2/user/login` (docs/api.md, "Logins").

Both issue the same kind of token, accepted by v1 and v3 endpoints alike; only the
success message and the shape of `agent` differ. Every attempt leaves one audit line
and one count (`observe.audit_login`) with its outcome, told apart here from the
login's result or error.
"""

from __future__ import annotations

import msgspec

from contactd.api.answers import MessageAnswer
from contactd.api.fields import Password
from contactd.api.observe import audit_login
from contactd.api.operations import Services
from contactd.domain.logins import LoginOutcome
from contactd.domain.models import Principal
from contactd.metrics import LoginOutcome as AuditOutcome

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


class AgentLoginResponse(MessageAnswer):
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


class UserLoginResponse(MessageAnswer):
    token: str
    agent: UserSummary


# The domain's outcomes as the audit and the metrics name them. A login refused because
# every hasher was busy ran no check and is not audited (it is a 503, like a store fault).
_AUDITED: dict[LoginOutcome, AuditOutcome] = {
    LoginOutcome.OK: "ok",
    LoginOutcome.BAD_PASSWORD: "bad_password",
    LoginOutcome.THROTTLED: "throttled",
    LoginOutcome.UNKNOWN_ID: "unknown",
    LoginOutcome.MALFORMED_ID: "unknown",
}


async def _login(services: Services, principal_id: str, password: str) -> tuple[str, Principal]:
    result = await services.principals.login(principal_id, password)
    audited = _AUDITED.get(result.outcome)
    if audited is not None:
        audit_login(services.metrics, principal_id, audited)
    return result.granted()


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

"""v1 admin provisioning (appid + secret): `/v1/agent/*` (CONTRACT §7)."""

from __future__ import annotations

import msgspec

from contactd.api.fields import AppId, Extension, Hour, Name, Password, PhoneText, Secret
from contactd.api.operations import Services
from contactd.domain.names import split_name

__all__ = ["AgentAddRequest", "AgentAddResponse", "add_agent"]


class AgentAddRequest(msgspec.Struct):
    appid: AppId
    secret: Secret
    extension: Extension
    name: Name
    phone_number: PhoneText | int
    password: Password
    start_time: Hour | None = None
    end_time: Hour | None = None
    # The vendor's table says string, its sample sends `true`: both are taken.
    sms_alert: bool | str | None = None


class AddedAgent(msgspec.Struct):
    agent_id: str
    name: str
    extension: int


class AgentAddResponse(msgspec.Struct):
    code: str
    status: str
    msg: str
    agent: AddedAgent


def notify_flag(sms_alert: bool | str | None) -> bool:
    if isinstance(sms_alert, str):
        return sms_alert.strip().lower() in ("true", "1", "yes", "on")
    return bool(sms_alert)


async def add_agent(services: Services, request: AgentAddRequest) -> AgentAddResponse:
    app = await services.apps.authenticate(request.appid, request.secret)
    first_name, last_name = split_name(request.name)
    principal = await services.principals.add(
        app,
        extension=request.extension,
        first_name=first_name,
        last_name=last_name,
        phone_number=str(request.phone_number),
        password=request.password,
        start_time=request.start_time,
        end_time=request.end_time,
        notify=notify_flag(request.sms_alert),
    )
    return AgentAddResponse(
        code="cmi-200",
        status="success",
        msg="Saved successfully",
        agent=AddedAgent(agent_id=principal.id, name=principal.name, extension=principal.extension),
    )

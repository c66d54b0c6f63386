"""v3 admin provisioning (appid + secret): `/v3/user/*` (CONTRACT §7)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from contactd.api.fields import AppId, Email, Extension, Hour, Name, PhoneText, Secret
from contactd.api.operations import Services
from contactd.domain.emails import check_email

__all__ = ["UserAddRequest", "UserAddResponse", "add_user"]

V3Password = Annotated[str, Meta(min_length=8, max_length=256)]


class UserAddRequest(msgspec.Struct):
    appid: AppId
    secret: Secret
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


class UserAddResponse(msgspec.Struct):
    code: int
    status: str
    msg: str
    agent: AddedUser


async def add_user(services: Services, request: UserAddRequest) -> UserAddResponse:
    app = await services.apps.authenticate(request.appid, request.secret)
    principal = await services.principals.add(
        app,
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
    return UserAddResponse(
        code=200,
        status="success",
        msg="Saved successfully",
        agent=AddedUser(agent_id=principal.id, extension=principal.extension),
    )

"""v1 admin provisioning (appid + secret): `/v1/agent/{add,get,list,update,remove}`
(docs/api.md, "Admin provisioning"). Success codes are the vendor's strings
`"cmi-200"` / `"cmi-2000"`; passwords are never returned (the vendor echoes them).

v2's user administration takes the same bodies and shows agents the same way
(api/admin_v2.py): the requests, views and `added_agent` / `listed_agents` /
`updated_agent` below serve both; only the answers' codes differ."""

from __future__ import annotations

from typing import Annotated, TypedDict

import msgspec
from msgspec import Meta

from contactd.api.admin_base import (
    AdminRequest,
    Listed,
    Saved,
    Shown,
    V1AdminAnswer,
    add_principal,
    principal_page,
    principal_view,
    remove_principal,
    shown_principal,
    update_principal,
)
from contactd.api.fields import AgentId, Extension, Hour, Name, NewPassword, PageNumber, PhoneText
from contactd.api.operations import Services
from contactd.domain.names import split_name
from contactd.domain.principals import PrincipalDetails

__all__ = [
    "AddedAgent",
    "AgentAddRequest",
    "AgentAddResponse",
    "AgentGetRequest",
    "AgentGetResponse",
    "AgentLimit",
    "AgentListRequest",
    "AgentListResponse",
    "AgentRemoveRequest",
    "AgentRemoveResponse",
    "AgentUpdateRequest",
    "AgentUpdateResponse",
    "ListedAgent",
    "UpdatedAgent",
    "add_agent",
    "added_agent",
    "agent_details",
    "get_agent",
    "list_agents",
    "listed_agents",
    "remove_agent",
    "update_agent",
    "updated_agent",
]


class AgentDetails(AdminRequest):
    """What an agent add and an agent update both send. The name, phone and password are
    required (an update replaces them); the shift and the SMS alert change when sent."""

    name: Name
    phone_number: PhoneText | int
    password: NewPassword
    start_time: Hour | None = None
    end_time: Hour | None = None
    # The vendor's table says string, its sample sends `true`: both are taken.
    sms_alert: bool | str | None = None

    def replaced(self) -> _Replaced:
        """What an add sets and an update replaces, in the service's keywords."""
        first_name, last_name = split_name(self.name)
        return _Replaced(
            first_name=first_name,
            last_name=last_name,
            phone_number=str(self.phone_number),
            password=self.password,
        )


class _Replaced(TypedDict):
    first_name: str
    last_name: str
    phone_number: str
    password: str


class AgentAddRequest(AgentDetails, kw_only=True):
    extension: Extension


class AddedAgent(msgspec.Struct):
    agent_id: str
    name: str
    extension: int


class AgentAddResponse(Saved[str, AddedAgent]):
    pass


def notify_flag(sms_alert: bool | str | None) -> bool:
    if isinstance(sms_alert, str):
        return sms_alert.strip().lower() in ("true", "1", "yes", "on")
    return bool(sms_alert)


def agent_details(request: AgentAddRequest) -> PrincipalDetails:
    """What a v1 (and v2) add sets, in the service's keywords (also a seed's v1 principal)."""
    replaced = request.replaced()
    return PrincipalDetails(
        extension=request.extension,
        first_name=replaced["first_name"],
        last_name=replaced["last_name"],
        phone_number=replaced["phone_number"],
        password=replaced["password"],
        start_time=request.start_time,
        end_time=request.end_time,
        notify=notify_flag(request.sms_alert),
    )


async def added_agent(services: Services, request: AgentAddRequest) -> AddedAgent:
    """The add itself, for v1 and v2 alike."""
    return await add_principal(services, request, AddedAgent, **agent_details(request))


async def add_agent(services: Services, request: AgentAddRequest) -> AgentAddResponse:
    return AgentAddResponse.of("cmi-200", await added_agent(services, request))


# -- /v1/agent/get (not in the vendor's pages: provisioning code calls it) -----------------
class AgentGetRequest(AdminRequest):
    id: AgentId


class ShownAgent(msgspec.Struct):
    agent_id: str
    name: str
    extension: int
    phone: str


class AgentGetResponse(Shown[str, ShownAgent]):
    pass


async def get_agent(services: Services, request: AgentGetRequest) -> AgentGetResponse:
    agent = await shown_principal(services, request, request.id, ShownAgent, field="id")
    return AgentGetResponse.of("cmi-200", agent)


# -- /v1/agent/list ------------------------------------------------------------------------
MAX_AGENT_LIMIT = 10  # the vendor's documented maximum


AgentLimit = Annotated[int, Meta(ge=1, le=MAX_AGENT_LIMIT, description="Agents per page, 1-10")]


class AgentListRequest(AdminRequest):
    page: PageNumber
    limit: AgentLimit


class ListedAgent(msgspec.Struct):
    agent_id: str
    name: str
    extension: int
    notify: bool
    phone: str
    start_time: int | None
    end_time: int | None


class AgentListResponse(Listed[str, ListedAgent]):
    pass


async def listed_agents(
    services: Services, request: AgentListRequest
) -> tuple[int, list[ListedAgent]]:
    """The page itself, for v1 and v2 alike: how many agents the app has, and the page."""
    return await principal_page(
        services, request, ListedAgent, page=request.page, limit=request.limit
    )


async def list_agents(services: Services, request: AgentListRequest) -> AgentListResponse:
    return AgentListResponse.of("cmi-2000", await listed_agents(services, request))


# -- /v1/agent/update ----------------------------------------------------------------------
class AgentUpdateRequest(AgentDetails, kw_only=True):
    id: AgentId


class UpdatedAgent(msgspec.Struct):
    name: str
    notify: bool
    phone: str
    start_time: int | None
    end_time: int | None


class AgentUpdateResponse(Saved[str, UpdatedAgent]):
    pass


async def updated_agent(services: Services, request: AgentUpdateRequest) -> UpdatedAgent:
    """The update itself (every field replaced but the shift and alert when not sent),
    for v1 and v2 alike."""
    principal = await update_principal(
        services,
        request,
        request.id,
        field="id",
        **request.replaced(),
        start_time=request.start_time,
        end_time=request.end_time,
        notify=notify_flag(request.sms_alert) if request.sms_alert is not None else None,
    )
    return principal_view(UpdatedAgent, principal)


async def update_agent(services: Services, request: AgentUpdateRequest) -> AgentUpdateResponse:
    return AgentUpdateResponse.of("cmi-200", await updated_agent(services, request))


# -- /v1/agent/remove ----------------------------------------------------------------------
class AgentRemoveRequest(AdminRequest):
    id: AgentId


class AgentRemoveResponse(V1AdminAnswer):
    """`{code, status}` only: the vendor's remove answers no message."""


# "cmi-200", not the "cmi-2000" of the vendor's page: production clients of the real
# service accept only "cmi-200" or 200 (docs/api.md, "v1 remove's code").
_REMOVED = AgentRemoveResponse(code="cmi-200", status="success")


async def remove_agent(services: Services, request: AgentRemoveRequest) -> AgentRemoveResponse:
    await remove_principal(services, request, request.id, field="id")
    return _REMOVED

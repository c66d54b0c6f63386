"""The route table: every endpoint contactd serves, in one place.

The router, `/openapi.json` and the error-shape tests are all built from `OPERATIONS`.
"""

from __future__ import annotations

from contactd.api import admin_v1, admin_v3, logins, v3
from contactd.api.errors import Generation
from contactd.api.operations import Operation

__all__ = ["OPERATIONS"]

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        path="/v1/agentLogin",
        generation=Generation.V1,
        request=logins.AgentLoginRequest,
        response=logins.AgentLoginResponse,
        handler=logins.agent_login,
        summary="Agent login: issues a 30-day token",
        errors=(400, 404),
        tag="logins",
    ),
    Operation(
        path="/v2/user/login",
        generation=Generation.V2,
        request=logins.UserLoginRequest,
        response=logins.UserLoginResponse,
        handler=logins.user_login,
        summary="User login: issues a 30-day token (used by v3)",
        errors=(400, 404),
        tag="logins",
    ),
    Operation(
        path="/v3/contact/get",
        generation=Generation.V3,
        request=v3.ContactGetRequest,
        response=v3.ContactGetResponse,
        handler=v3.get_contacts,
        summary="One contact by id, or one page of contacts (cursor)",
        errors=(400, 404),
        tag="v3 contacts",
    ),
    Operation(
        path="/v3/contact/add",
        generation=Generation.V3,
        request=v3.ContactAddRequest,
        response=v3.ContactAddResponse,
        handler=v3.add_contacts,
        summary="Add 1-100 contacts, all or none",
        errors=(400, 404, 409),
        tag="v3 contacts",
    ),
    Operation(
        path="/v3/contact/update",
        generation=Generation.V3,
        request=v3.ContactUpdateRequest,
        response=v3.ContactUpdateResponse,
        handler=v3.update_contacts,
        summary="Change fields of 1-100 contacts, all or none",
        errors=(400, 404, 409),
        tag="v3 contacts",
    ),
    Operation(
        path="/v3/contact/delete",
        generation=Generation.V3,
        request=v3.ContactDeleteRequest,
        response=v3.ContactDeleteResponse,
        handler=v3.delete_contacts,
        summary="Delete 1-100 contacts by id",
        errors=(400, 404),
        tag="v3 contacts",
    ),
    Operation(
        path="/v1/agent/add",
        generation=Generation.ADMIN_V1,
        request=admin_v1.AgentAddRequest,
        response=admin_v1.AgentAddResponse,
        handler=admin_v1.add_agent,
        summary="Add an agent (admin)",
        errors=(400,),
        tag="v1 admin",
    ),
    Operation(
        path="/v3/user/add",
        generation=Generation.ADMIN_V3,
        request=admin_v3.UserAddRequest,
        response=admin_v3.UserAddResponse,
        handler=admin_v3.add_user,
        summary="Add a user (admin)",
        errors=(400, 401),
        tag="v3 admin",
    ),
)

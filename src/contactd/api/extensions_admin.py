"""`/x/admin/unlock` (docs/api.md, "Extensions"): an admin of the app lifts the login
throttle of one of its principals, the operation `contactd users unlock` runs
(`principals.clear_login_throttle`). The app's credentials are refused as the v3 admin
endpoints refuse them (401); an id the app does not hold is a 404 naming `id`."""

from __future__ import annotations

from contactd.api.admin_base import AdminRequest
from contactd.api.answers import MessageAnswer
from contactd.api.fields import AgentId
from contactd.api.operations import Services
from contactd.domain.principals import clear_login_throttle

__all__ = ["UnlockRequest", "UnlockResponse", "unlock"]


class UnlockRequest(AdminRequest):
    id: AgentId
    """The principal's id, `{extension}_{appid}`: a v1 agent's or a v3 user's."""


class UnlockResponse(MessageAnswer):
    """`{code: 200, msg}`: the msg names the id and how many failed logins went."""


async def unlock(services: Services, request: UnlockRequest) -> UnlockResponse:
    app = await services.apps.authenticate(request.appid, request.secret)
    principal = await services.principals.get(app, request.id, field="id")
    principal_id, cleared = await clear_login_throttle(services.store, principal.id)
    return UnlockResponse(
        code=200, msg=f"id {principal_id} unlocked ({cleared} failed logins cleared)"
    )

"""The admin's extensions (docs/api.md, "Extensions"). `/x/admin/unlock`: an admin of
the app lifts the login throttle of one of its principals, the operation `contactd users
unlock` runs (`principals.clear_login_throttle`); an id the app does not hold is a 404
naming `id`. `/x/admin/tags`: the admin sets the app's tag catalogue, which v2
tags/get lists (domain/tags.py). The app's credentials are refused as the v3 admin
endpoints refuse them (401)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from contactd.api.admin_base import AdminRequest
from contactd.api.answers import MessageAnswer
from contactd.api.fields import AgentId, ShortText
from contactd.api.operations import Services
from contactd.domain.principals import clear_login_throttle
from contactd.domain.tags import MAX_CATALOGUE

__all__ = [
    "TagsRequest",
    "TagsResponse",
    "UnlockRequest",
    "UnlockResponse",
    "set_tags",
    "unlock",
]


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


class TagsRequest(AdminRequest):
    tags: Annotated[list[ShortText], Meta(max_length=MAX_CATALOGUE)]
    """The whole catalogue, in the order tags/get lists it; [] clears it."""


class TagsResponse(msgspec.Struct):
    code: int
    tags: list[str]
    """The catalogue as kept: each tag stripped, repeats dropped."""


async def set_tags(services: Services, request: TagsRequest) -> TagsResponse:
    app = await services.apps.authenticate(request.appid, request.secret)
    return TagsResponse(code=200, tags=await services.tags.set_catalogue(app, request.tags))

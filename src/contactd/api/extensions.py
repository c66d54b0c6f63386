"""contactd's extensions: `/x/contacts/search` and `/x/contacts/due` (docs/api.md,
"Extensions").

Either generation's token is taken (v1 agent or v3 user: one principal model), and the
errors are v3's. A contact is shown with every field of both generations (`XContact`):
the v3 card's fields as the card reads them (domain/card.py), the v1 fields as the v1
view gives them (`v1.contact_view`), so neither mapping is spelled out again here.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from contactd.api import v1
from contactd.api.fields import AgentId, PageLimit, Token
from contactd.api.operations import Services
from contactd.domain.card import CARD
from contactd.domain.extensions import FoundPage
from contactd.domain.models import Contact

__all__ = [
    "DEFAULT_PAGE",
    "DueRequest",
    "SearchRequest",
    "XContact",
    "XContactsResponse",
    "contact_view",
    "due",
    "search",
]

DEFAULT_PAGE = 20
PageState = Annotated[str, Meta(description="Cursor from the previous page")]
Query = Annotated[
    str, Meta(min_length=1, max_length=100, description="Name fragment, or 3+ phone digits")
]

# The view's keys in the order it shows them, with where each comes from: the v3 card
# (its field reads that column of the record) or the v1 view (its field of that name).
_KEYS = (
    "contact_id",
    "phone_no",
    "mobile",
    "name",
    "first_name",
    "last_name",
    "email_id",
    "company",
    "job_title",
    "tag",
    "status",
    "remindme",
    "time",
    "agent",
    "info",
)
_CARD = {f.wire: f for f in CARD}
_V1_TYPES = {f.name: f.type for f in msgspec.structs.fields(v1.V1Contact)}


def _type(key: str) -> Any:
    if key in _CARD:
        card = _CARD[key]
        return card.type | None if card.nullable else card.type
    return _V1_TYPES[key]


XContact = msgspec.defstruct(
    "XContact", [(key, _type(key)) for key in _KEYS], module=__name__, frozen=True
)
"""A contact as the extensions show it: every field of both generations, but `notes`."""

_FROM_CARD = [(key, attrgetter(_CARD[key].column)) for key in _KEYS if key in _CARD]
_FROM_V1 = [(key, attrgetter(key)) for key in _KEYS if key not in _CARD]


def contact_view(contact: Contact) -> Any:
    """The `XContact` of a stored contact."""
    shown = v1.contact_view(contact)
    values = {key: get(contact) for key, get in _FROM_CARD}
    values.update({key: get(shown) for key, get in _FROM_V1})
    return XContact(**values)


class XContactsResponse(msgspec.Struct):
    code: int
    count: int
    """How many contacts match in all (not the page's length)."""
    contacts: list[XContact]  # type: ignore[valid-type]
    page_state: str | None
    """The next page's cursor; null on the last page."""


class SearchRequest(msgspec.Struct):
    token: Token
    q: Query
    limit: PageLimit | None = None
    """Contacts per page; `DEFAULT_PAGE` when not sent (or null)."""
    page_state: PageState | None = None


class DueRequest(msgspec.Struct):
    token: Token
    before: v1.Millis | None = None
    """The window's end (excluded), epoch ms; a day from now when not sent."""
    after: v1.Millis | None = None
    """The window's start (included), epoch ms; no bound when not sent."""
    agent: AgentId | None = None
    limit: PageLimit | None = None
    page_state: PageState | None = None


def _answer(page: FoundPage) -> XContactsResponse:
    return XContactsResponse(
        code=200,
        count=page.count,
        contacts=[contact_view(c) for c in page.contacts],
        page_state=page.page_state,
    )


async def search(services: Services, request: SearchRequest) -> XContactsResponse:
    caller = await services.principals.authenticate(request.token)
    page = await services.extensions.search(
        caller,
        q=request.q,
        limit=request.limit or DEFAULT_PAGE,
        page_state=request.page_state or None,
    )
    return _answer(page)


async def due(services: Services, request: DueRequest) -> XContactsResponse:
    caller = await services.principals.authenticate(request.token)
    page = await services.extensions.due(
        caller,
        before=request.before,
        after=request.after,
        agent=request.agent,
        limit=request.limit or DEFAULT_PAGE,
        page_state=request.page_state or None,
    )
    return _answer(page)

"""contactd's extensions: `/x/contacts/search`, `/x/contacts/due`, `/x/contacts/get` and
`/x/contacts/update` (docs/api.md, "Extensions"); the import and the export are
api/extensions_csv.py's, the unlock api/extensions_admin.py's.

Either generation's token is taken (v1 agent or v3 user: one principal model), and the
errors are v3's. A contact is shown with every field of both generations (`XContact`):
the v3 card's fields as the card reads them (domain/card.py), the v1 fields as the v1
view gives them (`v1.contact_view`), so neither mapping is spelled out again here.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Annotated, Any, TypedDict

import msgspec
from msgspec import Meta

from contactd.api import v1, v3
from contactd.api.fields import (
    AgentId,
    LongText,
    PageLimit,
    ShortText,
    Token,
    stripped,
)
from contactd.api.operations import Services
from contactd.domain.card import CARD
from contactd.domain.contacts import Note, parse_contact_id
from contactd.domain.extensions import FoundPage
from contactd.domain.models import Contact

__all__ = [
    "DEFAULT_PAGE",
    "DueRequest",
    "GetRequest",
    "SearchRequest",
    "UpdateRequest",
    "XContact",
    "XContactDetail",
    "XContactResponse",
    "XContactsResponse",
    "contact_view",
    "detail_view",
    "due",
    "get",
    "search",
    "update",
    "updated",
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
"""A contact as the extensions list it: every field of both generations, but `notes`."""

_, _NOTE_SCHEMAS = msgspec.json.schema_components([Note])
_NOTES = Annotated[
    msgspec.Raw,
    Meta(extra_json_schema={"type": "array", "items": _NOTE_SCHEMAS["Note"]}),
]
"""The notes `[{msg, date, agent}]`, oldest first, embedded as stored (as v1 does)."""
XContactDetail = msgspec.defstruct(
    "XContactDetail",
    [*((key, _type(key)) for key in _KEYS), ("notes", _NOTES)],
    module=__name__,
    frozen=True,
)
"""One contact as `/x/contacts/get` and `/x/contacts/update` show it: `XContact` and
its notes."""

_VALUES = [
    (False, attrgetter(_CARD[key].column)) if key in _CARD else (True, attrgetter(key))
    for key in _KEYS
]
"""Each key's getter, in `_KEYS`' order, and whether it reads the v1 view (else the
stored contact): a view is built from them positionally, not through keywords."""


def _values(contact: Contact) -> list[Any]:
    shown = v1.contact_view(contact)
    return [get(shown if from_v1 else contact) for from_v1, get in _VALUES]


def contact_view(contact: Contact) -> Any:
    """The `XContact` of a stored contact."""
    return XContact(*_values(contact))


def detail_view(contact: Contact) -> Any:
    """The `XContactDetail` of a stored contact."""
    return XContactDetail(*_values(contact), msgspec.Raw(contact.notes_json))


class XContactsResponse(msgspec.Struct):
    code: int
    count: int
    """How many contacts match in all (not the page's length)."""
    contacts: list[XContact]  # type: ignore[valid-type]
    page_state: str | None
    """The next page's cursor; null on the last page."""


class SearchRequest(msgspec.Struct):
    token: Token
    q: Query | None = None
    """Absent (or blank): every contact, in creation order."""
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


class XContactResponse(msgspec.Struct):
    code: int
    contact: XContactDetail  # type: ignore[valid-type]


class GetRequest(msgspec.Struct):
    token: Token
    contact_id: v3.ContactId


class UpdateRequest(v3.CardChanges, kw_only=True):
    """The fields to change; one not sent (or null) keeps its value, but `remindme`,
    which null clears."""

    token: Token
    contact_id: v3.ContactId
    tag: ShortText | None = None
    status: ShortText | None = None
    remindme: v1.Millis | msgspec.UnsetType | None = msgspec.UNSET
    """When to call back, epoch ms; null clears the reminder."""
    note: LongText | None = None
    """Appended to the notes and kept as `info` when not empty (v1 `info`)."""


def _answer(page: FoundPage) -> XContactsResponse:
    return XContactsResponse(
        code=200,
        count=page.count,
        contacts=[contact_view(c) for c in page.contacts],
        page_state=page.page_state,
    )


class _Paging(TypedDict):
    limit: int
    page_state: str | None


def _paging(request: SearchRequest | DueRequest) -> _Paging:
    """The page a list request asks for: `DEFAULT_PAGE` contacts when it names no
    `limit`; an empty `page_state` is the first page, as in v3."""
    return _Paging(limit=request.limit or DEFAULT_PAGE, page_state=request.page_state or None)


async def search(services: Services, request: SearchRequest) -> XContactsResponse:
    caller = await services.principals.authenticate(request.token)
    page = await services.extensions.search(caller, q=request.q, **_paging(request))
    return _answer(page)


async def due(services: Services, request: DueRequest) -> XContactsResponse:
    caller = await services.principals.authenticate(request.token)
    page = await services.extensions.due(
        caller, before=request.before, after=request.after, agent=request.agent, **_paging(request)
    )
    return _answer(page)


async def get(services: Services, request: GetRequest) -> XContactResponse:
    caller = await services.principals.authenticate(request.token)
    contact_id = parse_contact_id(request.contact_id, field="contact_id")
    return updated(await services.extensions.get(caller, contact_id))


async def update(services: Services, request: UpdateRequest) -> XContactResponse:
    caller = await services.principals.authenticate(request.token)
    card = v3.card_changes(request, parse_contact_id(request.contact_id, field="contact_id"))
    change = msgspec.structs.replace(
        card, tag=stripped(request.tag), status=stripped(request.status), remindme=request.remindme
    )
    note = stripped(request.note) or ""
    return updated(await services.extensions.update(caller, change, note=note))


def updated(contact: Contact) -> XContactResponse:
    """The answer showing one contact (also what a key keeps of an update)."""
    return XContactResponse(code=200, contact=detail_view(contact))

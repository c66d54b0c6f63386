"""v2 user contact API: `/v2/user/contact/get|update|delete`, `/v2/user/notes/add|get`
and `/v2/user/tags/get` (docs/api.md, "v2 contacts").

v2 is v1 with other field names and v3's statuses (a refused token is a 404): a contact
is known by its phone (`phone_number`, `from` on notes/add) and shown as v1 shows it
(`v1.V1Contact`, which has v2's `email`, `info` and `notes`), so the reads and writes
are v1's handlers' own steps (`v1.get_contacts`, `v1.contact_upsert`,
`v1.delete_by_phone`). The notes and tags are domain/notes.py's and domain/tags.py's.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from contactd.api import v1
from contactd.api.fields import (
    DEFAULT_LIMIT,
    LongText,
    Name,
    PageNumber,
    PhoneText,
    Token,
)
from contactd.api.operations import Services
from contactd.domain.contacts import Note
from contactd.domain.errors import Invalid
from contactd.domain.phones import normalize_phone

__all__ = [
    "MAX_LIMIT",
    "ContactDeleteRequest",
    "ContactGetRequest",
    "ContactUpdateRequest",
    "NoteAddRequest",
    "NoteAddResponse",
    "NotesGetRequest",
    "NotesGetResponse",
    "TagsGetRequest",
    "TagsGetResponse",
    "add_note",
    "delete_contact",
    "get_contacts",
    "get_notes",
    "get_tags",
    "note_added",
    "update_contact",
]

MAX_LIMIT = 10
"""The vendor's v2 page holds at most 10 contacts; a larger `limit` is a 400."""
PageLimit = Annotated[int, Meta(ge=1, le=MAX_LIMIT, description="Contacts per page, 1-10")]
Phone = PhoneText | v1.PhoneNumber


class ContactGetRequest(msgspec.Struct):
    token: Token
    page: PageNumber | None = None
    """From 1; 1 when not sent (or null)."""
    limit: PageLimit | None = None
    """10 when not sent (or null)."""
    name: Name | None = None


class ContactUpdateRequest(v1.ContactFields):
    token: Token
    phone_number: Phone


class ContactDeleteRequest(msgspec.Struct):
    token: Token
    phone_number: Phone


class NoteAddRequest(msgspec.Struct):
    token: Token
    name: Name
    from_: Phone = msgspec.field(name="from")
    date: v1.Millis
    """The client's timestamp of the note, kept as sent."""
    msg: LongText


class NoteAddResponse(msgspec.Struct):
    """`{status: "success", code: 200}`, as the vendor answers."""

    status: str
    code: int


class NotesGetRequest(msgspec.Struct):
    token: Token
    phone_number: Phone
    date: v1.Millis
    """The notes dated this or before are answered."""


class NotesGetResponse(msgspec.Struct):
    notes: list[Note]
    """Oldest first."""
    code: int
    name: str
    tag: str


class TagsGetRequest(msgspec.Struct):
    token: Token


class TagsGetResponse(msgspec.Struct):
    code: int
    tags: list[str]
    """The app's catalogue (`/x/admin/tags`) in its order, then the other tags its
    contacts carry."""
    sucess: bool
    """Always true; the vendor's spelling, which its clients read."""


async def get_contacts(services: Services, request: ContactGetRequest) -> v1.GetContactResponse:
    # Validated by v2's own bounds above; v1's page is the same read.
    page = v1.GetContactRequest(
        token=request.token,
        page=request.page or 1,
        limit=request.limit or DEFAULT_LIMIT,
        name=request.name,
    )
    return await v1.get_contacts(services, page)


async def update_contact(
    services: Services, request: ContactUpdateRequest
) -> v1.UpdateContactResponse:
    raw = str(request.phone_number)
    return await v1.upsert_by_phone(services, request.token, request, raw, field="phone_number")


async def delete_contact(
    services: Services, request: ContactDeleteRequest
) -> v1.DeleteContactResponse:
    raw = str(request.phone_number)
    return await v1.delete_by_phone(services, request.token, raw, field="phone_number")


async def add_note(services: Services, request: NoteAddRequest) -> NoteAddResponse:
    caller = await services.principals.authenticate(request.token)
    phone = normalize_phone(str(request.from_), field="from", country_code=caller.country_code)
    first_name, last_name = v1.contact_name(request.name)
    msg = request.msg.strip()
    if not msg:
        raise Invalid("msg must not be empty")
    note = Note(msg=msg, date=request.date, agent=caller.id)
    await services.notes.add(
        caller, phone=phone, first_name=first_name, last_name=last_name, note=note
    )
    return note_added(None)


_ADDED = NoteAddResponse(status="success", code=200)


def note_added(_: object) -> NoteAddResponse:
    """The answer of notes/add (also what a key keeps)."""
    return _ADDED


async def get_notes(services: Services, request: NotesGetRequest) -> NotesGetResponse:
    caller = await services.principals.authenticate(request.token)
    phone = normalize_phone(
        str(request.phone_number), field="phone_number", country_code=caller.country_code
    )
    found = await services.notes.until(caller, phone, request.date)
    return NotesGetResponse(notes=found.notes, code=200, name=found.name, tag=found.tag)


async def get_tags(services: Services, request: TagsGetRequest) -> TagsGetResponse:
    caller = await services.principals.authenticate(request.token)
    return TagsGetResponse(code=200, tags=await services.tags.tags(caller), sucess=True)

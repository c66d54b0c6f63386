"""v1 agent contact API: `/v1/getContact`, `/v1/updateContact`, `/v1/deleteContact`
(docs/api.md, "v1 contacts").

v1 knows a contact by its phone (`from` on update, `mobile` on delete and in lists) and
shows it as a JSON number; the same record is a v3 contact with a string `phone_no`.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from contactd.api.answers import MessageAnswer
from contactd.api.fields import (
    DEFAULT_LIMIT,
    Email,
    LongText,
    Name,
    PageNumber,
    PhoneText,
    ShortText,
    Token,
    stripped,
)
from contactd.api.operations import Services
from contactd.domain.contacts import ContactRecord, V1ContactUpsert
from contactd.domain.emails import check_email
from contactd.domain.errors import Invalid
from contactd.domain.models import UPSERT_FIELDS, Contact
from contactd.domain.names import join_name, split_name
from contactd.domain.phones import Phone, normalize_phone

__all__ = [
    "ContactFields",
    "DeleteContactRequest",
    "DeleteContactResponse",
    "GetContactRequest",
    "GetContactResponse",
    "UpdateContactRequest",
    "UpdateContactResponse",
    "V1Contact",
    "contact_name",
    "contact_upsert",
    "contact_view",
    "delete_by_phone",
    "delete_contact",
    "get_contacts",
    "removed",
    "update_contact",
    "updated",
    "upsert_by_phone",
]

MAX_LIMIT = 1000
# Year 9999: a bound that keeps every reminder a 64-bit integer in either store.
MAX_MILLIS = 253_402_300_799_999

PageLimit = Annotated[int, Meta(ge=1, le=MAX_LIMIT, description="Contacts per page")]
Millis = Annotated[int, Meta(ge=0, le=MAX_MILLIS, description="Epoch milliseconds")]
# The vendor sends phones as JSON numbers; strings of digits are taken too.
PhoneNumber = Annotated[int, Meta(ge=0, description="Phone number")]


class V1Contact(msgspec.Struct):
    """A contact as v1 shows it. `email`, `info` and `notes` are extensions."""

    agent: str
    inet_no: int
    name: str
    mobile: int
    tag: str
    time: int
    remindme: int | None
    status: str
    email: str
    info: str
    notes: msgspec.Raw
    """The notes list `[{msg, date, agent}]`, embedded as stored, never decoded."""


_, _ENTRY_SCHEMAS = msgspec.json.schema_components([V1Contact])
_ENTRIES = Annotated[
    msgspec.Raw,
    Meta(extra_json_schema={"type": "array", "items": _ENTRY_SCHEMAS["V1Contact"]}),
]
"""A JSON array of v1 contacts, spliced into the answer as it is: rendered by the store
for an unfiltered page (`domain.card.V1_ENTRY`), encoded from `V1Contact` for a filtered
one; its schema is that of a list of `V1Contact`."""
_ENCODER = msgspec.json.Encoder()


class GetContactRequest(msgspec.Struct):
    token: Token
    page: PageNumber
    limit: PageLimit | None = None
    name: Name | None = None


class GetContactResponse(msgspec.Struct):
    count: int
    contacts: _ENTRIES
    code: int


class ContactFields(msgspec.Struct, kw_only=True):
    """What an update by phone sends besides its token and phone: v1 updateContact's
    and v2 contact/update's bodies. (Keyword-only: a body's token and phone come first,
    so a body without a token is refused for it.)"""

    name: Name
    remindme: Millis | None = None
    email: Email | None = None
    status: ShortText | None = None
    tag: ShortText | None = None
    info: LongText | None = None


class UpdateContactRequest(ContactFields):
    token: Token
    from_: PhoneText | PhoneNumber = msgspec.field(name="from")


class UpdateContactResponse(MessageAnswer):
    """`{code, msg}`, whether the update created the contact or not."""


class DeleteContactRequest(msgspec.Struct):
    token: Token
    mobile: PhoneText | PhoneNumber


class DeleteContactResponse(MessageAnswer):
    """`{code, msg}`; a phone with no contact is a 400 instead."""


def contact_view(contact: Contact) -> V1Contact:
    """A contact as v1 shows it (also the v1 half of the extensions' view)."""
    return V1Contact(
        agent=contact.saved_by,
        inet_no=contact.app_id,
        name=join_name(contact.first_name, contact.last_name),
        mobile=int(contact.phone),
        tag=contact.tag,
        time=contact.created_at,
        remindme=contact.remindme,
        status=contact.status,
        email=contact.email,
        info=contact.info,
        notes=msgspec.Raw(contact.notes_json),
    )


async def get_contacts(services: Services, request: GetContactRequest) -> GetContactResponse:
    caller = await services.principals.authenticate(request.token)
    page = await services.contacts.list_page(
        caller,
        page=request.page,
        limit=request.limit or DEFAULT_LIMIT,
        name=request.name or "",
    )
    entries: str | bytes | None = page.entries
    if entries is None:
        entries = _ENCODER.encode([contact_view(c) for c in page.contacts])
    return GetContactResponse(count=page.count, contacts=msgspec.Raw(entries), code=200)


async def update_contact(
    services: Services, request: UpdateContactRequest
) -> UpdateContactResponse:
    return await upsert_by_phone(services, request.token, request, str(request.from_), field="from")


async def upsert_by_phone(
    services: Services, token: str, sent: ContactFields, raw_phone: str, *, field: str
) -> UpdateContactResponse:
    """Change (or create) the contact with the phone sent as `field` (v1 `from`, v2
    `phone_number`)."""
    caller = await services.principals.authenticate(token)
    phone = normalize_phone(raw_phone, field=field, country_code=caller.country_code)
    await services.contacts.upsert_by_phone(caller, contact_upsert(sent, phone))
    return updated(None)


def contact_name(name: str) -> tuple[str, str]:
    """`name` as the first and last name it sets; `Invalid` when it is blank."""
    first_name, last_name = split_name(name)
    if not first_name:
        raise Invalid("name must not be empty")
    return first_name, last_name


def contact_upsert(sent: ContactFields, phone: Phone) -> V1ContactUpsert:
    """The upsert of an update by phone, its fields checked as the contact keeps them."""
    first_name, last_name = contact_name(sent.name)
    email = sent.email
    record = ContactRecord(
        phone=phone,
        first_name=first_name,
        last_name=last_name,
        email=check_email(email, field="email") if email is not None else "",
        company="",
        job_title="",
        tag=stripped(sent.tag) or "",
        status=stripped(sent.status) or "",
        remindme=sent.remindme,
        info=stripped(sent.info) or "",
    )
    given = frozenset(f for f in UPSERT_FIELDS if getattr(sent, f) is not None)
    return V1ContactUpsert(record, given)


def updated(_: object) -> UpdateContactResponse:
    """The answer of an update, whether it created the contact or not (also what a key
    keeps)."""
    return UpdateContactResponse(code=200, msg="Contact updated")


async def delete_contact(
    services: Services, request: DeleteContactRequest
) -> DeleteContactResponse:
    return await delete_by_phone(services, request.token, str(request.mobile), field="mobile")


async def delete_by_phone(
    services: Services, token: str, raw_phone: str, *, field: str
) -> DeleteContactResponse:
    """Delete the contact with the phone sent as `field` (v1 `mobile`, v2 `phone_number`)."""
    caller = await services.principals.authenticate(token)
    phone = normalize_phone(raw_phone, field=field, country_code=caller.country_code)
    await services.contacts.delete_by_phone(caller, phone)
    return _REMOVED


_REMOVED = DeleteContactResponse(code=200, msg="Contact Removed")


def removed(found: bool) -> DeleteContactResponse | None:
    """What a key keeps of a delete: its answer if the contact was found; otherwise
    nothing (the request is answered 400 and a retry runs again)."""
    return _REMOVED if found else None

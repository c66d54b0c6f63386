"""v3 user contact API: `/v3/contact/{get,add,update,delete}` (docs/api.md, "v3 contacts")."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from contactd.api.answers import MessageAnswer
from contactd.api.fields import (
    DEFAULT_LIMIT,
    Email,
    Name,
    PageLimit,
    PhoneText,
    ShortText,
    Token,
    stripped,
)
from contactd.api.operations import Services
from contactd.domain.card import CARD
from contactd.domain.contacts import ContactInput, parse_contact_id
from contactd.domain.emails import check_email
from contactd.domain.models import ContactChanges, Principal
from contactd.domain.phones import Phone, normalize_phone

__all__ = [
    "ContactAddRequest",
    "ContactAddResponse",
    "ContactCard",
    "ContactDeleteRequest",
    "ContactDeleteResponse",
    "ContactGetRequest",
    "ContactGetResponse",
    "ContactUpdateRequest",
    "ContactUpdateResponse",
    "add_contacts",
    "added",
    "contact_input",
    "delete_contacts",
    "deleted",
    "get_contacts",
    "update_contacts",
    "updated",
]

MAX_BATCH = 100
ContactId = Annotated[str, Meta(max_length=64, description="Contact UUID")]


ContactCard = msgspec.defstruct(
    "ContactCard",
    [(f.wire, f.type | None if f.nullable else f.type) for f in CARD],
    module=__name__,
    frozen=True,
    forbid_unknown_fields=True,
)
"""One contact as `/v3/contact/get` shows it: the card (`domain.card.CARD`), as a Struct
for its schema and for decoding a card strictly."""


_, _CARD_SCHEMAS = msgspec.json.schema_components([ContactCard])
_CARDS = Annotated[
    msgspec.Raw,
    Meta(extra_json_schema={"type": "array", "items": _CARD_SCHEMAS["ContactCard"]}),
]
"""A JSON array of cards as the store rendered them, sent as they are (no struct per
contact); its schema is that of a list of `ContactCard`."""


class ContactGetRequest(msgspec.Struct):
    token: Token
    contact_id: ContactId | None = None
    limit: PageLimit | None = None
    # No length bound here: any string the server did not issue, long or short, is the
    # contract's 400 "invalid page_state" (the cursor check tests the length first).
    page_state: Annotated[str, Meta(description="Cursor from the previous page")] | None = None


class ContactGetResponse(msgspec.Struct):
    """What `/v3/contact/get` answers: `contacts` is the store's cards, spliced in rather
    than decoded and encoded again."""

    code: int
    contacts: _CARDS
    count: int
    page_state: str | None


class ContactCreate(msgspec.Struct):
    phone_no: PhoneText
    first_name: Name
    last_name: Name
    email_id: Email = ""
    company: ShortText = ""
    job_title: ShortText = ""


class ContactAddRequest(msgspec.Struct):
    token: Token
    contacts: Annotated[list[ContactCreate], Meta(min_length=1, max_length=MAX_BATCH)]


class ContactAddResponse(MessageAnswer):
    contact_ids: list[str]


class CardChanges(msgspec.Struct, kw_only=True):
    """The card's own fields a change may name; one not sent (or null) keeps its value.
    The extensions' update (`/x/contacts/update`) takes them too."""

    first_name: Name | None = None
    last_name: Name | None = None
    email_id: Email | None = None
    company: ShortText | None = None
    job_title: ShortText | None = None


def card_changes(
    item: CardChanges, contact_id: str, *, phone: Phone | None = None, at: str = ""
) -> ContactChanges:
    """The change of contact `contact_id` that `item` names, checked and trimmed (and its
    new `phone`, if any); `at` prefixes the field names of messages (`contacts[3].`)."""
    email = item.email_id
    return ContactChanges(
        contact_id=contact_id,
        phone=phone,
        first_name=stripped(item.first_name),
        last_name=stripped(item.last_name),
        email=check_email(email, field=f"{at}email_id") if email is not None else None,
        company=stripped(item.company),
        job_title=stripped(item.job_title),
    )


class ContactUpdate(CardChanges, kw_only=True):
    contact_id: ContactId
    phone_no: PhoneText | None = None


class ContactUpdateRequest(msgspec.Struct):
    token: Token
    contacts: Annotated[list[ContactUpdate], Meta(min_length=1, max_length=MAX_BATCH)]


class ContactUpdateResponse(MessageAnswer):
    """`{code, msg}`: every contact of the batch was updated."""


class ContactDeleteRequest(msgspec.Struct):
    token: Token
    contact_ids: Annotated[list[ContactId], Meta(min_length=1, max_length=MAX_BATCH)]


class ContactDeleteResponse(MessageAnswer):
    deleted: int


async def get_contacts(services: Services, request: ContactGetRequest) -> ContactGetResponse:
    caller = await services.principals.authenticate(request.token)
    if request.contact_id is not None:
        contact_id = parse_contact_id(request.contact_id, field="contact_id")
        page = await services.contacts.get(caller, contact_id)
    else:
        page = await services.contacts.page(
            caller,
            limit=request.limit or DEFAULT_LIMIT,
            page_state=request.page_state or None,
        )
    return ContactGetResponse(
        code=200,
        contacts=msgspec.Raw(page.cards),
        count=page.count,
        page_state=page.page_state,
    )


def contact_input(country_code: str, item: ContactCreate, *, at: str = "") -> ContactInput:
    """A contact to add to an app of that default country code (also a row of
    `/x/contacts/import`, a seed's v3 contact); `at` prefixes the fields its messages
    name (`contacts[3].`)."""
    return ContactInput(
        phone=normalize_phone(item.phone_no, field=f"{at}phone_no", country_code=country_code),
        first_name=item.first_name.strip(),
        last_name=item.last_name.strip(),
        email=check_email(item.email_id, field=f"{at}email_id"),
        company=item.company.strip(),
        job_title=item.job_title.strip(),
    )


async def add_contacts(services: Services, request: ContactAddRequest) -> ContactAddResponse:
    caller = await services.principals.authenticate(request.token)
    items = [
        contact_input(caller.country_code, item, at=f"contacts[{i}].")
        for i, item in enumerate(request.contacts)
    ]
    return added(await services.contacts.add(caller, items))


def added(contact_ids: list[str]) -> ContactAddResponse:
    """The answer of an add, from the new contacts' ids (also what a key keeps)."""
    return ContactAddResponse(code=200, msg="Contact added successfully", contact_ids=contact_ids)


def _contact_changes(caller: Principal, index: int, item: ContactUpdate) -> ContactChanges:
    at = f"contacts[{index}]"
    contact_id = parse_contact_id(item.contact_id, field=f"{at}.contact_id")
    phone = (
        normalize_phone(item.phone_no, field=f"{at}.phone_no", country_code=caller.country_code)
        if item.phone_no is not None
        else None
    )
    return card_changes(item, contact_id, phone=phone, at=f"{at}.")


async def update_contacts(
    services: Services, request: ContactUpdateRequest
) -> ContactUpdateResponse:
    caller = await services.principals.authenticate(request.token)
    changes = [_contact_changes(caller, i, item) for i, item in enumerate(request.contacts)]
    await services.contacts.update(caller, changes)
    return updated(None)


def updated(_: object) -> ContactUpdateResponse:
    """The answer of an update (also what a key keeps)."""
    return ContactUpdateResponse(code=200, msg="Contacts updated successfully")


async def delete_contacts(
    services: Services, request: ContactDeleteRequest
) -> ContactDeleteResponse:
    caller = await services.principals.authenticate(request.token)
    ids = [
        parse_contact_id(raw, field=f"contact_ids[{i}]")
        for i, raw in enumerate(request.contact_ids)
    ]
    return deleted(await services.contacts.delete(caller, ids))


def deleted(count: int) -> ContactDeleteResponse:
    """The answer of a delete, from how many contacts it deleted (also what a key keeps)."""
    return ContactDeleteResponse(code=200, msg="Contacts Deleted Successfully", deleted=count)

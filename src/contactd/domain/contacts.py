"""The contact rules shared by every API generation.

Adapters validate each field in their own generation's names (so that messages name
the field the client sent) and hand over `ContactInput`, `ContactChanges` or
`V1ContactUpsert` values; the service completes them into the records the store writes
(one record per step: wire body, command, stored row). The rules here are the ones that
span a batch or the store: phone identity and uniqueness, all-or-nothing batches,
creation order, cursors and page numbers, notes.

v3 writes touch only the v3 fields, and v1 writes only the v1 fields (and the name), so
each generation's fields survive the other's updates.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import msgspec
import uuid_utils

from contactd.domain.clock import AppClock, system_clock
from contactd.domain.cursors import CursorSigner
from contactd.domain.errors import DuplicateContacts, Invalid, NotFound
from contactd.domain.models import (
    UPSERT_FIELDS,
    Contact,
    ContactChanges,
    NewContact,
    PhoneUpsert,
    Principal,
)
from contactd.domain.phones import Phone
from contactd.domain.store import PhonesTaken, Store, UnknownContact

__all__ = [
    "CONTACT_NOT_FOUND",
    "DUPLICATE_CONTACT",
    "CardPage",
    "ContactInput",
    "ContactPage",
    "ContactRecord",
    "ContactService",
    "Note",
    "NoteInput",
    "V1ContactUpsert",
    "new_contact_id",
    "note_json",
    "parse_contact_id",
]

DUPLICATE_CONTACT = "Duplicate contact detected within the organization"
CONTACT_NOT_FOUND = "contact not found"
_EMPTY_NOTES = "[]"
_ENCODER = msgspec.json.Encoder()


class ContactInput(msgspec.Struct, frozen=True):
    """A v3 contact to add, its fields validated by the adapter (all of them given)."""

    phone: Phone
    first_name: str
    last_name: str
    email: str
    company: str
    job_title: str


class NoteInput(msgspec.Struct, frozen=True):
    """A note a seed gives a contact; dated by the write's now when `date` is None."""

    msg: str
    agent: str
    date: int | None = None


class ContactRecord(ContactInput, frozen=True, kw_only=True):
    """A contact with the fields of every generation given, validated by the adapter:
    what stand-in mode's seed writes (contactd.standin.seeding), where no endpoint
    sets a v3 contact's company and its reminder in one write."""

    tag: str = ""
    status: str = ""
    remindme: int | None = None
    info: str = ""
    notes: tuple[NoteInput, ...] = ()
    saved_by: str = ""
    """The principal id of who saved it (the v1 `agent`); an upsert's is its caller's."""


class V1ContactUpsert(msgspec.Struct, frozen=True):
    """A v1 updateContact, validated by the adapter: the contact with `record`'s phone
    changed, or created as `record`. An existing contact takes the name and those of
    `UPSERT_FIELDS` named in `sent` (the fields the client sent); the service dates the
    write and sets who saved it and the note it appends."""

    record: ContactRecord
    sent: frozenset[str] = frozenset()


class Note(msgspec.Struct, frozen=True):
    """One entry of a contact's append-only notes, as the v1 view shows it."""

    msg: str
    date: int
    agent: str


class ContactPage(msgspec.Struct, frozen=True):
    """A v1 read: one page of contacts and how many match in all. An unfiltered page
    comes as the store rendered it (`entries`, a JSON array of v1 entries: `EntryRows`)
    and has no `contacts`; a filtered one has `contacts` and no `entries`."""

    contacts: list[Contact]
    count: int
    entries: str | None = None


class CardPage(msgspec.Struct, frozen=True):
    """A v3 read: the contacts' cards as one JSON array (`CardRows`), the app's count,
    the next cursor."""

    cards: str
    count: int
    page_state: str | None


def note_json(msg: str, *, date: int, agent: str) -> str:
    """One note as the notes list keeps it (JSON text), for the store to append."""
    return msgspec.json.encode(Note(msg=msg, date=date, agent=agent)).decode()


def new_contact_id() -> str:
    """A UUIDv7: time-ordered, so a new id lands at the end of the (app, id) index
    instead of at a random page of it, which costs the SQLite writer less per contact
    (bench/profile.md, "UUIDv7 contact ids"). Any UUID is a valid contact id
    (docs/api.md, "v3 contacts")."""
    return str(uuid_utils.uuid7())


def parse_contact_id(raw: str, *, field: str) -> str:
    """Return the canonical lower-case UUID text, or raise `Invalid` naming `field`."""
    try:
        return str(uuid.UUID(raw))
    except ValueError as exc:
        raise Invalid(f"{field} must be a UUID") from exc


def _reject_repeats(phones: Sequence[Phone]) -> None:
    seen: dict[str, str] = {}
    repeated: list[str] = []
    for phone in phones:
        if phone.key in seen:
            repeated.append(phone.digits)
        seen.setdefault(phone.key, phone.digits)
    if repeated:
        raise DuplicateContacts(DUPLICATE_CONTACT, sorted(set(repeated)))


def _taken(error: PhonesTaken, phones: Sequence[Phone]) -> DuplicateContacts:
    """Name the stored phones as the client sent them."""
    keys = set(error.phone_keys)
    named = sorted({p.digits for p in phones if p.key in keys}) or sorted(keys)
    return DuplicateContacts(DUPLICATE_CONTACT, named)


class ContactService:
    def __init__(
        self, store: Store, cursors: CursorSigner, *, clock: AppClock = system_clock
    ) -> None:
        self._store = store
        self._cursors = cursors
        self._clock = clock

    async def add(self, caller: Principal, items: Sequence[ContactInput]) -> list[str]:
        """Store every item or none; return their new ids in request order."""
        phones = [item.phone for item in items]
        _reject_repeats(phones)
        now = self._clock(caller.app_id)
        saved_by = caller.id  # a property that formats: once per batch, not per contact
        new = [_stored(item, saved_by=saved_by, created_at=now) for item in items]
        try:
            await self._store.add_contacts(caller.app_id, new)
        except PhonesTaken as exc:
            raise _taken(exc, phones) from exc
        return [c.contact_id for c in new]

    async def add_records(self, app_id: int, records: Sequence[ContactRecord]) -> list[str]:
        """Store every record or none, timed by the app's clock as an add is; return their
        new ids in order. Phones repeated among them are the caller's to refuse first."""
        now = self._clock(app_id)
        new = [
            _stored(
                r,
                saved_by=r.saved_by,
                created_at=now,
                notes_json=_ENCODER.encode(
                    [
                        Note(msg=n.msg, date=now if n.date is None else n.date, agent=n.agent)
                        for n in r.notes
                    ]
                ).decode(),
            )
            for r in records
        ]
        try:
            await self._store.add_contacts(app_id, new)
        except PhonesTaken as exc:
            raise _taken(exc, [r.phone for r in records]) from exc
        return [c.contact_id for c in new]

    async def update(self, caller: Principal, changes: Sequence[ContactChanges]) -> None:
        """Apply every change or none."""
        ids = [c.contact_id for c in changes]
        if len(set(ids)) != len(ids):
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            raise Invalid(f"contact_id {', '.join(repeated)} appears more than once")
        phones = [c.phone for c in changes if c.phone is not None]
        _reject_repeats(phones)
        try:
            await self._store.update_contacts(caller.app_id, changes)
        except UnknownContact as exc:
            raise Invalid(f"contact_id {exc.contact_id} not found") from exc
        except PhonesTaken as exc:
            raise _taken(exc, phones) from exc

    async def delete(self, caller: Principal, contact_ids: Sequence[str]) -> int:
        return await self._store.delete_contacts(caller.app_id, contact_ids)

    async def get(self, caller: Principal, contact_id: str) -> CardPage:
        count, card = await self._store.get_contact(caller.app_id, contact_id)
        return CardPage(cards=f"[{card}]" if card else "[]", count=count, page_state=None)

    async def page(self, caller: Principal, *, limit: int, page_state: str | None) -> CardPage:
        """One page in creation order; `page_state` is None on the last page."""
        after = self._cursors.decode(caller.app_id, page_state) if page_state else 0
        rows = await self._store.page_contacts(caller.app_id, after_seq=after, limit=limit)
        next_state = self._cursors.encode(caller.app_id, rows.last_seq) if rows.more else None
        return CardPage(cards=rows.cards, count=rows.count, page_state=next_state)

    # -- v1: contacts by phone and by page number ------------------------------------------
    async def list_page(
        self, caller: Principal, *, page: int, limit: int, name: str
    ) -> ContactPage:
        """Page `page` (from 1) of the app's contacts whose name contains `name`, any case.

        `count` is the number of matches in all; a page past the end is empty.
        """
        offset = (page - 1) * limit
        if not name:
            rows = await self._store.page_entries(caller.app_id, offset=offset, limit=limit)
            return ContactPage(contacts=[], count=rows.count, entries=rows.entries)
        count, contacts = await self._store.list_contacts(
            caller.app_id, offset=offset, limit=limit, name=name
        )
        return ContactPage(contacts=contacts, count=count)

    async def upsert_by_phone(
        self, caller: Principal, upsert: V1ContactUpsert, *, note: Note | None = None
    ) -> None:
        """Change the app's contact with this phone, or create it.

        A sent `info` replaces the info text and, when not empty, is appended to the notes
        as `{msg, date, agent}`; a `note` (v2 notes/add: its date is the client's) is
        appended instead.
        """
        now = self._clock(caller.app_id)
        record = upsert.record
        if note is None and record.info:
            note = Note(msg=record.info, date=now, agent=caller.id)
        note_text = None if note is None else msgspec.json.encode(note).decode()
        new = _stored(
            record,
            saved_by=caller.id,
            created_at=now,
            notes_json=f"[{note_text}]" if note_text else _EMPTY_NOTES,
        )
        replaces = PhoneUpsert(new=new, replaces=upsert.sent & UPSERT_FIELDS)
        await self._store.upsert_by_phone(caller.app_id, replaces)

    async def delete_by_phone(self, caller: Principal, phone: Phone) -> None:
        if not await self._store.delete_by_phone(caller.app_id, phone.key):
            raise NotFound(CONTACT_NOT_FOUND)


def _stored(
    item: ContactInput, *, saved_by: str, created_at: int, notes_json: str = _EMPTY_NOTES
) -> NewContact:
    """The row a new contact is stored as: a record gives the v1 fields too, a v3 add's
    input only the card's (its v1 fields start empty)."""
    if isinstance(item, ContactRecord):
        tag, status, remindme, info = item.tag, item.status, item.remindme, item.info
    else:
        tag, status, remindme, info = "", "", None, ""
    return NewContact(
        contact_id=new_contact_id(),
        phone=item.phone.digits,
        phone_key=item.phone.key,
        first_name=item.first_name,
        last_name=item.last_name,
        email=item.email,
        company=item.company,
        job_title=item.job_title,
        tag=tag,
        status=status,
        remindme=remindme,
        info=info,
        notes_json=notes_json,
        saved_by=saved_by,
        created_at=created_at,
    )

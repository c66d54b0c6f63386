"""The v2 notes (docs/api.md, "v2 contacts"): a note added to the contact with a phone
(`/v2/user/notes/add`), and a contact's notes up to a date (`/v2/user/notes/get`).

A contact has one append-only notes list `[{msg, date, agent}]`, whatever wrote to it:
v1 `info`, the extensions' `note` and v2 notes/add all append to it, and every
generation reads it (v1 getContact's `notes`, `/x/contacts/get`, v2 contact/get and
notes/get). A v2 note keeps the client's `date` as it was sent; the others are dated
by the server when they are written.
"""

from __future__ import annotations

from operator import attrgetter

import msgspec

from contactd.domain.contacts import (
    CONTACT_NOT_FOUND,
    ContactRecord,
    ContactService,
    Note,
    V1ContactUpsert,
)
from contactd.domain.errors import NotFound
from contactd.domain.models import Principal
from contactd.domain.names import join_name
from contactd.domain.phones import Phone
from contactd.domain.store import Store

__all__ = ["ContactNotes", "NoteService"]

_NOTES = msgspec.json.Decoder(list[Note])
_BY_DATE = attrgetter("date")


class ContactNotes(msgspec.Struct, frozen=True):
    """What notes/get answers: the contact's name and tag, and the notes asked for."""

    name: str
    tag: str
    notes: list[Note]


class NoteService:
    def __init__(self, store: Store, contacts: ContactService) -> None:
        self._store = store
        self._contacts = contacts

    async def add(
        self, caller: Principal, *, phone: Phone, first_name: str, last_name: str, note: Note
    ) -> None:
        """Append `note` to the app's contact with this phone, which takes the name; a
        phone the app does not hold yet becomes a contact of that name (v1's upsert:
        `ContactService.upsert_by_phone`, so both race-free in one statement)."""
        named = ContactRecord(
            phone=phone,
            first_name=first_name,
            last_name=last_name,
            email="",
            company="",
            job_title="",
        )
        upsert = V1ContactUpsert(named)
        await self._contacts.upsert_by_phone(caller, upsert, note=note)

    async def until(self, caller: Principal, phone: Phone, date: int) -> ContactNotes:
        """The notes of the contact with this phone dated `date` or before, oldest
        first (notes of one date in the order they were added); `NotFound` when the
        app holds no contact with this phone."""
        contact = await self._store.find_by_phone(caller.app_id, phone.key)
        if contact is None:
            raise NotFound(CONTACT_NOT_FOUND)
        notes = [note for note in _NOTES.decode(contact.notes_json) if note.date <= date]
        notes.sort(key=_BY_DATE)  # stable: the stored list is in the order of adding
        return ContactNotes(
            name=join_name(contact.first_name, contact.last_name), tag=contact.tag, notes=notes
        )

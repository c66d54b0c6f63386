"""The rules of contactd's extensions to the vendor's API (docs/api.md, "Extensions"):
the console's one search box (`/x/contacts/search`), the callbacks due
(`/x/contacts/due`), one contact by id (`/x/contacts/get`, `/x/contacts/update`) and
the whole book in pages for an export (`/x/contacts/export`). The import is
domain/contact_import.py's.

Both page by a signed keyset cursor (domain/cursors.py), each kind under its own
domain so that neither verifies as the other or as a v3 `page_state`: the search's
carries the last seq, the due list's the last (remindme, seq). A page asks the store
for one contact more than it shows, which tells whether a next page exists.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import msgspec

from contactd.domain.clock import AppClock, system_clock
from contactd.domain.contacts import CONTACT_NOT_FOUND, note_json
from contactd.domain.cursors import KeysetSigner
from contactd.domain.errors import Invalid, NotFound
from contactd.domain.models import Contact, ContactChanges, ContactSearch, DueWindow, Principal
from contactd.domain.names import search_key
from contactd.domain.phones import query_digits
from contactd.domain.principals import parse_principal_id
from contactd.domain.store import Store, UnknownContact

__all__ = ["DUE_WINDOW_MS", "EXPORT_PAGE", "ExtensionService", "FoundPage"]

DUE_WINDOW_MS = 24 * 60 * 60 * 1000
"""How far ahead the due list looks when the request names no `before`: a day."""
EXPORT_PAGE = 500
"""Contacts an export reads per store call: one page is all it holds in memory."""


class FoundPage(msgspec.Struct, frozen=True):
    """One page of an extension's list: its contacts, how many match in all, and the
    cursor of the next page (None on the last)."""

    contacts: list[Contact]
    count: int
    page_state: str | None


class ExtensionService:
    def __init__(self, store: Store, secret: bytes, *, clock: AppClock = system_clock) -> None:
        self._store = store
        self._clock = clock
        self._search_cursors = KeysetSigner(secret, domain=b"contactd/x/search/v1", keys=1)
        self._due_cursors = KeysetSigner(secret, domain=b"contactd/x/due/v1", keys=2)

    async def search(
        self, caller: Principal, *, q: str | None, limit: int, page_state: str | None
    ) -> FoundPage:
        """Contacts whose name contains `q` (folded as v1 getContact's `name` filter
        folds it), or whose number contains its digits when `q` reads as part of a
        phone number (`phones.query_digits`); in creation order. With no `q`, or a
        blank one (nothing typed yet), every contact of the app."""
        key = search_key(q or "")
        if not key.strip():
            key, digits = "", None
        else:
            digits = query_digits(q or "")
        app_id = caller.app_id
        after = self._search_cursors.decode_keys(app_id, page_state)[0] if page_state else 0
        count, contacts = await self._store.search_contacts(
            app_id,
            ContactSearch(name_key=key, digits=digits, after_seq=after, limit=limit + 1),
        )
        more = _trim(contacts, limit)
        next_state = self._search_cursors.encode_keys(app_id, contacts[-1].seq) if more else None
        return FoundPage(contacts=contacts, count=count, page_state=next_state)

    async def due(
        self,
        caller: Principal,
        *,
        before: int | None,
        after: int | None,
        agent: str | None,
        limit: int,
        page_state: str | None,
    ) -> FoundPage:
        """Contacts whose reminder falls in [`after`, `before`), soonest first, then in
        creation order; `before` defaults to a day from now, `after` to no bound."""
        end = self._clock(caller.app_id) + DUE_WINDOW_MS if before is None else before
        if after is not None and after >= end:
            raise Invalid("after must be less than before")
        start = 0 if after is None else after  # no bound: reminders are never before 0
        app_id = caller.app_id
        past = None
        if page_state:
            remindme, seq = self._due_cursors.decode_keys(app_id, page_state)
            past = (remindme, seq)
        window = DueWindow(
            after=start,
            before=end,
            saved_by=None if agent is None else _principal_id(agent),
            past=past,
            limit=limit + 1,
        )
        count, contacts = await self._store.due_contacts(app_id, window)
        more = _trim(contacts, limit)
        next_state = None
        if more:
            last = contacts[-1]
            next_state = self._due_cursors.encode_keys(app_id, last.remindme or 0, last.seq)
        return FoundPage(contacts=contacts, count=count, page_state=next_state)

    async def get(self, caller: Principal, contact_id: str) -> Contact:
        """The caller's app's contact with that id (canonical), or `NotFound`."""
        found = await self._store.find_contact(caller.app_id, contact_id)
        if found is None:
            raise NotFound(CONTACT_NOT_FOUND)
        return found

    async def update(self, caller: Principal, change: ContactChanges, *, note: str) -> Contact:
        """Apply `change` (its fields not None, and `remindme` unless UNSET) in one
        transaction and return the contact after it. A `note` that is not empty is what
        v1 `info` is: it replaces `info` and is appended to the notes as `{msg, date,
        agent}`; an empty one changes nothing."""
        if note:
            note_text = note_json(note, date=self._clock(caller.app_id), agent=caller.id)
            change = msgspec.structs.replace(change, info=note, note_json=note_text)
        try:
            return await self._store.change_contact(caller.app_id, change)
        except UnknownContact as exc:
            raise NotFound(CONTACT_NOT_FOUND) from exc

    async def export_pages(self, caller: Principal) -> AsyncIterator[str]:
        """Every contact's v3 card in creation order, `EXPORT_PAGE` at a time: each page
        a JSON array of cards (`CardRows.cards`) as the v3 list reads it."""
        after = 0
        while True:
            rows = await self._store.page_contacts(
                caller.app_id, after_seq=after, limit=EXPORT_PAGE
            )
            yield rows.cards
            if not rows.more:
                return
            after = rows.last_seq


def _principal_id(agent: str) -> str:
    """`agent` as a contact's `saved_by` spells a principal id: `{extension}_{appid}`.
    An id of another app is well formed and simply matches no contact."""
    ids = parse_principal_id(agent)
    if ids is None:
        raise Invalid("agent must be of the form {extension}_{appid}")
    app_id, extension = ids
    return f"{extension}_{app_id}"


def _trim(contacts: list[Contact], limit: int) -> bool:
    """Cut the page to `limit`; whether a contact followed it."""
    more = len(contacts) > limit
    del contacts[limit:]
    return more

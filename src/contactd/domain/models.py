"""The records contactd keeps, shared by the service and the store.

They are msgspec Structs because thousands of them are built per second on the read
path and Structs are the cheapest typed record Python has.
"""

from __future__ import annotations

import msgspec

from contactd.domain.phones import Phone

__all__ = [
    "UPSERT_FIELDS",
    "App",
    "AppSummary",
    "CardRows",
    "Contact",
    "ContactChanges",
    "ContactSearch",
    "DueWindow",
    "EntryRows",
    "NewContact",
    "NewPrincipal",
    "PhoneUpsert",
    "Principal",
    "PrincipalChanges",
]


class App(msgspec.Struct, frozen=True):
    """A tenant: owns principals and contacts. The vendor calls its id `inet_no`."""

    app_id: int
    name: str
    secret_hash: bytes
    country_code: str
    created_at: int


class AppSummary(msgspec.Struct, frozen=True):
    """An app as `contactd app list` shows it: no secret hash, with its sizes."""

    app_id: int
    name: str
    country_code: str
    created_at: int
    contact_count: int
    principal_count: int


class NewPrincipal(msgspec.Struct, frozen=True):
    """An agent (v1) or user (v2/v3) as it is stored: one kind of login, identified by
    extension."""

    app_id: int
    extension: int
    first_name: str
    last_name: str
    phone: str
    email: str
    password_hash: str
    start_time: int | None
    end_time: int | None
    notify: bool
    followme: bool
    created_at: int


class Principal(NewPrincipal, frozen=True):
    """A stored principal as a request sees it: with its app's country code."""

    country_code: str
    """The app's default country code, for reading national phone numbers."""

    @property
    def id(self) -> str:
        """The vendor's principal id, `{extension}_{appid}`."""
        return f"{self.extension}_{self.app_id}"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PrincipalChanges(msgspec.Struct, frozen=True):
    """Fields to change on a principal, each decided by the service (no defaults):
    `None` leaves a field as it is."""

    first_name: str | None
    last_name: str | None
    """Trimmed; a change to either refolds the searched name (`name_key`)."""
    phone: str | None
    email: str | None
    password_hash: str | None
    """The new password's argon2id hash (domain/passwords.py); never the password."""
    start_time: int | None
    end_time: int | None
    notify: bool | None


class CardRows(msgspec.Struct, frozen=True):
    """A v3 page as the store reads it: the app's contact count, up to `limit` cards
    in seq order as one JSON array, the seq of the last of them (the next cursor's
    key; `after_seq` when there is none) and whether any contact follows it.

    A card is the contact's JSON object as v3 answers it (`domain.card.CARD`),
    rendered by the store: SQLite keeps it in a generated column written with the row,
    PostgreSQL renders it in the page's statement. A page then reads one column per row
    instead of seven, and the API splices the cards into its answer without a struct per
    contact (bench/profile.md, "the stored card").
    """

    count: int
    cards: str
    last_seq: int
    more: bool


class EntryRows(msgspec.Struct, frozen=True):
    """An unfiltered v1 page as the store reads it: the app's contact count and the
    page's contacts in seq order as one JSON array of v1 entries (`domain.card.V1_ENTRY`),
    rendered by the store in the page's statement, so that the API splices them into its
    answer without a record and a struct per contact (bench/profile.md, "the v1 page as
    JSON")."""

    count: int
    entries: str


class NewContact(msgspec.Struct, frozen=True):
    """A contact as a write stores it: its row but for the app and what the store assigns
    (`seq`, the folded name). The fields are in the store's column order.

    `phone` is the digits the client sent, `phone_key` the normalized identity;
    `notes_json` is the append-only notes list, kept as JSON text so that the v1 view
    can embed it without decoding it.
    """

    contact_id: str
    phone: str
    phone_key: str
    first_name: str
    last_name: str
    email: str
    company: str
    job_title: str
    tag: str
    status: str
    remindme: int | None
    info: str
    notes_json: str
    saved_by: str
    created_at: int


class Contact(NewContact, frozen=True):
    """One stored contact; every API generation is a view of this record.

    `seq` is the per-app creation order (the list order and the cursor key).
    """

    app_id: int
    seq: int


class ContactChanges(msgspec.Struct, frozen=True):
    """Changes to one contact, validated; `None` leaves a field as it is."""

    contact_id: str
    phone: Phone | None = None
    """The new number as domain/phones.py reads it: the digits sent and the phone key,
    which stays unique in the app."""
    first_name: str | None = None
    last_name: str | None = None
    """Trimmed; a change to either refolds the searched name in the same statement."""
    email: str | None = None
    company: str | None = None
    job_title: str | None = None
    # The v1 fields, changed by the console's update (`/x/contacts/update`) only.
    tag: str | None = None
    status: str | None = None
    remindme: int | msgspec.UnsetType | None = msgspec.UNSET
    """UNSET leaves the reminder as it is; None clears it."""
    info: str | None = None
    note_json: str | None = None
    """One `{msg, date, agent}` note as JSON text, appended to the stored notes."""


UPSERT_FIELDS = frozenset({"email", "status", "tag", "remindme", "info"})
"""The fields a v1 write changes on an existing contact only when they are sent."""


class PhoneUpsert(msgspec.Struct, frozen=True):
    """The v1 write: change the contact with `new.phone_key`, or insert `new` as it is.

    An existing contact takes `new`'s name, the fields of `UPSERT_FIELDS` named in
    `replaces` (the others keep their stored value), and `new`'s notes appended to its
    own: they are empty or the one `{msg, date, agent}` note this write adds.
    """

    new: NewContact
    replaces: frozenset[str] = frozenset()


class ContactSearch(msgspec.Struct, frozen=True, kw_only=True):
    """One page of the console's search as the store reads it (`Store.search_contacts`)."""

    name_key: str
    """The folded query the names must contain; empty: every contact (no query)."""
    digits: str | None
    """The query's digits (3 or more) the numbers must contain; None: names only."""
    after_seq: int
    limit: int


class DueWindow(msgspec.Struct, frozen=True, kw_only=True):
    """One page of the callbacks due as the store reads it (`Store.due_contacts`)."""

    after: int
    before: int
    """Reminders in [after, before)."""
    saved_by: str | None
    """Only the contacts this principal created; None: everyone's."""
    past: tuple[int, int] | None
    """The previous page's last (remindme, seq); None: from the window's start."""
    limit: int

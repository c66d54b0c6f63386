"""The store's whole contents as rows: what a snapshot carries (stand-in mode's
`contactd snapshot save` / `load`, `serve --snapshot`; docs/stand-in.md).

One record per table, its fields the table's columns as both backends hold them, so a
snapshot saved from one backend loads into the other. Only what the store cannot work
out again is carried: the folded names, the rendered cards, the contact counts and the
search structures (the name dictionary, the trigram indexes, the block counts) are
rebuilt by the load, from the contacts, in its own transaction. `login_ids` (a lock
table of PostgreSQL's login throttle) is made again by the next login.

The records are checked as a file is decoded (msgspec): a field of the wrong type, a
contact id that is not a canonical UUID, a note without its date, each is refused
naming its place in the file.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from contactd.domain.contacts import Note
from contactd.domain.store import StoreError

__all__ = [
    "AppRow",
    "AppScopedRow",
    "ContactRow",
    "IdempotencyRow",
    "LoginAttemptRow",
    "MetaRow",
    "PrincipalRow",
    "SnapshotRowsRefused",
    "StoreSnapshot",
    "TagRow",
    "TokenRow",
]

Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
"""Every integer column holds at most this (SQLite's INTEGER, PostgreSQL's bigint)."""
ContactId = Annotated[
    str, msgspec.Meta(pattern="^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]
"""A canonical (lower-case) UUID, as contactd writes every contact id."""


class MetaRow(msgspec.Struct, frozen=True):
    """A server-wide value: the server secret (cursors, admin tokens, idempotency
    digests are signed with it, so they stay valid across a save and a load)."""

    key: str
    value: bytes


class AppScopedRow(msgspec.Struct, frozen=True):
    """A row of one app's: its first column is the app's id (every record's but the
    server-wide `MetaRow`'s and the contacts', which lead with their seq)."""

    app_id: Int64


class AppRow(AppScopedRow, frozen=True):
    name: str
    secret_hash: bytes
    country_code: str
    created_at: Int64


class PrincipalRow(AppScopedRow, frozen=True):
    extension: Int64
    first_name: str
    last_name: str
    phone: str
    email: str
    password_hash: str
    start_time: Int64 | None
    end_time: Int64 | None
    notify: bool
    followme: bool
    created_at: Int64


class TokenRow(AppScopedRow, frozen=True):
    token_hash: bytes
    extension: Int64
    expires_at: Int64


class ContactRow(msgspec.Struct, frozen=True):
    seq: Int64
    app_id: Int64
    contact_id: ContactId
    phone: str
    phone_key: str
    first_name: str
    last_name: str
    email: str
    company: str
    job_title: str
    tag: str
    status: str
    remindme: Int64 | None
    info: str
    notes: list[Note]
    saved_by: str
    created_at: Int64


class LoginAttemptRow(AppScopedRow, frozen=True):
    extension: Int64
    attempt_id: Int64
    attempted_at: Int64


class IdempotencyRow(AppScopedRow, frozen=True):
    key: str
    digest: bytes
    status: Int64
    body: bytes
    created_at: Int64


class TagRow(AppScopedRow, frozen=True):
    position: Int64
    tag: str


class StoreSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """Every row of the store, per table, in the order a load inserts them."""

    last_seq: Int64 = 0
    """The highest contact seq ever handed out (deleted contacts' included), so that a
    loaded store never hands one out again."""
    meta: list[MetaRow] = []
    apps: list[AppRow] = []
    principals: list[PrincipalRow] = []
    tokens: list[TokenRow] = []
    contacts: list[ContactRow] = []
    login_attempts: list[LoginAttemptRow] = []
    idempotency_keys: list[IdempotencyRow] = []
    tag_catalogue: list[TagRow] = []


class SnapshotRowsRefused(StoreError):
    """The rows of a snapshot break a rule of the store (a contact of an app that is
    not in it, two contacts of an app with one phone, ...): nothing was loaded."""

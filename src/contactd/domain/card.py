"""The v3 contact card, defined once: the JSON object a v3 read answers for each contact.

Each field names its key on the wire, the `contacts` column it is read from, its type and
whether it may be null; the order is the order of the keys in the object. Everything
else that spells the card out is derived from `CARD`:

- the SQLite card column (`store.sqlite_contacts.CARD_EXPRESSION`; migration 0005 keeps
  it as a stored generated column, and a test holds the migration to the derived text),
- the PostgreSQL card select (`store.postgres_contacts`),
- the wire Struct and its OpenAPI schema (`api.v3.ContactCard`).

The store renders the card when it reads (PostgreSQL) or writes (SQLite) the row, and
the API splices the rendered cards into its answer: no struct per contact on a read.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["CARD", "CardField"]


class CardField(NamedTuple):
    wire: str
    """The key in the JSON object."""
    column: str
    """The `contacts` column the value is read from."""
    type: type
    nullable: bool = False


CARD: tuple[CardField, ...] = (
    CardField("contact_id", "contact_id", str),
    CardField("phone_no", "phone", str),
    CardField("first_name", "first_name", str),
    CardField("last_name", "last_name", str),
    CardField("email_id", "email", str),
    CardField("company", "company", str),
    CardField("job_title", "job_title", str),
)

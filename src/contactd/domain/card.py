"""The contact as each generation's page shows it, defined once: the v3 card, the JSON
object a v3 read answers for each contact, and the v1 entry of an unfiltered v1 page.

Each field names its key on the wire, the `contacts` column it is read from, its type and
whether it may be null; the order is the order of the keys in the object. Everything
else that spells the card out is derived from `CARD`:

- the SQLite card column (`store.sqlite_contacts.CARD_EXPRESSION`; migration 0005 keeps
  it as a stored generated column, and a test holds the migration to the derived text),
- the PostgreSQL card and v1 entry columns (`store.postgres_renderings`; migration
  0018 keeps them as stored generated columns),
- the wire Struct and its OpenAPI schema (`api.v3.ContactCard`).

Both stores render the card when they write the row, and the API splices the rendered
cards into its answer: no struct per contact on a read.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

__all__ = ["CARD", "V1_ENTRY", "CardField", "V1Field", "V1Render"]


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


class V1Render(Enum):
    """How a v1 entry's value is made from its column (each store spells it in SQL)."""

    VALUE = "value"
    """The column as it is: text, a number or null."""
    NAME = "name"
    """`domain.names.join_name(first_name, last_name)`."""
    INTEGER = "integer"
    """The text column's digits as a JSON number (`int(phone)`)."""
    JSON = "json"
    """The column's JSON text, embedded as stored."""


class V1Field(NamedTuple):
    wire: str
    column: str
    """The `contacts` column (for `NAME`, the first of the two names)."""
    render: V1Render = V1Render.VALUE


V1_ENTRY: tuple[V1Field, ...] = (
    V1Field("agent", "saved_by"),
    V1Field("inet_no", "app_id"),
    V1Field("name", "first_name", V1Render.NAME),
    V1Field("mobile", "phone", V1Render.INTEGER),
    V1Field("tag", "tag"),
    V1Field("time", "created_at"),
    V1Field("remindme", "remindme"),
    V1Field("status", "status"),
    V1Field("email", "email"),
    V1Field("info", "info"),
    V1Field("notes", "notes", V1Render.JSON),
)
"""A contact on an unfiltered `/v1/getContact` page, in the order of `api.v1.V1Contact`
(a test holds the two together). The store renders each page's entries as one JSON
array, which the API splices into its answer; a filtered page is still made from
`Contact` records (`api.v1`)."""

"""A contact's row as both backends write and read it, derived from the records.

The columns of a written row are `NewContact`'s fields in order (`notes_json` is the
column `notes`) between the app id and the folded name the store adds (`name_key`); a
read gives `Contact`'s fields, the same columns then the app id and the seq. Each
backend spells its own statements from these lists and binds the same values.
"""

from __future__ import annotations

from msgspec.structs import astuple

from contactd.domain.models import UPSERT_FIELDS, Contact, NewContact, PhoneUpsert
from contactd.domain.names import name_search_key

__all__ = [
    "NAME_EXPRESSION",
    "READ_COLUMNS",
    "ROW_COLUMNS",
    "UPSERT_FIELDS",
    "new_values",
    "upsert_changes",
    "upsert_params",
]


def _column(field: str) -> str:
    return "notes" if field == "notes_json" else field


ROW_COLUMNS: tuple[str, ...] = (
    "app_id",
    *map(_column, NewContact.__struct_fields__),
    "name_key",
)
"""The columns a write fills, in the order `new_values` gives them after the app id."""
READ_COLUMNS: tuple[str, ...] = tuple(map(_column, Contact.__struct_fields__))
"""The columns of a read, in `Contact`'s field order (so `Contact(*row)` builds it)."""


NAME_EXPRESSION = (
    "CASE WHEN last_name = '' THEN first_name WHEN first_name = '' THEN last_name"
    " ELSE first_name || ' ' || last_name END"
)
"""`domain.names.join_name` in the SQL of both backends: the names are stored stripped
(every write strips them), so joining with one space, or taking the one that is not
empty, is what `join_name` gives; a `trim` over all of `str.strip`'s blanks cost more
than the rest of the entry (bench/profile.md, "the v1 page as JSON")."""


def new_values(contact: NewContact) -> tuple[object, ...]:
    """The values of `ROW_COLUMNS` after the app id: one C call for the record's fields,
    then the folded name."""
    return (*astuple(contact), name_search_key(contact.first_name, contact.last_name))


def upsert_params(app_id: int, upsert: PhoneUpsert) -> dict[str, object]:
    """The named parameters of the v1 upsert: the row to insert under its column names,
    and `set_<field>` for each of `UPSERT_FIELDS`, true where an existing contact takes
    the new row's value."""
    params: dict[str, object] = dict(
        zip(ROW_COLUMNS, (app_id, *new_values(upsert.new)), strict=True)
    )
    for field in UPSERT_FIELDS:
        params[f"set_{field}"] = field in upsert.replaces
    return params


def upsert_changes(param: str, stored: str = "") -> str:
    """The DO UPDATE assignments of the v1 upsert, the same in both dialects: the new
    row's name, then each of `UPSERT_FIELDS` from the new row where its `set_<field>`
    parameter is true. `param` spells a named parameter in the dialect's style (`":{}"`,
    `"%({})s"`), `stored` is the prefix of a stored column."""
    name = ("first_name", "last_name", "name_key")
    return ", ".join(
        [f"{c} = excluded.{c}" for c in name]
        + [
            f"{f} = CASE WHEN {param.format('set_' + f)} THEN excluded.{f} ELSE {stored}{f} END"
            for f in sorted(UPSERT_FIELDS)
        ]
    )

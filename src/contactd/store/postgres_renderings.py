"""What PostgreSQL stores of each contact already rendered (migration 0018), derived from
the one definition of the card and the v1 entry (`domain.card`).

Both are stored generated columns: the v3 card, the JSON object a v3 page answers with,
and the head of the v1 entry (every field but the notes, which a page appends as stored,
so that a contact's notes are not kept twice). Each is `row_to_json` of a composite type
whose fields are the JSON keys in order, applied by an IMMUTABLE SQL function to the
row's columns. The function keeps the search path it was created with: a generated
column is computed while `pg_restore` loads the table, with an empty search path, where
an unqualified type would not be found. A test holds the migration's text to the
statements here.
"""

from __future__ import annotations

from collections.abc import Sequence

from contactd.domain.card import CARD, V1_ENTRY, V1Field, V1Render
from contactd.store.contact_rows import NAME_EXPRESSION

__all__ = [
    "CARD_COLUMN",
    "CARD_FUNCTION",
    "CARD_TYPE",
    "COLUMN_TYPES",
    "ENTRY_EMBEDDED",
    "ENTRY_HEAD_COLUMN",
    "ENTRY_HEAD_FUNCTION",
    "ENTRY_HEAD_TYPE",
]

COLUMN_TYPES = {
    "contact_id": "uuid",
    "notes": "jsonb",
    "remindme": "bigint",
    "created_at": "bigint",
    "app_id": "bigint",
}
"""The `contacts` columns that are not text."""


def _type_of(column: str) -> str:
    return COLUMN_TYPES.get(column, "text")


def _function(name: str, columns: Sequence[str], values: Sequence[str]) -> str:
    """The function `name` that renders `values` (of its parameters, one per column)
    through the composite type of the same name."""
    arguments = ", ".join(_type_of(c) for c in columns)
    return (
        f"CREATE FUNCTION {name}({arguments}) RETURNS text"
        " LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS"
        f" $$ SELECT row_to_json(ROW({', '.join(values)})::{name})::text $$"
    )


CARD_TYPE = (
    "CREATE TYPE contact_card AS ("
    + ", ".join(f"{f.wire} {_type_of(f.column)}" for f in CARD)
    + ")"
)
CARD_FUNCTION = _function(
    "contact_card",
    [f.column for f in CARD],
    [f"${i}" for i in range(1, len(CARD) + 1)],
)
CARD_COLUMN = "contact_card(" + ", ".join(f.column for f in CARD) + ")"

_HEAD = [f for f in V1_ENTRY if f.render is not V1Render.JSON]
ENTRY_EMBEDDED = [f for f in V1_ENTRY if f.render is V1Render.JSON]
"""The entry's JSON fields, last in `V1_ENTRY`: appended to the head as stored."""


def _head_columns(field: V1Field) -> list[str]:
    return ["first_name", "last_name"] if field.render is V1Render.NAME else [field.column]


_HEAD_COLUMNS = [c for f in _HEAD for c in _head_columns(f)]
_PLACES = {c: f"${i}" for i, c in enumerate(_HEAD_COLUMNS, start=1)}
"""The head function's parameter of each column."""


def _head_value(field: V1Field) -> str:
    """The field's value in the head function, from its parameters."""
    if field.render is V1Render.NAME:
        return NAME_EXPRESSION.replace("first_name", _PLACES["first_name"]).replace(
            "last_name", _PLACES["last_name"]
        )
    if field.render is V1Render.INTEGER:
        return f"{_PLACES[field.column]}::bigint"
    return _PLACES[field.column]


def _head_type(field: V1Field) -> str:
    if field.render is V1Render.INTEGER:
        return "bigint"
    return "text" if field.render is V1Render.NAME else _type_of(field.column)


ENTRY_HEAD_TYPE = (
    "CREATE TYPE v1_entry_head AS (" + ", ".join(f'"{f.wire}" {_head_type(f)}' for f in _HEAD) + ")"
)
ENTRY_HEAD_FUNCTION = _function("v1_entry_head", _HEAD_COLUMNS, [_head_value(f) for f in _HEAD])
ENTRY_HEAD_COLUMN = "v1_entry_head(" + ", ".join(_HEAD_COLUMNS) + ")"

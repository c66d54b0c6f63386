"""The store's whole contents as rows and back (`domain.snapshot`), for both backends.

`dump` reads every table in one read snapshot; `load` empties the store and inserts
the rows in one write transaction. The statements are built from the records' fields,
with each dialect's few differences (`SnapshotSql`): how a column is read (PostgreSQL's
uuid and jsonb as text) and written (the notes as JSON), how the store is emptied, and
the contacts' seq counter.

What is derived is never carried but made again by the load: the folded names (written
by the load as by every write), and everything the contacts' triggers keep (the phone
index, the block counts, the name dictionary and its trigram index: SQLite's writer
folds the logged name changes before it commits, PostgreSQL's statement triggers as
each insert ends), then the apps' contact counts. Every app's `list_version` is set
above the highest the store held, so that a listing remembered by any process before
the load never holds after it (store/listing_memo.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from contactd.domain.contacts import Note
from contactd.domain.names import name_search_key
from contactd.domain.snapshot import (
    AppRow,
    ContactRow,
    IdempotencyRow,
    LoginAttemptRow,
    MetaRow,
    PrincipalRow,
    StoreSnapshot,
    TagRow,
    TokenRow,
)
from contactd.store.queries import pyformat
from contactd.store.tx import Row, Tx

__all__ = ["POSTGRES_SNAPSHOT", "SQLITE_SNAPSHOT", "SnapshotSql", "dump", "load"]

TABLES: tuple[tuple[str, type[msgspec.Struct], str], ...] = (
    ("meta", MetaRow, "key"),
    ("apps", AppRow, "app_id"),
    ("principals", PrincipalRow, "app_id, extension"),
    ("tokens", TokenRow, "app_id, token_hash"),
    ("contacts", ContactRow, "seq"),
    ("login_attempts", LoginAttemptRow, "app_id, extension, attempt_id"),
    ("idempotency_keys", IdempotencyRow, "app_id, key"),
    ("tag_catalogue", TagRow, "app_id, position"),
)
"""(table, record, key): a load inserts in this order (a row after those it refers to);
a dump reads each table in its key's order. Each table is `StoreSnapshot`'s field of
its name."""

_PARAMETERS_PER_STATEMENT = 30_000
"""Below both databases' bound on a statement's parameters (SQLite 32,766)."""
_ROWS_PER_STATEMENT = 500

_NOTES = msgspec.json.Decoder(list[Note])
_encode = msgspec.json.encode

# How a column's stored value becomes the record's, and back, where they differ.
_READ: Mapping[str, Callable[[Any], Any]] = {
    "notes": _NOTES.decode,
    "notify": bool,  # SQLite keeps 0 or 1
    "followme": bool,
}
_WRITE: Mapping[str, Callable[[Any], Any]] = {"notes": lambda notes: _encode(notes).decode()}
# The columns a load adds to a record's: what the store derives from them.
_DERIVED: Mapping[str, tuple[str, ...]] = {
    "apps": ("list_version",),
    "principals": ("name_key",),
    "contacts": ("name_key",),
}


@dataclass(frozen=True)
class SnapshotSql:
    """A dialect's statements for `dump` and `load`."""

    placeholders: Callable[[str], str]
    """`?` placeholders in the dialect's style."""
    empty: tuple[str, ...]
    """Empty every table (the derived ones included), in order."""
    last_seq: str
    """The contacts' seq counter: the highest ever handed out, 0 if none."""
    set_last_seq: str
    """Set that counter to the named parameter `seq` (0: none handed out yet)."""
    read_as: Mapping[str, str] = field(default_factory=dict)
    """A column's expression in a dump where it is not the column itself."""
    write_as: Mapping[str, str] = field(default_factory=dict)
    """A value's placeholder in a load where it is not a plain `?`."""
    insert_contacts: str = ""
    """What a contacts insert needs between its columns and VALUES (the seq given)."""

    def select(self, table: str, record: type[msgspec.Struct], key: str) -> str:
        columns = ", ".join(self.read_as.get(c, c) for c in record.__struct_fields__)
        return f"SELECT {columns} FROM {table} ORDER BY {key}"

    def insert(self, table: str, columns: Sequence[str], rows: int) -> str:
        row = "(" + ", ".join(self.write_as.get(c, "?") for c in columns) + ")"
        between = f" {self.insert_contacts}" if table == "contacts" and self.insert_contacts else ""
        return self.placeholders(
            f"INSERT INTO {table} ({', '.join(columns)}){between} VALUES " + ", ".join([row] * rows)
        )


async def dump(tx: Tx, sql: SnapshotSql) -> StoreSnapshot:
    """Every row of the store; `tx` reads one snapshot of it."""
    tables: dict[str, list[Any]] = {}
    for table, record, key in TABLES:
        convert = [_READ.get(column) for column in record.__struct_fields__]
        tables[table] = [
            record(*(v if c is None else c(v) for c, v in zip(convert, row, strict=True)))
            for row in await tx.all(sql.select(table, record, key))
        ]
    counter = await tx.one(sql.last_seq)
    last_seq = max([int(counter[0]) if counter else 0, *(c.seq for c in tables["contacts"])])
    return StoreSnapshot(last_seq=last_seq, **tables)


async def load(tx: Tx, sql: SnapshotSql, snapshot: StoreSnapshot) -> None:
    """Replace every row of the store with the snapshot's, in `tx`."""
    versions = await tx.one(sql.placeholders("SELECT coalesce(max(list_version), 0) FROM apps"))
    list_version = (int(versions[0]) if versions else 0) + 1
    for statement in sql.empty:
        await tx.run(statement)
    for table, record, _ in TABLES:
        rows: list[msgspec.Struct] = getattr(snapshot, table)
        columns = (*record.__struct_fields__, *_DERIVED.get(table, ()))
        values = [_values(table, row, list_version) for row in rows]
        per_statement = max(1, min(_ROWS_PER_STATEMENT, _PARAMETERS_PER_STATEMENT // len(columns)))
        for at in range(0, len(values), per_statement):
            chunk = values[at : at + per_statement]
            await tx.run(sql.insert(table, columns, len(chunk)), [v for r in chunk for v in r])
    await tx.run(
        sql.placeholders(
            "UPDATE apps SET contact_count = (SELECT count(*) FROM contacts c"
            " WHERE c.app_id = apps.app_id)"
        )
    )
    last_seq = max([snapshot.last_seq, *(c.seq for c in snapshot.contacts)])
    await tx.run(sql.set_last_seq, {"seq": last_seq})


def _values(table: str, row: msgspec.Struct, list_version: int) -> Row:
    values = [
        value if convert is None else convert(value)
        for value, convert in (
            (getattr(row, column), _WRITE.get(column)) for column in row.__struct_fields__
        )
    ]
    if isinstance(row, ContactRow | PrincipalRow):
        values.append(name_search_key(row.first_name, row.last_name))
    elif isinstance(row, AppRow):
        values.append(list_version)
    assert len(values) == len(row.__struct_fields__) + len(_DERIVED.get(table, ()))
    return tuple(values)


SQLITE_SNAPSHOT = SnapshotSql(
    placeholders=str,
    # The contacts go first, through their triggers, which write the phone index's
    # deletes (a contentless index forgets a row only when told its text) and log their
    # name changes; then the log and the derived tables are emptied whole.
    empty=(
        "DELETE FROM tokens",
        "DELETE FROM principals",
        "DELETE FROM contacts",
        "DELETE FROM name_changes",
        "DELETE FROM name_pending",
        "DELETE FROM phone_pending",
        "DELETE FROM phone_fragments",
        "DELETE FROM names",
        "DELETE FROM name_fragments",
        "INSERT INTO names_fts (names_fts) VALUES ('delete-all')",
        "INSERT INTO names_shared_fts (names_shared_fts) VALUES ('delete-all')",
        "INSERT INTO contacts_phone (contacts_phone) VALUES ('delete-all')",
        "DELETE FROM contact_blocks",
        "DELETE FROM due_blocks",
        "DELETE FROM due_agent_blocks",
        "DELETE FROM login_attempts",
        "DELETE FROM idempotency_keys",
        "DELETE FROM tag_catalogue",
        "DELETE FROM apps",
        "DELETE FROM meta",
    ),
    last_seq="SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0)",
    # AUTOINCREMENT's high-water mark is a row of sqlite_sequence, which may be written.
    set_last_seq=(
        "INSERT OR REPLACE INTO sqlite_sequence (rowid, name, seq) VALUES ((SELECT rowid"
        " FROM sqlite_sequence WHERE name = 'contacts'), 'contacts', :seq)"
    ),
    # Stored compact, as every write of a note stores it.
    write_as={"notes": "json(?)"},
)

POSTGRES_SNAPSHOT = SnapshotSql(
    placeholders=pyformat,
    # No trigger fires on TRUNCATE: every derived table is in the list.
    empty=(
        "TRUNCATE tokens, principals, contacts, names, name_fragments, name_pending,"
        " contact_blocks, due_blocks, due_agent_blocks, login_attempts, login_ids,"
        " idempotency_keys, tag_catalogue, apps, meta",
    ),
    last_seq=(
        "SELECT coalesce(pg_sequence_last_value("
        "pg_get_serial_sequence('contacts', 'seq')::regclass), 0)"
    ),
    set_last_seq=(
        "SELECT setval(pg_get_serial_sequence('contacts', 'seq')::regclass,"
        " greatest(%(seq)s, 1), %(seq)s > 0)"
    ),
    read_as={"contact_id": "contact_id::text", "notes": "notes::text"},
    write_as={"notes": "?::jsonb"},
    insert_contacts="OVERRIDING SYSTEM VALUE",
)

"""Contact writes of the SQLite backend, each run inside the writer's transaction.

Every function takes the writer connection inside an open `BEGIN IMMEDIATE` transaction
(`SQLiteStore._write`) and raises to roll it back. The contact count of the app is kept
in the same transaction as every insert and delete, so counts stay O(1) to read. Each
write of a name writes its folded search key (`name_key`) too; the FTS index follows by
trigger (migration 0002).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence

import msgspec

from contactd.domain.card import CARD
from contactd.domain.models import Contact, ContactChanges, NewContact, PhoneUpsert
from contactd.domain.store import PhonesTaken, UnknownContact
from contactd.store import contact_rows
from contactd.store.sqlite_conn import SEARCH_KEY_FUNCTION, assignments, marks

__all__ = [
    "CARD_EXPRESSION",
    "CONTACT_COLUMNS",
    "contact_from_row",
    "delete_by_phone",
    "delete_contacts",
    "insert_contacts",
    "update_contacts",
    "upsert_by_phone",
]

CARD_EXPRESSION = "json_object(" + ", ".join(f"'{f.wire}', {f.column}" for f in CARD) + ")"
"""The card (`domain.card`) of a row: the expression of the stored generated column
`card` (migration 0005 spells it out; a test holds the two equal)."""
CONTACT_COLUMNS = ", ".join(contact_rows.READ_COLUMNS)
_CHANGE_COLUMNS = (
    "first_name",
    "last_name",
    "email",
    "company",
    "job_title",
    "tag",
    "status",
    "info",
)
_INSERT_COLUMNS = ", ".join(contact_rows.ROW_COLUMNS)
_INSERT_WIDTH = len(contact_rows.ROW_COLUMNS)
_ROWS_PER_INSERT = 100
"""Rows per INSERT statement: 1,700 parameters, well under SQLite's 32,766."""
_COUNT_BY = "UPDATE apps SET contact_count = contact_count + ? WHERE app_id = ?"

# The v1 write, race-free in one statement: the unique (app_id, phone_key) index decides
# between insert and update. In DO UPDATE a bare column is the stored value and
# `excluded.` the row that was to be inserted, so a field not sent keeps its value; the
# new row's note (its notes are empty or that one note) is appended in SQL (json_insert
# at '$[#]'), so two racing writes both keep their notes.
_UPSERT = (
    f"INSERT INTO contacts ({_INSERT_COLUMNS})"
    f" VALUES ({', '.join(':' + c for c in contact_rows.ROW_COLUMNS)})"
    f" ON CONFLICT (app_id, phone_key) DO UPDATE SET {contact_rows.upsert_changes(':{}')},"
    " notes = CASE WHEN excluded.notes = '[]' THEN notes"
    " ELSE json_insert(notes, '$[#]', json(json_extract(excluded.notes, '$[0]'))) END"
    # The fresh id comes back only from a row this statement inserted.
    " RETURNING contact_id"
)


def contact_from_row(row: tuple[object, ...]) -> Contact:
    return Contact(*row)  # type: ignore[arg-type]  # columns are in field order


def insert_contacts(conn: sqlite3.Connection, app_id: int, contacts: Sequence[NewContact]) -> None:
    """Insert all, in order, or raise `PhonesTaken` naming the stored phones.

    One multi-row INSERT per chunk, not one per row: FTS5 (3.40) flushes its pending
    terms to a new segment at every statement savepoint, so a row-at-a-time insert
    through the trigger wrote (and later merged) one segment per contact
    (bench/profile.md, "multi-row INSERT").
    """
    params: list[object] = []
    new_values = contact_rows.new_values
    for c in contacts:
        params.append(app_id)
        params += new_values(c)
    # The rows inserted before a failing one stay in the transaction: undo them before
    # asking which phones are taken, or the batch's own new phones would be named.
    conn.execute("SAVEPOINT contacts_batch")
    try:
        for at in range(0, len(contacts), _ROWS_PER_INSERT):
            rows = min(_ROWS_PER_INSERT, len(contacts) - at)
            conn.execute(
                _insert_sql(rows),
                params[at * _INSERT_WIDTH : (at + rows) * _INSERT_WIDTH],
            )
    except sqlite3.IntegrityError as exc:
        conn.execute("ROLLBACK TO contacts_batch")
        conn.execute("RELEASE contacts_batch")
        raise PhonesTaken(_taken_keys(conn, app_id, [c.phone_key for c in contacts])) from exc
    conn.execute("RELEASE contacts_batch")
    conn.execute(_COUNT_BY, (len(contacts), app_id))


@functools.lru_cache(maxsize=8)
def _insert_sql(rows: int) -> str:
    row = f"({marks(_INSERT_WIDTH)})"
    return f"INSERT INTO contacts ({_INSERT_COLUMNS}) VALUES {', '.join([row] * rows)}"


def update_contacts(
    conn: sqlite3.Connection, app_id: int, changes: Sequence[ContactChanges]
) -> None:
    """Apply every change or raise `UnknownContact` / `PhonesTaken`."""
    for change in changes:
        columns, values = assignments(change, _CHANGE_COLUMNS)
        if change.phone is not None:
            columns += ["phone = ?", "phone_key = ?"]
            values += [change.phone.digits, change.phone.key]
        if change.remindme is not msgspec.UNSET:
            columns.append("remindme = ?")
            values.append(change.remindme)
        if change.note_json is not None:  # appended in SQL, as the v1 upsert does
            columns.append("notes = json_insert(notes, '$[#]', json(?))")
            values.append(change.note_json)
        if change.first_name is not None or change.last_name is not None:
            # SET expressions read the stored row: coalesce gives the name after the change.
            columns.append(
                f"name_key = {SEARCH_KEY_FUNCTION}(coalesce(?, first_name), coalesce(?, last_name))"
            )
            values += [change.first_name, change.last_name]
        sql = (
            f"UPDATE contacts SET {', '.join(columns)} WHERE app_id = ? AND contact_id = ?"
            if columns
            else "SELECT 1 FROM contacts WHERE app_id = ? AND contact_id = ?"
        )
        try:
            cursor = conn.execute(sql, (*values, app_id, change.contact_id))
        except sqlite3.IntegrityError as exc:
            raise PhonesTaken([change.phone.key if change.phone else ""]) from exc
        touched = cursor.rowcount if columns else len(cursor.fetchall())
        if touched != 1:
            raise UnknownContact(change.contact_id)


def delete_contacts(conn: sqlite3.Connection, app_id: int, contact_ids: Sequence[str]) -> int:
    unique_ids = list(dict.fromkeys(contact_ids))
    cursor = conn.execute(
        f"DELETE FROM contacts WHERE app_id = ? AND contact_id IN ({marks(len(unique_ids))})",
        (app_id, *unique_ids),
    )
    deleted = cursor.rowcount
    if deleted:
        conn.execute(_COUNT_BY, (-deleted, app_id))
    return deleted


def upsert_by_phone(conn: sqlite3.Connection, app_id: int, upsert: PhoneUpsert) -> None:
    # fetchall: a RETURNING statement left unfinished would block the COMMIT.
    [(stored_id,)] = conn.execute(_UPSERT, contact_rows.upsert_params(app_id, upsert)).fetchall()
    if stored_id == upsert.new.contact_id:  # created
        conn.execute(_COUNT_BY, (1, app_id))


def delete_by_phone(conn: sqlite3.Connection, app_id: int, phone_key: str) -> bool:
    cursor = conn.execute(
        "DELETE FROM contacts WHERE app_id = ? AND phone_key = ?", (app_id, phone_key)
    )
    if cursor.rowcount:
        conn.execute(_COUNT_BY, (-cursor.rowcount, app_id))
    return cursor.rowcount == 1


def _taken_keys(conn: sqlite3.Connection, app_id: int, keys: Sequence[str]) -> list[str]:
    rows = conn.execute(
        f"SELECT phone_key FROM contacts WHERE app_id = ? AND phone_key IN ({marks(len(keys))})",
        (app_id, *keys),
    ).fetchall()
    return [str(row[0]) for row in rows]

"""Contact SQL of the PostgreSQL backend.

The writes take a connection inside the store's open transaction (`PostgresStore._write`)
and raise to roll it back. Each starts by taking the app's row lock (`FOR NO KEY UPDATE`,
which logins' foreign-key checks do not wait for); the count update of an insert is
that lock. One lock order for every contact write means two writers can never deadlock
on each other's phone keys, and it keeps `contact_count` exact; the price is that one
app's contact writes commit one at a time, as on SQLite.

Each write of a name writes its folded search key (`name_key`, folded in Python by
`domain.names`, the same rule as SQLite), which the trigram index covers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import msgspec
import psycopg
from psycopg import errors

from contactd.domain.models import Contact, ContactChanges, NewContact, PhoneUpsert
from contactd.domain.names import name_search_key
from contactd.domain.store import PhonesTaken, UnknownContact
from contactd.store import contact_rows
from contactd.store.listing_memo import Boundary, KnownCount, Listing, resume
from contactd.store.name_index import Matches
from contactd.store.postgres_names import count_matching, page_query
from contactd.store.postgres_renderings import COLUMN_TYPES
from contactd.store.schema import BLOCK_BITS

__all__ = [
    "CARD_SELECT",
    "CONTACT_SELECT",
    "GET_WITH_COUNT",
    "PAGES",
    "contact_from_row",
    "delete_by_phone",
    "delete_contacts",
    "insert_contacts",
    "list_page",
    "update_contacts",
    "upsert_by_phone",
    "uuid_or_none",
    "uuids",
]

Conn = psycopg.AsyncConnection[Any]

_AS_TEXT = ("contact_id", "notes")
"""The columns a read takes as text: the id as a string, the notes as JSON text."""
CONTACT_SELECT = (
    "SELECT "
    + ", ".join(f"{c}::text" if c in _AS_TEXT else c for c in contact_rows.READ_COLUMNS)
    + " FROM contacts"
)
# v3 reads: the cards and the app's count in one statement (one round trip, one snapshot).
# The card is the row's stored column (postgres_renderings).
CARD_SELECT = "c.v3_card AS rendered FROM contacts AS c"
GET_WITH_COUNT = (
    "SELECT (SELECT contact_count FROM apps WHERE app_id = %s), "
    + CARD_SELECT
    + " WHERE c.app_id = %s AND c.contact_id = %s"
)
# Pages of several requests at once (`postgres_batch`): per request, the app's count,
# its cards as one JSON array, the last seq and whether a contact follows it. The
# arrays are read through scalar subqueries so that the planner cannot see them: a plan
# made for the values at hand (an `unnest` of one element, `LIMIT 11`) looks far
# cheaper than the prepared statement's generic plan, so PostgreSQL planned every
# execution anew, which cost more than running it (bench/profile.md, "PostgreSQL's hot
# path"); this way both plans look alike and the generic one is kept.
PAGES = (
    "SELECT (SELECT contact_count FROM apps WHERE app_id = r.app), p.cards, p.last,"
    " p.last IS NOT NULL AND EXISTS (SELECT 1 FROM contacts AS m"
    " WHERE m.app_id = r.app AND m.seq > p.last)"
    " FROM unnest((SELECT %s::bigint[]), (SELECT %s::bigint[]), (SELECT %s::int[]))"
    " WITH ORDINALITY AS r(app, after, lim, i)"
    " CROSS JOIN LATERAL (SELECT '[' || coalesce(string_agg(s.rendered, ',' ORDER BY s.seq), '')"
    " || ']' AS cards, max(s.seq) AS last FROM (SELECT c.seq, "
    + CARD_SELECT
    + " WHERE c.app_id = r.app AND c.seq > r.after ORDER BY c.seq LIMIT r.lim) AS s) AS p"
    " ORDER BY r.i"
)
_LOCK_APP = "SELECT 1 FROM apps WHERE app_id = %s FOR NO KEY UPDATE"
_COUNT_BY = "UPDATE apps SET contact_count = contact_count + %s WHERE app_id = %s"
_COLUMNS = ", ".join(contact_rows.ROW_COLUMNS)
# One statement for a whole batch: unnest yields the rows in request order, so their
# seq values (the list order) follow it. Fixed text, so the server plans it once.
_INSERT = (
    f"INSERT INTO contacts ({_COLUMNS}) SELECT %s, * FROM unnest("
    + ", ".join(f"%s::{COLUMN_TYPES.get(c, 'text')}[]" for c in contact_rows.ROW_COLUMNS[1:])
    + ")"
)
# The v1 write, race-free in one statement: the unique (app_id, phone_key) index decides
# between insert and update; a field not sent keeps its value, and the new row's notes
# (empty, or the one note of this write) are appended in SQL, so two racing writes both
# keep their notes.
_UPSERT = (
    f"INSERT INTO contacts AS c ({_COLUMNS}) VALUES ("
    + ", ".join(f"%({c})s::jsonb" if c == "notes" else f"%({c})s" for c in contact_rows.ROW_COLUMNS)
    + ") ON CONFLICT (app_id, phone_key) DO UPDATE SET "
    + contact_rows.upsert_changes("%({})s", "c.")
    + ", notes = c.notes || excluded.notes"
    # xmax is 0 on a row this statement inserted, the updating transaction's id otherwise.
    " RETURNING (xmax = 0)"
)
_UPDATE = (
    "UPDATE contacts SET phone = coalesce(%s, phone), phone_key = coalesce(%s, phone_key),"
    " first_name = %s, last_name = %s, name_key = %s, email = coalesce(%s, email),"
    " company = coalesce(%s, company), job_title = coalesce(%s, job_title),"
    " tag = coalesce(%s, tag), status = coalesce(%s, status), info = coalesce(%s, info),"
    " remindme = CASE WHEN %s THEN %s::bigint ELSE remindme END,"
    # A note is appended in SQL, as the v1 upsert does; jsonb || NULL is NULL.
    " notes = coalesce(notes || %s::jsonb, notes)"
    " WHERE app_id = %s AND contact_id = %s"
)


def contact_from_row(row: Sequence[Any]) -> Contact:
    return Contact(*row)  # columns are in field order


def uuid_or_none(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def uuids(contact_ids: Sequence[str]) -> list[uuid.UUID]:
    """The distinct ids that are UUIDs: any other string names no contact, as on SQLite."""
    parsed = (uuid_or_none(raw) for raw in contact_ids)
    return list(dict.fromkeys(u for u in parsed if u is not None))


async def insert_contacts(conn: Conn, app_id: int, contacts: Sequence[NewContact]) -> None:
    """Insert all in order; a taken phone raises `UniqueViolation` (the store names it)."""
    # Column-wise, as unnest takes them: the ids stay text, cast by the statement.
    columns = [list(column) for column in zip(*map(contact_rows.new_values, contacts), strict=True)]
    await conn.execute(_COUNT_BY, (len(contacts), app_id))  # also the app's lock
    await conn.execute(_INSERT, (app_id, *columns))


async def update_contacts(conn: Conn, app_id: int, changes: Sequence[ContactChanges]) -> None:
    """Apply every change or raise `UnknownContact` / `PhonesTaken`."""
    await conn.execute(_LOCK_APP, (app_id,))
    # The folded name needs both parts, so read the current ones (locked) first.
    cursor = await conn.execute(
        "SELECT contact_id, first_name, last_name FROM contacts"
        " WHERE app_id = %s AND contact_id = ANY(%s) FOR UPDATE",
        (app_id, uuids([c.contact_id for c in changes])),
    )
    names: dict[uuid.UUID, tuple[str, str]] = {
        row[0]: (row[1], row[2]) for row in await cursor.fetchall()
    }
    for change in changes:
        key = uuid_or_none(change.contact_id)
        if key is None or key not in names:
            raise UnknownContact(change.contact_id)
        first = names[key][0] if change.first_name is None else change.first_name
        last = names[key][1] if change.last_name is None else change.last_name
        try:
            await conn.execute(
                _UPDATE,
                (
                    *((change.phone.digits, change.phone.key) if change.phone else (None, None)),
                    *(first, last, name_search_key(first, last)),
                    *(change.email, change.company, change.job_title),
                    *(change.tag, change.status, change.info),
                    *_reminder(change),
                    f"[{change.note_json}]" if change.note_json is not None else None,
                    *(app_id, key),
                ),
            )
        except errors.UniqueViolation as exc:
            raise PhonesTaken([change.phone.key if change.phone else ""]) from exc
        names[key] = (first, last)


def _reminder(change: ContactChanges) -> tuple[bool, int | None]:
    """Whether the update sets `remindme`, and to what (None clears it)."""
    if change.remindme is msgspec.UNSET:
        return False, None
    return True, change.remindme


async def delete_contacts(conn: Conn, app_id: int, ids: Sequence[uuid.UUID]) -> int:
    await conn.execute(_LOCK_APP, (app_id,))
    cursor = await conn.execute(
        "DELETE FROM contacts WHERE app_id = %s AND contact_id = ANY(%s)", (app_id, list(ids))
    )
    if cursor.rowcount:
        await conn.execute(_COUNT_BY, (-cursor.rowcount, app_id))
    return cursor.rowcount


async def upsert_by_phone(conn: Conn, app_id: int, upsert: PhoneUpsert) -> None:
    params = contact_rows.upsert_params(app_id, upsert)
    params["contact_id"] = uuid.UUID(upsert.new.contact_id)
    await conn.execute(_LOCK_APP, (app_id,))
    row = await (await conn.execute(_UPSERT, params)).fetchone()
    if row and row[0]:  # created
        await conn.execute(_COUNT_BY, (1, app_id))


async def delete_by_phone(conn: Conn, app_id: int, phone_key: str) -> bool:
    await conn.execute(_LOCK_APP, (app_id,))
    cursor = await conn.execute(
        "DELETE FROM contacts WHERE app_id = %s AND phone_key = %s", (app_id, phone_key)
    )
    if cursor.rowcount:
        await conn.execute(_COUNT_BY, (-1, app_id))
    return cursor.rowcount == 1


# -- v1 listing: page numbers and the name filter ------------------------------------------
# The listing is the app's contacts in seq order whose folded name contains the folded
# query. The primary key (app_id, seq) INCLUDEs name_key, so walking an app in order or
# skipping an offset reads that index, not the rows. A name query is counted and planned
# from the name dictionary (store/postgres_names.py, store/name_index.py). What each
# kind of query costs: bench/profile.md, "PostgreSQL v1 listing".
#
# A client walking pages in order resumes from the previous page's last seq
# (`listing_memo.PageBoundaries`), so a walked page costs what page 1 costs; a filtered
# count is remembered (`CountMemo`). Both are used only while the app's
# (list_version, contact_count), read in the page's snapshot, are unchanged (0004).
_APP_STATE = "SELECT contact_count, list_version, distinct_names FROM apps WHERE app_id = %s"
_PAGE_ALL = (
    f"{CONTACT_SELECT} WHERE app_id = %s AND seq >= (SELECT seq FROM contacts"
    " WHERE app_id = %s AND seq > %s ORDER BY seq OFFSET %s LIMIT 1) ORDER BY seq LIMIT %s"
)
# An unfiltered page more than a block past any remembered boundary: the block holding
# the offset from a running sum of the app's block counts (contact_blocks, 0004), then
# an index scan within that block only. One statement, one round trip.
_BLOCK_SIZE = 1 << BLOCK_BITS
_PAGE_BLOCK = (
    f"WITH b AS (SELECT (block << {BLOCK_BITS}) - 1 AS after, before FROM (SELECT block, n,"
    " (sum(n) OVER (ORDER BY block))::bigint - n AS before FROM contact_blocks"
    " WHERE app_id = %s) s WHERE before + n > %s ORDER BY block LIMIT 1) "
    f"{CONTACT_SELECT} WHERE app_id = %s AND seq >= (SELECT seq FROM contacts"
    " WHERE app_id = %s AND seq > (SELECT after FROM b) ORDER BY seq"
    " OFFSET %s - (SELECT before FROM b) LIMIT 1) ORDER BY seq LIMIT %s"
)


async def list_page(
    conn: Conn,
    app_id: int,
    *,
    key: str,
    offset: int,
    limit: int,
    start: Boundary | None = None,
    known: KnownCount | None = None,
) -> Listing:
    """How many contacts match `key` ("" matches all), and the page at `offset`.

    Run in one snapshot by the store. The count comes first: a page past the end costs
    nothing (and an absurd page number never reaches a bigint OFFSET), and a query that
    matches nothing does not walk the whole app looking for a first row. `start` (where
    an earlier page ended) and `known` (an earlier count of `key`) are used only if the
    app's (list_version, contact_count) are still the ones they were taken at.
    """
    row = await (await conn.execute(_APP_STATE, (app_id,))).fetchone()
    if row is None:
        return Listing(0, [], 0)
    total, version, distinct_names = int(row[0]), int(row[1]), int(row[2])
    if not key:
        count = total
    elif known is not None and (known.version, known.total) == (version, total):
        count = known.matching
    else:
        count = await count_matching(conn, app_id, key, distinct_names=distinct_names)
    if offset >= count:
        return Listing(count, [], version, total)
    after, skip = resume(start, version, offset)
    params: tuple[object, ...]
    if key:
        query, params = page_query(
            CONTACT_SELECT,
            app_id,
            key,
            Matches(count, total, distinct_names),
            after=after,
            skip=skip,
            limit=limit,
        )
    elif skip > _BLOCK_SIZE:
        query, params = _PAGE_BLOCK, (app_id, offset, app_id, app_id, offset, limit)
    else:
        query, params = _PAGE_ALL, (app_id, app_id, after, skip, limit)
    cursor = await conn.execute(query, params, prepare=not key)
    return Listing(count, [contact_from_row(r) for r in await cursor.fetchall()], version, total)

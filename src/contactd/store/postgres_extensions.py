"""The extensions on the PostgreSQL backend: the console's search and the callbacks
due (`/x/contacts/search`, `/x/contacts/due`; docs/api.md, "Extensions"), and one
contact read or changed by id (`/x/contacts/get`, `/x/contacts/update`).

Each runs in one snapshot (the store's `_snapshot`; the due list in one statement) and
takes its page by keyset (the cursor's last key, then the next `limit` rows in index
order), so a deep page reads what the first one reads.

**Search.** The name half matches as v1 getContact's `name` filter does, from the same
name dictionary (store/name_index.py, store/postgres_names.py): its count from the
dictionary, its first seqs from `postgres_names.page_query` (the walk or the lookup by
name, whichever is cheaper). The digits half is `PHONE_DIGITS LIKE` over the
(app_id, digits) trigram index of migration 0010 (the expression here is the index's);
it also counts the digit matches the name half finds, which the union counts once.
The page is the first `limit` seqs of the two halves' first `limit` each. Statements
with a pattern are never prepared: the best plan depends on the pattern.

**One contact.** Read by the (app_id, contact_id) key; a change is the v3 update's
own statements (`postgres_contacts.update_contacts`: the app's lock, the row's, the
refolded name), then that read, in the write's transaction.

**Due.** The partial index `contacts_due` (`contacts_due_by_agent` with an agent) of
migration 0009: the page seeks past the cursor's (remindme, seq), a row comparison the
B-tree reads as one range; the count sums the window's whole blocks of `due_blocks`
(`due_agent_blocks`, 0017) and reads the index entries of its two ends
(store/due_blocks.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from contactd.domain.models import Contact, ContactChanges, ContactSearch, DueWindow
from contactd.store.due_blocks import window_parts
from contactd.store.name_index import Matches
from contactd.store.postgres_conn import Conn
from contactd.store.postgres_contacts import CONTACT_SELECT, contact_from_row, update_contacts
from contactd.store.postgres_names import count_matching, page_query

__all__ = [
    "BY_ID",
    "BY_PHONE",
    "PHONE_DIGITS",
    "change_contact",
    "due_answer",
    "due_query",
    "search_page",
]

PHONE_DIGITS = "(phone || ' ' || phone_key)"
"""The indexed digits of a contact (migration 0010's expression, to the character)."""
# bigint, as the column: btree_gin's app_id column of the trigram index serves `=` of
# its own type only, and psycopg sends a smaller int as int4.
_DIGITS = f"FROM contacts WHERE app_id = %(app)s::bigint AND {PHONE_DIGITS} LIKE %(digits)s"
# The digit matches counted, those the name half finds too counted apart, and the first
# seqs past the cursor, from one pass over the matches: a count and a page each of
# their own would read the trigram postings and recheck the rows twice.
_DIGITS_FOUND = (
    "SELECT count(*), count(*) FILTER (WHERE strpos(name_key, %(key)s) > 0),"
    " (array_agg(seq ORDER BY seq) FILTER (WHERE seq > %(after)s))[1:%(n)s] " + _DIGITS
)
_APP_STATE = "SELECT contact_count, distinct_names FROM apps WHERE app_id = %s"
_ROWS = f"{CONTACT_SELECT} WHERE app_id = %s AND seq = ANY(%s) ORDER BY seq"
_EVERY = f"{CONTACT_SELECT} WHERE app_id = %s AND seq > %s ORDER BY seq LIMIT %s"


async def _column(conn: Conn, query: str, params: Any, *, prepare: bool = True) -> list[int]:
    cursor = await conn.execute(query, params, prepare=prepare)
    return [int(row[0]) for row in await cursor.fetchall()]


async def search_page(conn: Conn, app_id: int, search: ContactSearch) -> tuple[int, list[Contact]]:
    """The union's count and up to `limit` of its contacts past `after_seq`."""
    name_key, digits, after_seq = search.name_key, search.digits, search.after_seq
    limit = search.limit
    state = await (await conn.execute(_APP_STATE, (app_id,))).fetchone()
    if state is None:
        return 0, []
    total, distinct_names = int(state[0]), int(state[1])
    if not name_key:  # no query: the whole book, in creation order
        rows = await (await conn.execute(_EVERY, (app_id, after_seq, limit))).fetchall()
        return total, [contact_from_row(r) for r in rows]
    count = await count_matching(conn, app_id, name_key, distinct_names=distinct_names)
    seqs: set[int] = set()
    if count:
        query, params = page_query(
            "SELECT seq FROM contacts",
            app_id,
            name_key,
            Matches(count, total, distinct_names),
            after=after_seq,
            skip=0,
            limit=limit,
        )
        seqs.update(await _column(conn, query, params, prepare=False))
    if digits is not None:
        named = {
            "app": app_id,
            "key": name_key,
            "digits": f"%{digits}%",  # digits only: nothing to escape
            "after": after_seq,
            "n": limit,
        }
        cursor = await conn.execute(_DIGITS_FOUND, named, prepare=False)
        found, both, first = await cursor.fetchone() or (0, 0, None)
        count += int(found) - int(both)
        seqs.update(first or ())
    page = sorted(seqs)[:limit]
    if not page:
        return count, []
    rows = await (await conn.execute(_ROWS, (app_id, page))).fetchall()
    return count, [contact_from_row(r) for r in rows]


def _due_statement(blocks: str, agent: str) -> str:
    """The count (the window's whole blocks of `blocks` and the index entries of its two
    ends: store/due_blocks.py) and the page past the cursor."""
    where = f"app_id = %(app)s{agent} AND remindme IS NOT NULL"
    ends = " + ".join(
        f"(SELECT count(*) FROM contacts WHERE {where}"
        f" AND remindme >= %(start{i})s::bigint AND remindme < %(stop{i})s::bigint)"
        for i in (0, 1)
    )
    whole = (
        "(SELECT coalesce(sum(b.n), 0)::bigint FROM unnest(%(levels)s::int[],"
        f" %(firsts)s::bigint[], %(stops)s::bigint[]) AS r (level, first, stop) JOIN {blocks} b"
        f" ON b.app_id = %(app)s{agent} AND b.level = r.level"
        " AND b.block >= r.first AND b.block < r.stop)"
    )
    page = (
        f"{CONTACT_SELECT} WHERE {where} AND remindme < %(before)s::bigint"
        " AND (remindme, seq) > (%(r)s::bigint, %(s)s::bigint)"
        " ORDER BY remindme, seq LIMIT %(n)s"
    )
    # One statement, so one snapshot in autocommit and one round trip: the count (an
    # uncorrelated subquery, computed once) beside each row of the page.
    return (
        f"SELECT {ends} + {whole}, p.* FROM (SELECT) AS one"
        f" LEFT JOIN LATERAL ({page}) AS p ON true ORDER BY p.remindme, p.seq"
    )


_DUE = {
    False: _due_statement("due_blocks", ""),
    True: _due_statement("due_agent_blocks", " AND saved_by = %(agent)s"),
}


def due_query(app_id: int, window: DueWindow) -> tuple[str, dict[str, object]]:
    """The statement of the window's count and up to `limit` of its contacts past
    `past`, and its parameters: one row per contact, each led by the count (one row of
    the count alone when the page is empty)."""
    after, before, saved_by = window.after, window.before, window.saved_by
    past = window.past
    # Where the page starts: past the cursor, or at the window's start (seq -1 comes
    # before every contact of that remindme), whichever is later.
    r, s = max(past, (after, -1)) if past is not None else (after, -1)
    parts = window_parts(after, before)
    (start0, stop0), (start1, stop1) = parts.ends
    params: dict[str, object] = {
        "app": app_id,
        "agent": saved_by,
        "before": before,
        "r": r,
        "s": s,
        "n": window.limit,
        "start0": start0,
        "stop0": stop0,
        "start1": start1,
        "stop1": stop1,
        "levels": [b.level for b in parts.blocks],
        "firsts": [b.first for b in parts.blocks],
        "stops": [b.stop for b in parts.blocks],
    }
    return _DUE[saved_by is not None], params


def due_answer(rows: list[Any]) -> tuple[int, list[Contact]]:
    """The count and the contacts of `due_query`'s rows."""
    count = int(rows[0][0]) if rows else 0
    return count, [contact_from_row(r[1:]) for r in rows if r[1] is not None]


BY_ID = f"{CONTACT_SELECT} WHERE app_id = %s AND contact_id = %s"
# By the unique (app_id, phone_key) index: the v2 notes' contact (`/v2/user/notes/get`).
BY_PHONE = f"{CONTACT_SELECT} WHERE app_id = %s AND phone_key = %s"


async def change_contact(conn: Conn, app_id: int, change: ContactChanges) -> Contact:
    """Inside the write's transaction: the change, then the contact after it."""
    await update_contacts(conn, app_id, [change])  # raises UnknownContact
    cursor = await conn.execute(BY_ID, (app_id, uuid.UUID(change.contact_id)))
    row = await cursor.fetchone()
    assert row is not None  # updated a moment ago in this transaction
    return contact_from_row(row)

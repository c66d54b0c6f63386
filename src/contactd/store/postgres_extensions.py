"""The extensions' reads on the PostgreSQL backend: the console's search and the
callbacks due (`/x/contacts/search`, `/x/contacts/due`; docs/api.md, "Extensions").

Each runs in one snapshot (the store's `_snapshot`) and takes its page by keyset (the
cursor's last key, then the next `limit` rows in index order), so a deep page reads
what the first one reads.

**Search.** The name half matches as v1 getContact's `name` filter does
(store/postgres_contacts.py): `name_key LIKE` the escaped pattern, answered from the
(app_id, name_key) trigram index or the primary key that carries name_key, as the
planner chooses per query (so never prepared). `NAME_MATCH` is that condition alone,
so that the name structure can change under this module without touching the union.
The digits half is `PHONE_DIGITS LIKE` over the (app_id, digits) trigram index of
migration 0010 (the expression here is the index's). The union's count and its page
are one statement each, over a UNION of the two halves' own queries.

**Due.** The partial index `contacts_due` (`contacts_due_by_agent` with an agent) of
migration 0009: the page seeks past the cursor's (remindme, seq), a row comparison the
B-tree reads as one range; the count reads the window's index entries.
"""

from __future__ import annotations

from contactd.domain.models import Contact
from contactd.store.postgres_conn import Conn
from contactd.store.postgres_contacts import CONTACT_SELECT, contact_from_row
from contactd.store.postgres_names import like_pattern

__all__ = ["NAME_MATCH", "PHONE_DIGITS", "due_page", "search_page"]

NAME_MATCH = "name_key LIKE %(name)s"
"""The name half of a search: `name` is `like_pattern` of the folded query."""
PHONE_DIGITS = "(phone || ' ' || phone_key)"
"""The indexed digits of a contact (migration 0010's expression, to the character)."""
_DIGITS_MATCH = f"{PHONE_DIGITS} LIKE %(digits)s"


def _seqs(condition: str, *, page: bool) -> str:
    """The seqs of the app's contacts meeting `condition`: all, or the page's first."""
    # bigint, as the column: btree_gin's app_id column of the trigram indexes serves
    # `=` of its own type only, and psycopg sends a smaller int as int4.
    seqs = f"SELECT seq FROM contacts WHERE app_id = %(app)s::bigint AND {condition}"
    return f"{seqs} AND seq > %(after)s ORDER BY seq LIMIT %(n)s" if page else seqs


def _search_statements(*conditions: str) -> tuple[str, str]:
    """The count and the page of the union of `conditions`. Each condition is its own
    query, planned as it would be alone (an OR of the two would let the planner trade
    the trigram indexes for a scan of the app's whole key), and the union takes its
    first `n` from each."""
    union = " UNION ".join(f"({_seqs(c, page=False)})" for c in conditions)
    firsts = " UNION ALL ".join(f"({_seqs(c, page=True)})" for c in conditions)
    return (
        f"SELECT count(*) FROM ({union}) AS found",
        f"{CONTACT_SELECT} WHERE app_id = %(app)s AND seq IN ({firsts}) ORDER BY seq LIMIT %(n)s",
    )


_BY_NAME = _search_statements(NAME_MATCH)
_BY_NAME_OR_DIGITS = _search_statements(NAME_MATCH, _DIGITS_MATCH)


async def search_page(
    conn: Conn, app_id: int, *, name_key: str, digits: str | None, after_seq: int, limit: int
) -> tuple[int, list[Contact]]:
    """The union's count and up to `limit` of its contacts past `after_seq`."""
    count_sql, page_sql = _BY_NAME if digits is None else _BY_NAME_OR_DIGITS
    params = {
        "app": app_id,
        "name": like_pattern(name_key),
        "digits": f"%{digits}%",  # digits only: nothing to escape
        "after": after_seq,
        "n": limit,
    }
    # Never prepared: the best plan depends on the patterns (see the module docstring).
    counted = await (await conn.execute(count_sql, params, prepare=False)).fetchone()
    cursor = await conn.execute(page_sql, params, prepare=False)
    rows = await cursor.fetchall()
    return (int(counted[0]) if counted else 0), [contact_from_row(r) for r in rows]


def _due_statements(agent: str) -> tuple[str, str]:
    where = f"app_id = %(app)s{agent} AND remindme IS NOT NULL AND remindme < %(before)s::bigint"
    return (
        f"SELECT count(*) FROM contacts WHERE {where} AND remindme >= %(after)s::bigint",
        f"{CONTACT_SELECT} WHERE {where}"
        " AND (remindme, seq) > (%(r)s::bigint, %(s)s::bigint)"
        " ORDER BY remindme, seq LIMIT %(n)s",
    )


_DUE = {False: _due_statements(""), True: _due_statements(" AND saved_by = %(agent)s")}


async def due_page(
    conn: Conn,
    app_id: int,
    *,
    after: int,
    before: int,
    saved_by: str | None,
    past: tuple[int, int] | None,
    limit: int,
) -> tuple[int, list[Contact]]:
    """The window's count and up to `limit` of its contacts past `past`."""
    # Where the page starts: past the cursor, or at the window's start (seq -1 comes
    # before every contact of that remindme), whichever is later.
    r, s = max(past, (after, -1)) if past is not None else (after, -1)
    count_sql, page_sql = _DUE[saved_by is not None]
    params = {
        "app": app_id,
        "agent": saved_by,
        "after": after,
        "before": before,
        "r": r,
        "s": s,
        "n": limit,
    }
    counted = await (await conn.execute(count_sql, params)).fetchone()
    rows = await (await conn.execute(page_sql, params)).fetchall()
    return (int(counted[0]) if counted else 0), [contact_from_row(r) for r in rows]

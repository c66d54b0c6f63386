"""Unfiltered v1 pages of the PostgreSQL backend, rendered as the JSON the API answers.

A page that starts where its walk can start (page 1, or the page after a remembered
boundary: `PageBoundaries`) is one row of `PAGES`, a statement in autocommit shared with
the other such pages that arrive meanwhile (`postgres_batch`): one snapshot with the
app's kept contact count and `list_version`, the page's v1 entries
(`domain.card.V1_ENTRY`, stored rendered with each row: `postgres_renderings`) joined
into one JSON array by PostgreSQL, how many there are and the last seq. Before, such a
page was a snapshot of three statements and four round trips (BEGIN, the app's state,
the page, COMMIT).

A page that must skip entries first (a jump to a page number) runs in a snapshot: the
app's state, then, unless the offset is past the end, the skip over the primary key
(which holds the app's seqs in order), within one block of `contact_blocks` when it is
further than that (as `postgres_contacts.list_page` does for a filtered listing). Its
limit is written into the statement's text (the skip is a parameter, planned anew each
time, as it was before).
"""

from __future__ import annotations

import functools
from typing import Any

import psycopg

from contactd.store.listing_memo import (
    EMPTY_PAGE,
    Boundary,
    Page,
    page_of,
    walk_to,
)
from contactd.store.postgres_renderings import ENTRY_EMBEDDED
from contactd.store.schema import BLOCK_BITS

__all__ = ["PAGES", "Page", "skipped_page", "start_of", "walked_page"]

Conn = psycopg.AsyncConnection[Any]

_BLOCK_SIZE = 1 << BLOCK_BITS


# The entry: its stored head (postgres_renderings), its closing brace cut, then the
# JSON fields as stored (jsonb's text, as row_to_json embedded it).
_ENTRY = (
    "left(c.v1_head, -1)"
    + "".join(f" || ',\"{f.wire}\":' || c.{f.column}::text" for f in ENTRY_EMBEDDED)
    + " || '}' AS entry FROM contacts AS c"
)
_ENTRIES = (
    "SELECT a.contact_count, a.list_version, p.entries, p.n, p.last FROM apps AS a"
    " CROSS JOIN LATERAL (SELECT '[' || coalesce(string_agg(e.entry, ',' ORDER BY e.seq), '')"
    " || ']' AS entries, count(*) AS n, max(e.seq) AS last FROM (SELECT c.seq, "
    + _ENTRY
    + " WHERE c.app_id = a.app_id AND {where} ORDER BY c.seq LIMIT {limit}) AS e) AS p"
    " WHERE a.app_id = %(app)s"
)
# Pages of several requests at once (`postgres_batch`), each after its seq and with its
# limit, the arrays hidden from the planner (as `postgres_contacts.PAGES`, which says why).
PAGES = (
    "SELECT a.contact_count, a.list_version, p.entries, p.n, p.last"
    " FROM unnest((SELECT %s::bigint[]), (SELECT %s::bigint[]), (SELECT %s::int[]))"
    " WITH ORDINALITY AS r(app, after, lim, i)"
    " LEFT JOIN apps AS a ON a.app_id = r.app"
    " CROSS JOIN LATERAL (SELECT '[' || coalesce(string_agg(e.entry, ',' ORDER BY e.seq), '')"
    " || ']' AS entries, count(*) AS n, max(e.seq) AS last FROM (SELECT c.seq, "
    + _ENTRY
    + " WHERE c.app_id = r.app AND c.seq > r.after ORDER BY c.seq LIMIT r.lim) AS e) AS p"
    " ORDER BY r.i"
)
_SKIPPED = (
    "c.seq >= (SELECT seq FROM contacts WHERE app_id = %(app)s AND seq > %(after)s"
    " ORDER BY seq OFFSET %(skip)s LIMIT 1)"
)
# The block holding the entry at the offset, from a running sum of the app's block
# counts (contact_blocks, 0004); then the skip within that block only.
_BLOCK_OF_OFFSET = (
    f"SELECT (block << {BLOCK_BITS}) - 1, before FROM (SELECT block, n,"
    " (sum(n) OVER (ORDER BY block))::bigint - n AS before FROM contact_blocks"
    " WHERE app_id = %s) s WHERE before + n > %s ORDER BY block LIMIT 1"
)
_APP_STATE = "SELECT contact_count, list_version FROM apps WHERE app_id = %s"


@functools.cache
def _skipping(limit: int) -> str:
    """The page statement that skips; its limit is in the text (see `PAGES`)."""
    return _ENTRIES.replace("{where}", _SKIPPED).replace("{limit}", str(int(limit)))


def start_of(start: Boundary | None, offset: int) -> tuple[int, int] | None:
    """`(after_seq, version)` when the page at `offset` starts right after `start`:
    then it is one row of `PAGES`; else None (`skipped_page`)."""
    if start is not None and start.offset == offset:
        return start.after_seq, start.version
    return (0, -1) if offset == 0 else None


def walked_page(row: Any, *, version: int, offset: int) -> Page | None:
    """The page at `offset` from its row of `PAGES` (the entries after the seq where
    that page starts if the app is still at `version`; -1: any version, for offset 0);
    None when the app has changed since (a delete or a rename)."""
    if row[0] is None:  # no such app
        return EMPTY_PAGE
    page = page_of(row, offset)
    return page if version in (-1, row[1]) else None


async def skipped_page(
    conn: Conn, app_id: int, *, offset: int, limit: int, start: Boundary | None
) -> Page:
    """The page at `offset`, skipping to it; run in one snapshot by the store."""
    state = await (await conn.execute(_APP_STATE, (app_id,))).fetchone()
    answer, after, skip = walk_to(state, start, offset)
    if answer is not None:
        return answer
    if skip > _BLOCK_SIZE:
        block = await (await conn.execute(_BLOCK_OF_OFFSET, (app_id, offset))).fetchone()
        if block is not None:
            after, skip = int(block[0]), offset - int(block[1])
    params = {"app": app_id, "after": after, "skip": skip}
    found = await (await conn.execute(_skipping(limit), params)).fetchone()
    return EMPTY_PAGE if found is None else page_of(found, offset)

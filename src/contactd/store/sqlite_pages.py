"""Unfiltered v1 pages of the SQLite backend, rendered as the JSON the API answers.

A page is read as one row: the app's kept contact count and `list_version`, the page's
v1 entries (`domain.card.V1_ENTRY`) joined into one JSON array by SQLite, how many there
are and the last seq (the end the next page resumes from, `PageBoundaries`). One
statement is one read snapshot, so the count and the page agree without a BEGIN; it
reads the rows it returns and walks the covering `(app_id, seq, name_key)` index for
the entries it skips, as `sqlite_search` does. Entries and the count come from SQLite
as two strings and three integers instead of a record per contact and a struct per
record (bench/profile.md, "the v1 page as JSON").

A page more than a block past where its walk can start (a remembered boundary, or the
start) first finds the block holding its offset in `contact_blocks`; that takes a
second statement, so it runs in a read transaction.
"""

from __future__ import annotations

import sqlite3

from contactd.domain.card import V1_ENTRY, V1Field, V1Render
from contactd.store.contact_rows import NAME_EXPRESSION
from contactd.store.listing_memo import (
    EMPTY_PAGE,
    Boundary,
    Page,
    page_of,
    walk_to,
)
from contactd.store.schema import BLOCK_BITS

__all__ = ["ENTRY_EXPRESSION", "Page", "page_entries"]

_BLOCK_SIZE = 1 << BLOCK_BITS
# The block holding the listing's entry at :skip (0-based) and how many of the app's
# contacts lie in the blocks before it: a running sum over the app's block counts
# (bench/profile.md, "contact_blocks' block size").
_BLOCK_OF_OFFSET = (
    "SELECT min(block), before FROM (SELECT block, n, sum(n) OVER (ORDER BY block"
    " ROWS UNBOUNDED PRECEDING) - n AS before FROM contact_blocks WHERE app_id = :app)"
    " WHERE before + n > :skip"
)


def _value(field: V1Field) -> str:
    """The field's value for json_object, from the contact's row."""
    if field.render is V1Render.NAME:
        return NAME_EXPRESSION
    if field.render is V1Render.INTEGER:
        return f"CAST({field.column} AS INTEGER)"
    return field.column


_PLAIN = [f for f in V1_ENTRY if f.render is not V1Render.JSON]
_EMBEDDED = [f for f in V1_ENTRY if f.render is V1Render.JSON]
ENTRY_EXPRESSION = (
    "rtrim(json_object("
    + ", ".join(f"'{f.wire}', {_value(f)}" for f in _PLAIN)
    + "), '}')"
    + "".join(f" || ',\"{f.wire}\":' || {f.column}" for f in _EMBEDDED)
    + " || '}'"
)
"""A contact's v1 entry as JSON text: json_object of the plain fields, its closing brace
cut (their values are strings, numbers or null, so it ends in exactly one), then the
JSON fields (`V1_ENTRY` puts them last) embedded as stored, which json_object would
re-render through json()."""

_PAGE = (
    "SELECT (SELECT contact_count FROM apps WHERE app_id = :app),"
    " (SELECT list_version FROM apps WHERE app_id = :app),"
    " '[' || coalesce(group_concat(e, ','), '') || ']', count(*), max(seq)"
    " FROM (SELECT seq, " + ENTRY_EXPRESSION + " AS e FROM contacts WHERE {rows})"
)
# A page that starts right after a seq reads its rows in order; one that skips entries
# first walks them on the covering (app_id, seq, name_key) index, then reads its rows.
_AFTER = _PAGE.replace("{rows}", "app_id = :app AND seq > :after ORDER BY seq LIMIT :limit")
_SKIPPING = _PAGE.replace(
    "{rows}",
    "seq IN (SELECT seq FROM contacts INDEXED BY contacts_by_app_seq_name"
    " WHERE app_id = :app AND seq > :after ORDER BY seq LIMIT :limit OFFSET :skip)"
    " ORDER BY seq",
)
_APP = "SELECT contact_count, list_version FROM apps WHERE app_id = :app"


def page_entries(
    conn: sqlite3.Connection, app_id: int, *, offset: int, limit: int, start: Boundary | None
) -> Page:
    """The page at `offset` of the app's contacts, as v1 entries, and its count.

    `start` is where an earlier page ended, used if the app's `list_version` is still
    the one it was taken at (checked in the page's own snapshot).
    """
    after, skip = (start.after_seq, offset - start.offset) if start is not None else (0, offset)
    if skip <= _BLOCK_SIZE:
        params = {"app": app_id, "after": after, "skip": skip, "limit": limit}
        row = _one(conn, params)
        if row is None:
            return EMPTY_PAGE
        if start is None or start.version == row[1]:
            return page_of(row, offset)
    conn.execute("BEGIN")  # the block's start and the page in one snapshot
    try:
        state = conn.execute(_APP, {"app": app_id}).fetchone()
        answer, after, skip = walk_to(state, start, offset)
        if answer is not None:
            return answer
        if skip > _BLOCK_SIZE:
            after, skip = _block_start(conn, app_id, offset)
        params = {"app": app_id, "after": after, "skip": skip, "limit": limit}
        row = _one(conn, params)
        return EMPTY_PAGE if row is None else page_of(row, offset)
    finally:
        conn.execute("COMMIT")


def _one(conn: sqlite3.Connection, params: dict[str, int]) -> tuple[int, int, str, int, int] | None:
    """The page's row; None when there is no such app."""
    row = conn.execute(_SKIPPING if params["skip"] else _AFTER, params).fetchone()
    return None if row[0] is None else row


def _block_start(conn: sqlite3.Connection, app_id: int, offset: int) -> tuple[int, int]:
    """Where the entry at `offset` is found: (after_seq, skip) with a skip below one
    block, from the app's block counts (`contact_blocks`)."""
    row = conn.execute(_BLOCK_OF_OFFSET, {"app": app_id, "skip": offset}).fetchone()
    if row is None or row[0] is None:  # past the end: the kept count and blocks disagree
        return 0, offset
    block, before = int(row[0]), int(row[1])
    return (block << BLOCK_BITS) - 1, offset - before

"""Page-number listing with the name filter (v1 getContact) for the SQLite backend.

A listing is the app's contacts in seq order whose folded name (`name_key`, see
`domain.names.search_key`) contains the folded query. The count and the page come from
the same structure, chosen by the length of the folded query:

- **no filter**: the count is the app's kept `contact_count` (O(1)); the page walks the
  `(app_id, seq, name_key)` index, never the rows, and reads only the rows it returns.
  An offset more than one block (4,096) past its start is first found in
  `contact_blocks` (migration 0004: the app's contacts counted per block of 4,096 seq
  values, kept by triggers): a running sum over the blocks (245 for a 1M app) names the
  block holding the offset, and the walk skips within that block only.
- **a name query**: the count and the plan of the page come from the name dictionary
  (store/name_index.py: its module docstring says which structure answers what). The
  walk of the app's slice of the covering `(app_id, seq, name_key)` index tests
  `instr()`, which has no wildcards, so `%`, `_`, `*` and `"` are literal, and never
  reads the rows; the lookup reads the contacts of the matching names through
  `(app_id, name_key, seq)` and sorts them.

`python bench/sqlite_name_search.py FILE [--sole]` measures what each kind of query
costs on a 1M-contact app (bench/profile.md, "SQLite v1 name search").

An offset costs a walk over the skipped matches. A client that walks pages in order
asks for the offset where its previous page ended, so each page's end is remembered
(`PageBoundaries`) and the next page seeks past it: an unfiltered walk costs the same
per page at any depth. A boundary is exact while the app's `list_version` is unchanged
(migration 0002 bumps it on deletes and renames; inserts only append), and it is
checked in the same read transaction as the page. A filtered count is remembered the
same way (`CountMemo`, store/listing_memo.py), valid while the app's
(`list_version`, `contact_count`) pair is unchanged, so a page of a common name does
not count its matches again (bench/RESULTS.md's case v1_mike).
"""

from __future__ import annotations

import json
import sqlite3

from contactd.store.listing_memo import (
    Boundary,
    CountMemo,
    KnownCount,
    Listing,
    PageBoundaries,
    resume,
)
from contactd.store.schema import BLOCK_BITS
from contactd.store.sqlite_contacts import CONTACT_COLUMNS, contact_from_row
from contactd.store.sqlite_names import count_matching, name_seqs

__all__ = [
    "BLOCK_BITS",
    "Boundary",
    "CountMemo",
    "KnownCount",
    "Listing",
    "PageBoundaries",
    "list_page",
]

_BLOCK_SIZE = 1 << BLOCK_BITS

# The block holding the listing's entry at :skip (0-based), and how many of the app's
# contacts lie in the blocks before it: a running sum over the app's block counts. The
# bare column `before` is taken from the row of min(block) (SQLite's rule for min/max),
# which saves sorting the sums. 4,096 a block balances the sum over the blocks against
# the skip within one block (bench/profile.md, "contact_blocks' block size").
_BLOCK = (
    "SELECT min(block), before FROM (SELECT block, n, sum(n) OVER (ORDER BY block"
    " ROWS UNBOUNDED PRECEDING) - n AS before FROM contact_blocks WHERE app_id = :app)"
    " WHERE before + n > :skip"
)

_APP = "SELECT contact_count, list_version FROM apps WHERE app_id = :app"
_PAGE = f"SELECT {CONTACT_COLUMNS} FROM contacts WHERE seq IN ({{seqs}}) ORDER BY seq"
_SLICE = "contacts INDEXED BY contacts_by_app_seq_name WHERE app_id = :app AND seq > :after"
_TAIL = "ORDER BY {seq} LIMIT :limit OFFSET :skip"
_ALL = f"SELECT seq FROM {_SLICE} " + _TAIL.format(seq="seq")
_FOUND = "SELECT value FROM json_each(:found)"
"""The seqs a name query found (a JSON array): one statement text, prepared once."""


def list_page(
    conn: sqlite3.Connection,
    app_id: int,
    *,
    key: str,
    offset: int,
    limit: int,
    start: Boundary | None,
    known: KnownCount | None = None,
) -> Listing:
    """One page and the count of matches, from one read snapshot of `conn`.

    `known` is a count of the same query remembered from an earlier snapshot; it is used
    only if the app's (list_version, contact_count) pair is still the one it was taken at.
    """
    conn.execute("BEGIN")  # one read snapshot for the count and the page
    try:
        params: dict[str, object] = {"app": app_id, "key": key}
        app = conn.execute(_APP, params).fetchone()
        if app is None:
            return Listing(0, [], 0)
        total, version = int(app[0]), int(app[1])
        if not key:
            count = total
        elif known is not None and (known.version, known.total) == (version, total):
            count = known.matching
        else:
            count = count_matching(conn, app_id, key)
        if offset >= count:
            return Listing(count, [], version, total)
        after, skip = resume(start, version, offset)
        if not key:
            if skip > _BLOCK_SIZE:
                after, skip = _block_start(conn, app_id, offset)
            seqs = _ALL
        else:
            found = name_seqs(
                conn, app_id, key, matching=count, total=total, after=after, wanted=skip + limit
            )
            params["found"] = json.dumps(found[skip:])
            seqs = _FOUND
        params.update(after=after, skip=skip, limit=limit)
        rows = conn.execute(_PAGE.format(seqs=seqs), params).fetchall()
        return Listing(count, [contact_from_row(row) for row in rows], version, total)
    finally:
        conn.execute("COMMIT")


def _block_start(conn: sqlite3.Connection, app_id: int, offset: int) -> tuple[int, int]:
    """Where the unfiltered listing's entry at `offset` is found: (after_seq, skip) with
    a skip below one block, from the app's block counts (`contact_blocks`)."""
    row = conn.execute(_BLOCK, {"app": app_id, "skip": offset}).fetchone()
    if row is None or row[0] is None:  # past the end: the kept count and blocks disagree
        return 0, offset
    block, before = int(row[0]), int(row[1])
    return (block << BLOCK_BITS) - 1, offset - before

"""Page-number listing with the name filter (v1 getContact) for the SQLite backend.

A listing is the app's contacts in seq order whose folded name (`name_key`, see
`domain.names.search_key`) contains the folded query. The count and the page come from
the same structure, chosen by the length of the folded query:

- **no filter**: the count is the app's kept `contact_count` (O(1)); the page walks the
  `(app_id, seq, name_key)` index, never the rows, and reads only the rows it returns.
- **3+ characters**: the FTS5 trigram index `contacts_name`. A phrase of trigrams is
  exactly a substring match; the query is quoted as one FTS5 string, so `%`, `_`, `*`
  and `"` are literal. The index spans all apps, so each match is checked against the
  app through the narrow `(seq, app_id)` index, in a join order forced with CROSS JOIN
  and INDEXED BY (the planner's own order scans the app and probes FTS per row: 45 s
  for one count below). When no other app has contacts in the file, the check is
  skipped (two index seeks tell).
- **1-2 characters**: below a trigram, FTS5 MATCH finds nothing, and its LIKE falls back
  to a scan of every app (and folds ASCII only). These queries scan the app's slice of
  the covering `(app_id, seq, name_key)` index with `instr()`, which has no wildcards,
  never reading the rows. Short queries match most names, so a page fills within its
  first entries; the count reads the whole slice.

Measured with `python bench/sqlite_name_search.py FILE [--sole]` on this 2-CPU machine
(best of 3, with other work running): one app of 1M contacts named like "Mike17 Ross",
plus one of 100k (or none, `--sole`). Each figure is one call: count plus page.

    no filter: page 1 / offset 500,000 / 999,990     0.03 / 14-28 / 28-40 ms
    3+ chars, 24k-100k matches, page 1 / mid-list    22-35 / 31-58 ms
      the same, app alone in the file                2.5-10 / 5-13 ms
      (one count with the planner's join order: 45,000 ms; checking the app on the
      rows instead of the (seq, app_id) index: 270 ms, against 52 ms)
    1-2 chars (200k-800k matches, or none)           80-190 ms, any page

An offset costs a walk over the skipped matches. A client that walks pages in order
asks for the offset where its previous page ended, so each page's end is remembered
(`PageBoundaries`) and the next page seeks past it: an unfiltered walk costs 0.04 ms
a page at any depth. A boundary is exact while the app's `list_version` is unchanged
(migration 0002 bumps it on deletes and renames; inserts only append), and it is
checked in the same read transaction as the page. A filtered page still counts every
match, so the boundary saves it only the walk to its offset.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from typing import NamedTuple

from contactd.domain.models import Contact
from contactd.store.sqlite_contacts import CONTACT_COLUMNS, contact_from_row

__all__ = ["TRIGRAM", "Boundary", "Listing", "PageBoundaries", "fts_phrase", "list_page"]

TRIGRAM = 3
"""The shortest query the trigram index can answer."""

_APP = "SELECT contact_count, list_version FROM apps WHERE app_id = :app"
_PAGE = f"SELECT {CONTACT_COLUMNS} FROM contacts WHERE seq IN ({{seqs}}) ORDER BY seq"
_SLICE = "contacts INDEXED BY contacts_by_app_seq_name WHERE app_id = :app"
_SLICE_MATCH = f"{_SLICE} AND instr(name_key, :key) > 0"
# Whether any contact of another app exists: two index seeks, whatever the sizes.
_SHARED = (
    "SELECT EXISTS (SELECT 1 FROM contacts INDEXED BY contacts_by_app_seq_name"
    " WHERE app_id < :app) OR EXISTS (SELECT 1 FROM contacts INDEXED BY"
    " contacts_by_app_seq_name WHERE app_id > :app)"
)
_TRIGRAM_MATCH = (
    "contacts_name f CROSS JOIN contacts c INDEXED BY contacts_by_seq_app"
    " ON c.seq = f.rowid WHERE contacts_name MATCH :phrase AND c.app_id = :app"
)
# When the app holds every contact of the file (the usual self-hosted case), the app
# check of each match is dropped: measured 5-15x faster.
_TRIGRAM_MATCH_SOLE = "contacts_name f WHERE contacts_name MATCH :phrase"
_TAIL = "ORDER BY {seq} LIMIT :limit OFFSET :skip"


class _Plan(NamedTuple):
    counter: str | None
    """Counts the matches; None: the app's kept contact count."""
    seqs: str
    """The seqs of one page of matches."""


def _plan(source: str, seq: str) -> _Plan:
    return _Plan(
        counter=f"SELECT count(*) FROM {source}",
        seqs=f"SELECT {seq} FROM {source} AND {seq} > :after " + _TAIL.format(seq=seq),
    )


_ALL = _Plan(None, f"SELECT seq FROM {_SLICE} AND seq > :after " + _TAIL.format(seq="seq"))
_SHORT = _plan(_SLICE_MATCH, "seq")
_TRIGRAM = _plan(_TRIGRAM_MATCH, "f.rowid")
_TRIGRAM_SOLE = _plan(_TRIGRAM_MATCH_SOLE, "f.rowid")


class Boundary(NamedTuple):
    """`offset` matching rows of the listing have seq <= `after_seq`, at `version`."""

    version: int
    offset: int
    after_seq: int


class Listing(NamedTuple):
    matching: int
    """How many contacts match in all (not the page length)."""
    contacts: list[Contact]
    version: int


def fts_phrase(key: str) -> str:
    """`key` as one FTS5 string: every character literal, `"` doubled."""
    return '"' + key.replace('"', '""') + '"'


def list_page(
    conn: sqlite3.Connection,
    app_id: int,
    *,
    key: str,
    offset: int,
    limit: int,
    start: Boundary | None,
) -> Listing:
    """One page and the count of matches, from one read snapshot of `conn`."""
    conn.execute("BEGIN")
    try:
        return _list_page(conn, app_id, key=key, offset=offset, limit=limit, start=start)
    finally:
        conn.execute("COMMIT")


def _list_page(
    conn: sqlite3.Connection,
    app_id: int,
    *,
    key: str,
    offset: int,
    limit: int,
    start: Boundary | None,
) -> Listing:
    params: dict[str, object] = {"app": app_id, "key": key, "phrase": fts_phrase(key)}
    app = conn.execute(_APP, params).fetchone()
    if app is None:
        return Listing(0, [], 0)
    total, version = int(app[0]), int(app[1])
    plan = _choose(conn, params, key)
    count = total if plan.counter is None else int(conn.execute(plan.counter, params).fetchone()[0])
    if offset >= count:
        return Listing(count, [], version)
    if start is not None and start.version == version and start.offset <= offset:
        params.update(after=start.after_seq, skip=offset - start.offset)
    else:
        params.update(after=0, skip=offset)
    params["limit"] = limit
    rows = conn.execute(_PAGE.format(seqs=plan.seqs), params).fetchall()
    return Listing(count, [contact_from_row(row) for row in rows], version)


def _choose(conn: sqlite3.Connection, params: dict[str, object], key: str) -> _Plan:
    if not key:
        return _ALL
    if len(key) < TRIGRAM:
        return _SHORT
    return _TRIGRAM if conn.execute(_SHARED, params).fetchone()[0] else _TRIGRAM_SOLE


class PageBoundaries:
    """Where recent pages ended, per (app, folded query): a bounded LRU map.

    Used from the event loop thread only (the store looks up before a query and records
    after it), so it needs no lock.
    """

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = capacity
        self._ends: OrderedDict[tuple[int, str, int], Boundary] = OrderedDict()

    def find(self, app_id: int, key: str, offset: int) -> Boundary | None:
        found = self._ends.get((app_id, key, offset))
        if found is not None:
            self._ends.move_to_end((app_id, key, offset))
        return found

    def record(self, app_id: int, key: str, offset: int, listing: Listing) -> None:
        """Remember where the page that started at `offset` ended."""
        if not listing.contacts:
            return
        end = offset + len(listing.contacts)
        self._ends[(app_id, key, end)] = Boundary(listing.version, end, listing.contacts[-1].seq)
        self._ends.move_to_end((app_id, key, end))
        while len(self._ends) > self._capacity:
            self._ends.popitem(last=False)

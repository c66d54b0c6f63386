"""The name dictionary on SQLite (migration 0011; store/name_index.py says what it is):
the ids of its names and the queries that read it (store/sqlite_name_fold.py writes it).

A name's id is `(app_id << 39) + s`, s the seq of the first contact carrying it
(migration 0014), so that the app's names are one rowid range of the trigram index
`names_fts`, in the order of their first contacts: a query reads the postings of its
own app only (FTS5 seeks to a rowid bound), and a first page reads the first names
holding it. App ids are 7 digits (`domain.apps`), under 2^24.
"""

from __future__ import annotations

import json
import sqlite3

from contactd.store.name_index import (
    GRAM,
    Matches,
    first_names_cost,
    lookup_cost,
    walk_budget,
    walk_is_cheaper,
)

__all__ = [
    "FRAGMENT_MAX",
    "NO_SEQ",
    "SPLIT_COUNT_CONTACTS_PER_NAME",
    "app_range",
    "candidate_names",
    "count_matching",
    "distinct_names",
    "first_names_cheaper",
    "fts_phrase",
    "name_id",
    "name_seqs",
    "page_cost",
]

FRAGMENT_MAX = 5
"""Queries this short are counted from `name_fragments` (and the pending changes): the
fold takes thousands of name changes at once, which share most of their fragments, so
that fragments of 4 and 5 characters cost a write far less than in its own transaction
(bench/profile.md, "the fragment counts, deferred")."""

_APP_SHIFT = 39
NO_SEQ = 1 << 62
"""A bound past every seq."""


def app_range(app_id: int) -> tuple[int, int]:
    """The first and last id an app's names may take: one rowid range."""
    low = app_id << _APP_SHIFT
    return low, low + (1 << _APP_SHIFT) - 1


def name_id(app_id: int, first_seq: int) -> int:
    """The id of an app's name whose first contact has seq `first_seq`."""
    return (app_id << _APP_SHIFT) + first_seq


def fts_phrase(key: str) -> str:
    """`key` as one FTS5 string: every character literal, `"` doubled. A phrase of
    trigrams is exactly a substring match."""
    return '"' + key.replace('"', '""') + '"'


SPLIT_COUNT_CONTACTS_PER_NAME = 3
"""An app with fewer contacts than this per distinct name counts a longer query the
split way (`_COUNT_LONG`): at under 2 a name on average, most names are carried by one
contact."""

_SHORT = "SELECT name_key, n FROM names WHERE app_id = :app AND instr(name_key, :key) > 0"
"""The names holding a query shorter than a trigram: the app's slice of the dictionary."""

_BY_TRIGRAMS = (
    "SELECT n.name_key, n.n FROM names_fts f CROSS JOIN names n ON n.name_id = f.rowid"
    " WHERE names_fts MATCH :phrase AND f.rowid >= :low AND f.rowid <= :high"
)


def candidate_names(app_id: int, key: str) -> tuple[str, dict[str, object]]:
    """The query selecting (name_key, n) of the app's names containing `key`, and its
    parameters."""
    if len(key) < GRAM:
        return _SHORT, {"app": app_id, "key": key}
    low, high = app_range(app_id)
    return _BY_TRIGRAMS, {"phrase": fts_phrase(key), "low": low, "high": high}


# A longer query's count in an app of many names each carried by a contact or two:
# every name holding it counts one contact, read from the trigram index alone, and each
# one carried by more contacts counts the others, read from the index of those names
# and their rows (a few of the names). In an app whose names repeat, nearly every name
# is of the second kind: one pass over the names and their rows reads less.
_COUNT_LONG = (
    "SELECT (SELECT count(*) FROM names_fts WHERE names_fts MATCH :phrase"
    " AND rowid >= :low AND rowid <= :high) + (SELECT coalesce(sum(n.n - 1), 0)"
    " FROM names_shared_fts f CROSS JOIN names n ON n.name_id = f.rowid"
    " WHERE names_shared_fts MATCH :phrase AND f.rowid >= :low AND f.rowid <= :high)"
)


# A short query's count: its fragment's row, and the changes not folded into it yet of
# the app's names holding it (a scan of the app's pending names, in the same snapshot).
_COUNT_SHORT = (
    "SELECT coalesce((SELECT n FROM name_fragments WHERE app_id = :app AND fragment = :key), 0)"
    " + (SELECT coalesce(sum(delta), 0) FROM name_pending"
    " WHERE app_id = :app AND instr(name_key, :key) > 0)"
)


def count_matching(conn: sqlite3.Connection, app_id: int, key: str) -> int:
    """How many of the app's contacts have a name containing `key` (not empty)."""
    if len(key) <= FRAGMENT_MAX:
        return int(conn.execute(_COUNT_SHORT, {"app": app_id, "key": key}).fetchone()[0])
    app = conn.execute(_NAMES_OF_APP, (app_id,)).fetchone()
    if app is not None and int(app[0]) < SPLIT_COUNT_CONTACTS_PER_NAME * int(app[1]):
        low, high = app_range(app_id)
        params = {"phrase": fts_phrase(key), "low": low, "high": high}
        return int(conn.execute(_COUNT_LONG, params).fetchone()[0])
    query, params = candidate_names(app_id, key)
    return int(conn.execute(f"SELECT coalesce(sum(n), 0) FROM ({query})", params).fetchone()[0])


# The walk: the app's slice of the covering (app_id, seq, name_key) index in creation
# order up to :until, testing each name with instr(), which has no wildcards.
_WALK = (
    "SELECT seq FROM contacts INDEXED BY contacts_by_app_seq_name WHERE app_id = :app"
    " AND seq > :after AND seq <= :until AND instr(name_key, :key) > 0"
    " ORDER BY seq LIMIT :wanted"
)
# The app's first and last seq: two seeks of the (app_id, seq) index.
_SPAN = (
    "SELECT (SELECT min(seq) FROM contacts WHERE app_id = :app),"
    " (SELECT max(seq) FROM contacts WHERE app_id = :app)"
)
# The lookup: the matching names' contacts through (app_id, name_key, seq), merged in
# creation order.
_LOOKUP = (
    "SELECT c.seq FROM ({names}) m CROSS JOIN contacts c INDEXED BY contacts_by_app_name_seq"
    " ON c.app_id = :app AND c.name_key = m.name_key WHERE c.seq > :after"
    " ORDER BY c.seq LIMIT :wanted"
)


# The first page from the start of the listing, when read from the first names holding
# the query: the app's names in the order of their first contacts (the trigram index's
# rowid order, migration 0014), each with how many contacts carry it. A name carried by
# one contact is that contact, whose seq its id holds; the contacts of the others up to
# :bound are sought through (app_id, name_key, seq), by the keys already read.
_FIRST_NAMES = (
    "SELECT f.rowid, n.n, n.name_key FROM (SELECT rowid FROM names_fts"
    " WHERE names_fts MATCH :phrase AND rowid >= :low AND rowid <= :high"
    " ORDER BY rowid LIMIT :wanted) f CROSS JOIN names n ON n.name_id = f.rowid"
    " ORDER BY f.rowid"
)
_FIRST_SHARED_CONTACTS = (
    "SELECT c.seq FROM json_each(:keys) k CROSS JOIN contacts c INDEXED BY contacts_by_app_name_seq"
    " ON c.app_id = :app AND c.name_key = k.value AND c.seq <= :bound"
    " ORDER BY c.seq LIMIT :wanted"
)


def name_seqs(
    conn: sqlite3.Connection,
    app_id: int,
    key: str,
    *,
    matching: int,
    total: int,
    after: int,
    wanted: int,
) -> list[int]:
    """The first `wanted` seqs past `after` of the app's contacts whose name contains
    `key` (`matching` of the app's `total` do), by the cheapest way
    (store/name_index.py, "page"). A walk that reaches its budget without filling the
    page and before the app's last contact gives way to the lookup."""
    params: dict[str, object] = {"app": app_id, "key": key, "after": after, "wanted": wanted}
    distinct = distinct_names(conn, app_id)
    if first_names_cheaper(
        key, after=after, wanted=wanted, matches=Matches(matching, total, distinct)
    ):
        return _first_names_seqs(conn, app_id, key, wanted=wanted)
    if walk_is_cheaper(wanted=wanted, matching=matching, total=total, names=distinct):
        first, last = conn.execute(_SPAN, params).fetchone()
        if first is None:
            return []
        # The budget in entries as a bound on seq, at the app's mean spacing of seqs (a
        # bound, not an exact count of entries: apps written in turns interleave).
        budget = walk_budget(wanted=wanted, matching=matching, total=total)
        until = max(after, first - 1) + int(budget * (last - first + 1) / max(total, 1))
        found = [int(row[0]) for row in conn.execute(_WALK, {**params, "until": until})]
        if len(found) >= wanted or until >= last:
            return found
    names, name_params = candidate_names(app_id, key)
    params.update(name_params)
    return [int(row[0]) for row in conn.execute(_LOOKUP.format(names=names), params)]


def first_names_cheaper(key: str, *, after: int, wanted: int, matches: Matches) -> bool:
    """Whether the page is read from the first names holding `key`: only from the start
    of the listing, through the trigram index, and when both the walk and the lookup
    would read more."""
    matching, total, names = matches
    if after > 0 or len(key) < GRAM or matching <= 0:
        return False
    return first_names_cost(wanted=wanted) < min(
        wanted * total / matching, lookup_cost(matching=matching, total=total, names=names)
    )


def _first_names_seqs(conn: sqlite3.Connection, app_id: int, key: str, *, wanted: int) -> list[int]:
    """The first `wanted` seqs of the app's contacts whose name contains `key`: those of
    the first `wanted` names holding it, up to the last of their first contacts (with
    fewer names than that, they are all the names holding it, and no bound applies).
    Each name's first contact is its id; the shared names add their other contacts."""
    low, high = app_range(app_id)
    params: dict[str, object] = {
        "phrase": fts_phrase(key),
        "low": low,
        "high": high,
        "wanted": wanted,
        "app": app_id,
    }
    names = conn.execute(_FIRST_NAMES, params).fetchall()
    firsts = [int(name_id) - low for name_id, _, _ in names]
    shared = [name_key for _, carried_by, name_key in names if carried_by > 1]
    if not shared:
        return firsts
    # Bounded by the last first contact, or by the app's last id (its names alone).
    params["bound"] = firsts[-1] if len(firsts) == wanted else high - low
    params["keys"] = json.dumps(shared)
    others = [int(row[0]) for row in conn.execute(_FIRST_SHARED_CONTACTS, params)]
    return sorted(set(firsts).union(others))[:wanted]


def page_cost(
    conn: sqlite3.Connection, app_id: int, key: str, *, total: int, wanted: int
) -> float | None:
    """What a page ending `wanted` matches into the query, read from the start of the
    listing, would read, in entries of the walk, when its count is one row (`key` at
    most `FRAGMENT_MAX` characters); None for a longer query, whose count sums over the
    names holding it, and for a lookup whose names are not found through the trigram
    index."""
    if len(key) > FRAGMENT_MAX:
        return None
    matching = count_matching(conn, app_id, key)
    names = distinct_names(conn, app_id)
    if first_names_cheaper(key, after=0, wanted=wanted, matches=Matches(matching, total, names)):
        return first_names_cost(wanted=wanted)
    if walk_is_cheaper(wanted=wanted, matching=matching, total=total, names=names):
        return wanted * total / matching
    if len(key) < GRAM:  # the lookup's names are found by a scan of the app's names
        return None
    return lookup_cost(matching=matching, total=total, names=names)


_NAMES_OF_APP = "SELECT contact_count, distinct_names FROM apps WHERE app_id = ?"


def distinct_names(conn: sqlite3.Connection, app_id: int) -> int:
    """How many distinct names the app's contacts carry (kept by the fold)."""
    row = conn.execute(_NAMES_OF_APP, (app_id,)).fetchone()
    return 0 if row is None else int(row[1])

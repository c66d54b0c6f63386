"""The name dictionary on SQLite (migration 0011; store/name_index.py says what it is):
folding a write's logged name changes into it, and the queries that read it.

A name's id is `(app_id << 32) + k`, k counting the app's names from 1, so that the
app's names are one rowid range of the trigram index `names_fts`: a query reads the
postings of its own app only (FTS5 seeks to a rowid bound). App ids are 7 digits
(`domain.apps`), well below 2^31.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from contactd.store.name_index import (
    FRAGMENT_MAX,
    GRAM,
    fold,
    lookup_cost,
    walk_budget,
    walk_is_cheaper,
)

__all__ = [
    "SPLIT_COUNT_CONTACTS_PER_NAME",
    "candidate_names",
    "count_matching",
    "distinct_names_at_most",
    "fold_name_changes",
    "fts_phrase",
    "name_seqs",
    "page_cost",
]

_APP_SHIFT = 32
_ROWS_PER_STATEMENT = 1000
"""Rows per multi-row statement: 3,000 parameters at most, under SQLite's 32,766."""

_LOGGED = "SELECT app_id, name_key, delta FROM name_changes"
# The names of the log that the app has already, counted in one statement: those it
# does not return are new to their app.
_COUNT_NAMES = (
    "UPDATE names SET n = n + d.column3 FROM (VALUES {}) d"
    " WHERE names.app_id = d.column1 AND names.name_key = d.column2"
    " RETURNING names.name_id, names.app_id, names.name_key, names.n"
)
_LAST_NAME_ID = "SELECT max(name_id) FROM names WHERE name_id BETWEEN ? AND ?"
# An app's fragment changes in one statement, as a JSON object {fragment: delta}: a
# write of repeating names changes hundreds of fragments, and a statement per row costs
# more than decoding them (bench/profile.md, "Name search over varied names"). WHERE
# true: SQLite's parser needs it before an upsert's ON CONFLICT.
_COUNT_FRAGMENTS = (
    "INSERT INTO name_fragments (app_id, fragment, n) SELECT ?, key, value FROM json_each(?)"
    " WHERE true ON CONFLICT (app_id, fragment) DO UPDATE SET n = n + excluded.n"
)


def _app_range(app_id: int) -> tuple[int, int]:
    low = app_id << _APP_SHIFT
    return low, low + (1 << _APP_SHIFT) - 1


def fold_name_changes(conn: sqlite3.Connection) -> None:
    """Fold the open transaction's logged name changes into the dictionary, and empty
    the log. Run before every commit of the writer.

    The trigram index is written in one statement per chunk of names: FTS5 flushes its
    pending terms at the end of every statement, so a statement per name would write
    (and later merge) a segment per name."""
    logged = conn.execute(_LOGGED).fetchall()
    if not logged:
        return
    conn.execute("DELETE FROM name_changes")
    changes = fold(logged)
    deltas = {(app_id, key): delta for app_id, key, delta in changes.names}
    known: set[tuple[int, str]] = set()
    gone: list[tuple[int, str]] = []  # (name_id, name_key)
    shared: list[tuple[int, str]] = []  # names now carried by 2 contacts or more
    single: list[tuple[int, str]] = []  # names no longer
    for name_id, app_id, key, n in _each_chunk(conn, _COUNT_NAMES, "(?, ?, ?)", changes.names):
        known.add((app_id, key))
        if n == 0:
            gone.append((name_id, key))
        before = n - deltas[app_id, key]
        if before < 2 <= n:
            shared.append((name_id, key))
        elif n < 2 <= before:
            single.append((name_id, key))
    new: list[tuple[int, int, str, int]] = []  # (name_id, app_id, name_key, n)
    next_id: dict[int, int] = {}
    for app_id, key, delta in changes.names:
        if (app_id, key) in known:
            continue
        if app_id not in next_id:
            next_id[app_id] = _app_range(app_id)[0] + distinct_names_at_most(conn, app_id) + 1
        new.append((next_id[app_id], app_id, key, delta))
        if delta >= 2:
            shared.append((next_id[app_id], key))
        next_id[app_id] += 1
    _each_chunk(
        conn,
        "INSERT INTO names_fts (names_fts, rowid, name_key) VALUES {}",
        "('delete', ?, ?)",
        gone,
    )
    _each_chunk(conn, "DELETE FROM names WHERE name_id IN ({})", "?", [(i,) for i, _ in gone])
    _each_chunk(
        conn, "INSERT INTO names (name_id, app_id, name_key, n) VALUES {}", "(?, ?, ?, ?)", new
    )
    _each_chunk(
        conn,
        "INSERT INTO names_fts (rowid, name_key) VALUES {}",
        "(?, ?)",
        [(i, key) for i, _, key, _ in new],
    )
    _each_chunk(
        conn,
        "INSERT INTO names_shared_fts (names_shared_fts, rowid, name_key) VALUES {}",
        "('delete', ?, ?)",
        single,
    )
    _each_chunk(conn, "INSERT INTO names_shared_fts (rowid, name_key) VALUES {}", "(?, ?)", shared)
    per_app: dict[int, dict[str, int]] = {}
    for app_id, fragment, delta in changes.fragments:
        per_app.setdefault(app_id, {})[fragment] = delta
    for app_id, deltas_of in per_app.items():
        conn.execute(_COUNT_FRAGMENTS, (app_id, json.dumps(deltas_of, ensure_ascii=False)))


def _each_chunk(
    conn: sqlite3.Connection, statement: str, row: str, rows: Sequence[tuple[object, ...]]
) -> list[tuple[Any, ...]]:
    """Run `statement` over `rows`, `_ROWS_PER_STATEMENT` at a time, its `{}` the chunk's
    `row` placeholders; what the statements return (fetched whole: a RETURNING statement
    left unfinished would block the COMMIT)."""
    returned: list[tuple[Any, ...]] = []
    for at in range(0, len(rows), _ROWS_PER_STATEMENT):
        chunk = rows[at : at + _ROWS_PER_STATEMENT]
        sql = statement.format(", ".join([row] * len(chunk)))
        returned += conn.execute(sql, [v for r in chunk for v in r]).fetchall()
    return returned


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
    low, high = _app_range(app_id)
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


def count_matching(conn: sqlite3.Connection, app_id: int, key: str) -> int:
    """How many of the app's contacts have a name containing `key` (not empty)."""
    if len(key) <= FRAGMENT_MAX:
        row = conn.execute(
            "SELECT n FROM name_fragments WHERE app_id = ? AND fragment = ?", (app_id, key)
        ).fetchone()
        return int(row[0]) if row else 0
    names = distinct_names_at_most(conn, app_id)
    total = conn.execute("SELECT contact_count FROM apps WHERE app_id = ?", (app_id,)).fetchone()
    if total is not None and int(total[0]) < SPLIT_COUNT_CONTACTS_PER_NAME * names:
        low, high = _app_range(app_id)
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
    `key` (`matching` of the app's `total` do), by the cheaper way
    (`name_index.walk_is_cheaper`). A walk that reaches its budget without filling the
    page and before the app's last contact gives way to the lookup."""
    params: dict[str, object] = {"app": app_id, "key": key, "after": after, "wanted": wanted}
    distinct = distinct_names_at_most(conn, app_id)
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


def page_cost(
    conn: sqlite3.Connection, app_id: int, key: str, *, total: int, wanted: int
) -> float | None:
    """What a page ending `wanted` matches into the query would read, in entries of the
    walk, when its count is one row (`key` at most `FRAGMENT_MAX` characters); None for
    a longer query, whose count sums over the names holding it, and for a lookup whose
    names are not found through the trigram index."""
    if len(key) > FRAGMENT_MAX:
        return None
    matching = count_matching(conn, app_id, key)
    names = distinct_names_at_most(conn, app_id)
    if walk_is_cheaper(wanted=wanted, matching=matching, total=total, names=names):
        return wanted * total / matching
    if len(key) < GRAM:  # the lookup's names are found by a scan of the app's names
        return None
    return lookup_cost(matching=matching, total=total, names=names)


def distinct_names_at_most(conn: sqlite3.Connection, app_id: int) -> int:
    """A bound on the app's distinct names, from its highest name id (one seek): ids
    are handed out in order, and only the highest can be handed out twice."""
    low, high = _app_range(app_id)
    last = conn.execute(_LAST_NAME_ID, (low, high)).fetchone()[0]
    return 0 if last is None else int(last) - low

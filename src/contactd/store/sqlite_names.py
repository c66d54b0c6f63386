"""The name dictionary on SQLite (migration 0011; store/name_index.py says what it is):
folding a write's logged name changes into it, and the queries that read it."""

from __future__ import annotations

import sqlite3

from contactd.store.name_index import FRAGMENT_MAX, GRAM, fold, grams

__all__ = [
    "CANDIDATES_SHORT",
    "candidate_names",
    "count_matching",
    "fold_name_changes",
]

_LOGGED = "SELECT app_id, name_key, delta FROM name_changes"
_COUNT_NAME = (
    "INSERT INTO names (app_id, name_key, n) VALUES (?, ?, ?)"
    " ON CONFLICT (app_id, name_key) DO UPDATE SET n = n + excluded.n RETURNING name_id, n"
)
_ADD_GRAM = "INSERT INTO name_grams (app_id, gram, name_id) VALUES (?, ?, ?)"
_DROP_GRAM = "DELETE FROM name_grams WHERE app_id = ? AND gram = ? AND name_id = ?"
_DROP_NAME = "DELETE FROM names WHERE name_id = ?"
_COUNT_FRAGMENT = (
    "INSERT INTO name_fragments (app_id, fragment, n) VALUES (?, ?, ?)"
    " ON CONFLICT (app_id, fragment) DO UPDATE SET n = n + excluded.n"
)

# Postings counted per trigram up to this many: enough to tell a rare trigram from a
# common one without reading a common one's postings whole.
_POSTINGS_PROBE = 1000
_POSTINGS = (
    "SELECT count(*) FROM (SELECT 1 FROM name_grams WHERE app_id = ? AND gram = ?"
    f" LIMIT {_POSTINGS_PROBE})"
)


def fold_name_changes(conn: sqlite3.Connection) -> None:
    """Fold the open transaction's logged name changes into the dictionary, and empty
    the log. Run before every commit of the writer."""
    logged = conn.execute(_LOGGED).fetchall()
    if not logged:
        return
    conn.execute("DELETE FROM name_changes")
    changes = fold(logged)
    added: list[tuple[int, str, int]] = []
    dropped: list[tuple[int, str, int]] = []
    gone: list[tuple[int]] = []
    for app_id, key, delta in changes.names:
        name_id, n = conn.execute(_COUNT_NAME, (app_id, key, delta)).fetchone()
        if n == 0:
            gone.append((name_id,))
            dropped += [(app_id, gram, name_id) for gram in grams(key)]
        elif n == delta:  # the name is new to the app
            added += [(app_id, gram, name_id) for gram in grams(key)]
    conn.executemany(_DROP_GRAM, dropped)
    conn.executemany(_DROP_NAME, gone)
    conn.executemany(_ADD_GRAM, added)
    conn.executemany(_COUNT_FRAGMENT, changes.fragments)


def _rarest_gram(conn: sqlite3.Connection, app_id: int, key: str) -> str:
    counted = [
        (int(conn.execute(_POSTINGS, (app_id, gram)).fetchone()[0]), gram)
        for gram in sorted(grams(key))
    ]
    return min(counted)[1]


CANDIDATES_SHORT = "SELECT name_key, n FROM names WHERE app_id = :app AND instr(name_key, :key) > 0"
"""The names holding a query shorter than a trigram: the app's slice of the dictionary."""

_CANDIDATES_BY_GRAM = (
    "SELECT n.name_key, n.n FROM name_grams g JOIN names n ON n.name_id = g.name_id"
    " WHERE g.app_id = :app AND g.gram = :gram AND instr(n.name_key, :key) > 0"
)


def candidate_names(
    conn: sqlite3.Connection, app_id: int, key: str
) -> tuple[str, dict[str, object]]:
    """The query selecting (name_key, n) of the app's names containing `key`, and its
    parameters."""
    params: dict[str, object] = {"app": app_id, "key": key}
    if len(key) < GRAM:
        return CANDIDATES_SHORT, params
    params["gram"] = _rarest_gram(conn, app_id, key)
    return _CANDIDATES_BY_GRAM, params


def count_matching(conn: sqlite3.Connection, app_id: int, key: str) -> int:
    """How many of the app's contacts have a name containing `key` (not empty)."""
    if len(key) <= FRAGMENT_MAX:
        row = conn.execute(
            "SELECT n FROM name_fragments WHERE app_id = ? AND fragment = ?", (app_id, key)
        ).fetchone()
        return int(row[0]) if row else 0
    query, params = candidate_names(conn, app_id, key)
    return int(conn.execute(f"SELECT coalesce(sum(n), 0) FROM ({query})", params).fetchone()[0])

"""The name dictionary on PostgreSQL (migration 0011; store/name_index.py says what it
is): the count of a name query and the statement of its page.

The triggers of 0011 keep the dictionary; this module only reads it. The statements
with a pattern are never prepared: the best plan depends on the pattern, and a
prepared statement may settle on one generic plan.
"""

from __future__ import annotations

from typing import Any

from contactd.store.name_index import Matches, walk_is_cheaper

__all__ = ["FRAGMENT_MAX", "count_matching", "like_pattern", "page_query"]

FRAGMENT_MAX = 5
"""Queries this short are counted from `name_fragments` (and the pending changes): the
folds take thousands of name changes at once (store/postgres_fragment_fold.py), which
share most of their fragments, so that fragments of 4 and 5 characters cost a write far
less than in its own transaction (bench/profile.md, "the fragment counts, deferred")."""

Conn = Any  # psycopg.AsyncConnection, as store.postgres_contacts takes it

# A short query's count: its fragment's row, and the changes not folded into it yet of
# the app's names holding it, in one statement (one snapshot, which a fold's commit
# reaches whole or not at all).
_FRAGMENT = (
    "SELECT coalesce((SELECT n FROM name_fragments WHERE app_id = %(app)s"
    " AND fragment = %(key)s), 0) + (SELECT coalesce(sum(delta), 0) FROM name_pending"
    " WHERE app_id = %(app)s AND strpos(name_key, %(key)s) > 0)"
)

SLICE_NAMES = 20_000
"""An app with at most this many distinct names reads its slice of the dictionary (the
primary key's range) for the names holding a query; one with more, the trigram index,
whose postings span every app (bench/profile.md, "PostgreSQL name search")."""


def _names_holding(key: str, distinct_names: int) -> tuple[str, str]:
    """The condition on `names` (after `app_id = %s AND`) selecting those holding `key`,
    and its parameter. strpos() is no index's operator: the planner reads the app's
    slice; LIKE goes through the trigram index."""
    if distinct_names <= SLICE_NAMES:
        return "strpos(name_key, %s) > 0", key
    return "name_key LIKE %s", like_pattern(key)


def like_pattern(key: str) -> str:
    """A LIKE pattern matching `key` anywhere, its `%`, `_` and `\\` taken literally."""
    return "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


async def count_matching(conn: Conn, app_id: int, key: str, *, distinct_names: int) -> int:
    """How many of the app's contacts have a name containing `key` (not empty)."""
    if len(key) <= FRAGMENT_MAX:
        row = await (await conn.execute(_FRAGMENT, {"app": app_id, "key": key})).fetchone()
    else:
        holding, param = _names_holding(key, distinct_names)
        sql = f"SELECT coalesce(sum(n), 0) FROM names WHERE app_id = %s AND {holding}"
        row = await (await conn.execute(sql, (app_id, param), prepare=False)).fetchone()
    return int(row[0]) if row else 0


def page_query(
    select: str,
    app_id: int,
    key: str,
    matches: Matches,
    *,
    after: int,
    skip: int,
    limit: int,
) -> tuple[str, tuple[object, ...]]:
    """The statement (never to be prepared) and parameters of one page of the contacts
    matching `key`: `select` is the contact columns' SELECT ... FROM contacts."""
    matching, total, distinct_names = matches
    if walk_is_cheaper(wanted=skip + limit, matching=matching, total=total, names=distinct_names):
        # The primary key (app_id, seq) INCLUDEs name_key: the walk reads that index, in
        # creation order.
        return (
            f"{select} WHERE app_id = %s AND strpos(name_key, %s) > 0 AND seq > %s"
            " ORDER BY seq LIMIT %s OFFSET %s",
            (app_id, key, after, limit, skip),
        )
    # The first skip + limit contacts of each matching name, through
    # (app_id, name_key, seq), merged in creation order: LATERAL keeps the planner from
    # joining the names against a walk of the whole app.
    holding, param = _names_holding(key, distinct_names)
    seqs = (
        f"SELECT s.seq FROM (SELECT name_key FROM names WHERE app_id = %s AND {holding}) m"
        " CROSS JOIN LATERAL (SELECT seq FROM contacts WHERE app_id = %s"
        " AND name_key = m.name_key AND seq > %s ORDER BY seq LIMIT %s) s"
        " ORDER BY s.seq LIMIT %s OFFSET %s"
    )
    return (
        f"{select} WHERE app_id = %s AND seq IN ({seqs}) ORDER BY seq",
        (app_id, app_id, param, app_id, after, skip + limit, limit, skip),
    )

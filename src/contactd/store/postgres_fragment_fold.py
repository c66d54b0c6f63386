"""The fragment counts of the PostgreSQL store, folded from pending changes (migration
0015; store/name_index.py says why they lag the names, and why a count is exact all
the same): the triggers of 0011 append each statement's net name changes to
`name_pending`, and `fold_pending_fragments`, run a moment later by the store's
`fragment_folder.FragmentFolder`, takes up to a chunk of them into `name_fragments`.

Several processes may share the database, each with its folds: a fold takes the oldest
pending changes no other fold holds (`SKIP LOCKED`), and every fold writes its
fragment rows in key order, so that two folds wait for each other rather than
deadlock. A fold's changes leave `name_pending` and reach `name_fragments` in one
commit, which a count (one statement, one snapshot) sees whole or not at all.
"""

from __future__ import annotations

import functools
from typing import Any

from contactd.store.name_index import fragment_changes, fragments
from contactd.store.postgres_names import FRAGMENT_MAX

__all__ = ["fold_pending_fragments", "names_pending", "vacuum_pending"]

Conn = Any  # psycopg.AsyncConnection, as store.postgres_contacts takes it

# The oldest pending changes no other fold holds, taken out, netted per name; each row
# also says how many changes were taken.
_TAKE = (
    "WITH taken AS (DELETE FROM name_pending WHERE id IN (SELECT id FROM name_pending"
    " ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING app_id, name_key, delta)"
    " SELECT app_id, name_key, sum(delta)::bigint, (SELECT count(*) FROM taken) FROM taken"
    " GROUP BY app_id, name_key"
)
_COUNT = (
    "INSERT INTO name_fragments (app_id, fragment, n)"
    " SELECT * FROM unnest(%s::bigint[], %s::text[], %s::bigint[]) ORDER BY 1, 2"
    " ON CONFLICT (app_id, fragment) DO UPDATE SET n = name_fragments.n + excluded.n"
)
_ANY_PENDING = "SELECT EXISTS (SELECT 1 FROM name_pending)"
_VACUUM = "VACUUM (SKIP_LOCKED, INDEX_CLEANUP ON) name_pending"

_fragments = functools.partial(fragments, longest=FRAGMENT_MAX)


async def fold_pending_fragments(conn: Conn, chunk: int) -> int:
    """Fold up to `chunk` of the oldest pending name changes into the fragment counts,
    in the open transaction; how many were taken (with `chunk`, more may be pending)."""
    rows = await (await conn.execute(_TAKE, (chunk,))).fetchall()
    if not rows:
        return 0
    netted = [(int(app), str(key), int(delta)) for app, key, delta, _ in rows if delta]
    changes = fragment_changes(netted, _fragments)  # written in key order by _COUNT
    if changes:
        apps, keys, deltas = (list(column) for column in zip(*changes, strict=True))
        await conn.execute(_COUNT, (apps, keys, deltas))
    return int(rows[0][3])


async def vacuum_pending(conn: Conn) -> None:
    """Reclaim the changes folds took (in autocommit: VACUUM runs in no transaction).

    A count reads its app's pending changes through a bitmap scan, which visits the row
    of every index entry, a dead one too, until a vacuum removes it: between the
    autovacuum's rounds (or with autovacuum off) each count would read every change
    folded since. `SKIP_LOCKED`: when another process vacuums it, that one is enough."""
    await conn.execute(_VACUUM)


async def names_pending(conn: Conn) -> bool:
    """Whether name changes wait for their fragment counts."""
    row = await (await conn.execute(_ANY_PENDING)).fetchone()
    return bool(row and row[0])

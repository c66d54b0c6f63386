"""The fragment counts of the SQLite name dictionary, folded from the pending name
changes (migration 0015; store/name_index.py says why they lag the names, and why a
count is exact all the same).

Each write transaction appends its net name changes to `name_pending`
(`sqlite_name_fold`); `FragmentFolder` then runs, a moment later, transactions of its
own on the writer that fold up to `CHUNK` of them at once into `name_fragments`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable

from contactd.store.name_index import fragment_changes
from contactd.store.sqlite_names import FRAGMENT_MAX

__all__ = ["CHUNK", "FOLD_DELAY_SECONDS", "FragmentFolder", "fold_pending_fragments"]

log = logging.getLogger("contactd.store")

CHUNK = 20_000
"""Pending name changes folded per transaction at most. Thousands of names share most
of their fragments, so a fold of many writes at once touches a fraction of the rows
their batches would one by one (bench/profile.md, "the fragment counts, deferred"); a
bound keeps one transaction's hold on the writer short."""

FOLD_DELAY_SECONDS = 0.25
"""How long the first pending change waits for others before a fold takes them: the
longer, the more changes a fold shares its rows between, and the more pending changes
a count adds up (a scan of the app's pending names)."""

_LAST_OF_CHUNK = "SELECT max(id) FROM (SELECT id FROM name_pending ORDER BY id LIMIT ?)"
# The chunk's changes netted per name, in SQL: a name written by many transactions has a
# pending row for each.
_NETTED = (
    "SELECT app_id, name_key, sum(delta) FROM name_pending WHERE id <= ?"
    " GROUP BY app_id, name_key HAVING sum(delta) <> 0"
)
_FOLDED = "DELETE FROM name_pending WHERE id <= ?"
# An app's fragment changes in one statement, as a JSON object {fragment: delta}: a
# fold changes thousands of fragments, and a statement per row costs more than
# decoding them (bench/profile.md, "Name search over varied names"). WHERE true:
# SQLite's parser needs it before an upsert's ON CONFLICT.
_COUNT_FRAGMENTS = (
    "INSERT INTO name_fragments (app_id, fragment, n) SELECT ?, key, value FROM json_each(?)"
    " WHERE true ON CONFLICT (app_id, fragment) DO UPDATE SET n = n + excluded.n"
)


def fold_pending_fragments(conn: sqlite3.Connection, chunk: int) -> bool:
    """Fold up to `chunk` of the oldest pending name changes into the fragment counts,
    in the open transaction, and drop them; whether `chunk` were there (more may be)."""
    last = conn.execute(_LAST_OF_CHUNK, (chunk,)).fetchone()[0]
    if last is None:
        return False
    names = conn.execute(_NETTED, (last,)).fetchall()
    per_app: dict[int, dict[str, int]] = {}
    for app_id, fragment, delta in fragment_changes(names, FRAGMENT_MAX):
        per_app.setdefault(app_id, {})[fragment] = delta
    for app_id, deltas in per_app.items():
        conn.execute(_COUNT_FRAGMENTS, (app_id, json.dumps(deltas, ensure_ascii=False)))
    folded = conn.execute(_FOLDED, (last,)).rowcount
    return folded == chunk


Write = Callable[[Callable[[sqlite3.Connection], tuple[bool, int]]], Awaitable[tuple[bool, int]]]


class FragmentFolder:
    """Runs the folds while changes are pending, on the store's writer (`write` runs a
    function in one write transaction there).

    `appended` counts the write transactions that appended pending changes; it is
    raised on the writer thread, as is every fold, so a fold that started after the
    last of them has seen them all."""

    def __init__(self, write: Write) -> None:
        self._write = write
        self.appended = 0
        self._caught_up = 0
        self._task: asyncio.Task[None] | None = None

    def note_pending(self) -> None:
        """Start the folds if changes were appended since the last fold caught up (on
        the event loop, after a write)."""
        if self._task is None and self.appended != self._caught_up:
            self._task = asyncio.get_running_loop().create_task(self._run())

    def resume(self) -> None:
        """Start the folds for changes left pending by an earlier process (an upgrade,
        or one that ended before its folds); before any write of this one."""
        self.appended += 1
        self.note_pending()

    async def stop(self) -> None:
        """Stop folding (the pending changes stay for the next start)."""
        task, self._task = self._task, None
        if task is not None and task.get_loop() is asyncio.get_running_loop():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        try:
            full = False
            while True:
                if not full:
                    await asyncio.sleep(FOLD_DELAY_SECONDS)
                try:
                    full, seen = await self._write(self._fold)
                except Exception:  # a busy or full store: the changes wait for the next try
                    log.warning("folding the name fragment counts failed", exc_info=True)
                    full = False
                    continue
                if not full and seen == self.appended:
                    self._caught_up = seen
                    return
        finally:
            self._task = None

    def _fold(self, conn: sqlite3.Connection) -> tuple[bool, int]:
        seen = self.appended
        return fold_pending_fragments(conn, CHUNK), seen

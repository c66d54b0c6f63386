"""The fragment counts of the SQLite store, folded from pending changes: those of the
name dictionary (migration 0015; store/name_index.py says why they lag the names, and
why a count is exact all the same), and the digit runs of the numbers that the
console's search counts (0016).

Each write transaction appends its net name changes to `name_pending`
(`sqlite_name_fold`), and the triggers of 0016 each number changed to `phone_pending`;
`fragment_folder.FragmentFolder` then runs, a moment later, transactions of its own on
the writer that fold up to `CHUNK` of each at once into `name_fragments` and
`phone_fragments`.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from contactd.store.name_index import fragment_changes, fragments
from contactd.store.sqlite_names import FRAGMENT_MAX

__all__ = [
    "DIGIT_RUN_MAX",
    "NAMES",
    "PHONES",
    "PendingCounts",
    "digit_runs",
    "fold_pending_fragments",
    "phones_pending",
]

DIGIT_RUN_MIN = 3
"""The console searches numbers by 3 digits or more (`domain.models.ContactSearch`)."""
DIGIT_RUN_MAX = 4
"""Digit queries this long are counted from `phone_fragments` (0016): a run of 4 is in
thousands of a large file's numbers, a run of 5 in a tenth of them, which the trigram
index `contacts_phone` counts cheaply. Each more digit counted would add a row per
distinct run of each number folded, where 4 digits have 10,000 at most."""


def digit_runs(digits: str) -> frozenset[str]:
    """The distinct runs of `DIGIT_RUN_MIN` to `DIGIT_RUN_MAX` digits of a number's
    indexed text (the number sent and, apart, its phone key: a run never spans them)."""
    return frozenset(
        part[at : at + size]
        for part in digits.split(" ")
        for size in range(DIGIT_RUN_MIN, DIGIT_RUN_MAX + 1)
        for at in range(len(part) - size + 1)
    )


@dataclass(frozen=True, slots=True)
class PendingCounts:
    """A table of changes waiting for their fragment counts, and how to fold them."""

    pending: str
    """The table of pending changes: (id, app_id, `key`, delta)."""
    key: str
    counts: str
    """The table of counts: (app_id, fragment, n)."""
    fragments_of: Callable[[str], frozenset[str]]

    def fold(self, conn: sqlite3.Connection, chunk: int) -> bool:
        """Fold up to `chunk` of the oldest pending changes into the counts, in the open
        transaction, and drop them; whether `chunk` were there (more may be)."""
        last = conn.execute(
            f"SELECT max(id) FROM (SELECT id FROM {self.pending} ORDER BY id LIMIT ?)", (chunk,)
        ).fetchone()[0]
        if last is None:
            return False
        # Netted per key in SQL: a key written by many transactions has a row for each.
        netted = conn.execute(
            f"SELECT app_id, {self.key}, sum(delta) FROM {self.pending} WHERE id <= ?"
            f" GROUP BY app_id, {self.key} HAVING sum(delta) <> 0",
            (last,),
        ).fetchall()
        per_app: dict[int, dict[str, int]] = {}
        for app_id, fragment, delta in fragment_changes(netted, self.fragments_of):
            per_app.setdefault(app_id, {})[fragment] = delta
        # An app's changes in one statement, as a JSON object {fragment: delta}: a fold
        # changes thousands of fragments, and a statement per row costs more than
        # decoding them (bench/profile.md, "Name search over varied names"). WHERE true:
        # SQLite's parser needs it before an upsert's ON CONFLICT.
        for app_id, deltas in per_app.items():
            conn.execute(
                f"INSERT INTO {self.counts} (app_id, fragment, n) SELECT ?, key, value"
                " FROM json_each(?) WHERE true"
                " ON CONFLICT (app_id, fragment) DO UPDATE SET n = n + excluded.n",
                (app_id, json.dumps(deltas, ensure_ascii=False)),
            )
        return conn.execute(f"DELETE FROM {self.pending} WHERE id <= ?", (last,)).rowcount == chunk


NAMES = PendingCounts(
    "name_pending", "name_key", "name_fragments", functools.partial(fragments, longest=FRAGMENT_MAX)
)
PHONES = PendingCounts("phone_pending", "digits", "phone_fragments", digit_runs)


def fold_pending_fragments(conn: sqlite3.Connection, chunk: int) -> bool:
    """Fold up to `chunk` pending name changes and as many number changes into their
    counts, in the open transaction; whether either was a full chunk."""
    names = NAMES.fold(conn, chunk)
    phones = PHONES.fold(conn, chunk)
    return names or phones


def phones_pending(conn: sqlite3.Connection) -> bool:
    """Whether number changes wait for their counts (written by the triggers of 0016,
    which tell the writer nothing)."""
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM phone_pending)").fetchone()[0])

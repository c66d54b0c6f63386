"""What SQLite's deferred fragment fold costs per contact, by how many changes it takes.

    python -m bench.fragment_fold [--contacts 40000]

For each shape of name (`bench.names`: repeating and varied), it writes `--contacts`
pending name changes (one contact each, the names drawn as the data set draws them)
into an in-memory copy of the two tables, then folds them with
`sqlite_fragment_fold.fold_pending_fragments` in chunks of 100 (a v3 add batch folded
alone), 400, 2,000 and 20,000 (`CHUNK`), and prints, per chunk size, the fragment rows a
fold writes per contact and its wall time per contact (netting in SQL, the fragments
of 1 to `FRAGMENT_MAX` characters in Python, the upsert in SQL). Names written together
share most of their fragments: the bigger the chunk, the fewer rows per contact.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from collections.abc import Callable

from bench.names import repeating_name, varied_name
from contactd.domain.names import name_search_key
from contactd.store import name_index
from contactd.store.sqlite_fragment_fold import fold_pending_fragments
from contactd.store.sqlite_names import FRAGMENT_MAX

_TABLES = """
CREATE TABLE name_pending (id INTEGER PRIMARY KEY, app_id INTEGER NOT NULL,
    name_key TEXT NOT NULL, delta INTEGER NOT NULL);
CREATE INDEX name_pending_by_app ON name_pending (app_id, name_key, delta);
CREATE TABLE name_fragments (app_id INTEGER NOT NULL, fragment TEXT NOT NULL,
    n INTEGER NOT NULL, PRIMARY KEY (app_id, fragment)) WITHOUT ROWID;
"""
APP = 7


def measure(name: Callable[[random.Random], tuple[str, str]], contacts: int, chunk: int) -> str:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(_TABLES)
    rng = random.Random(1)
    name_index.fragments.cache_clear()
    rows_written = 0
    seconds = 0.0
    for _ in range(0, contacts, chunk):
        keys = [name_search_key(*name(rng)) for _ in range(chunk)]
        conn.executemany(
            "INSERT INTO name_pending (app_id, name_key, delta) VALUES (?, ?, 1)",
            [(APP, key) for key in keys],
        )
        netted = {(APP, key) for key in keys}
        rows_written += len(
            {f for _, key in netted for f in name_index.fragments(key, FRAGMENT_MAX)}
        )
        started = time.perf_counter()
        conn.execute("BEGIN")
        fold_pending_fragments(conn, chunk)
        conn.execute("COMMIT")
        seconds += time.perf_counter() - started
    return (
        f"chunk {chunk:>6,}: {rows_written / contacts:5.2f} fragment rows per contact,"
        f" {1e6 * seconds / contacts:5.1f} µs per contact"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=40_000)
    args = parser.parse_args()
    for label, name in (("repeating", repeating_name), ("varied", varied_name)):
        print(f"{label} names, {args.contacts:,} contacts, fragments of 1-{FRAGMENT_MAX}:")
        for chunk in (100, 400, 2_000, 20_000):
            print("  " + measure(name, args.contacts, chunk))


if __name__ == "__main__":
    main()

"""Would a trigram index keyed by each name's first contact find a page sooner?

    python -m bench.first_seq_probe [--fragments 300] [--offset 0] [--limit 20]

A measurement for a design not in the store. On the SQLite data set (built by
`python -m bench.data`, opened once by the current code), it writes a scratch file
beside it (`bench/data/first-seq-probe.db`, removed afterwards) holding an FTS5 trigram
index over the varied app's distinct names whose rowid is the seq of the name's first
contact. Then the `offset + limit` names that MATCH a query first, in rowid order, hold
the page: no contact of another name comes before the last of their first contacts (and
with fewer names than that, they are all the matching names).
The page is then those names' contacts up to that seq, a seek each.

For each of the manifest's fragments of 3 characters or more (the trigram index's
reach) it times, in process and wall time, that page against the store's own page
(`sqlite_search.list_page`, given the count so that only the page is timed), checks
the two agree, and prints the means by query length.
"""

from __future__ import annotations

import argparse
import heapq
import json
import sqlite3
import statistics
import time

from bench import data
from contactd.domain.names import search_key
from contactd.store.listing_memo import KnownCount
from contactd.store.sqlite_conn import connect
from contactd.store.sqlite_names import count_matching, fts_phrase
from contactd.store.sqlite_search import list_page

_FIRST = "SELECT rowid, name_key FROM first_fts WHERE first_fts MATCH ? ORDER BY rowid LIMIT ?"
_SEQS = (
    "SELECT seq FROM contacts WHERE app_id = ? AND name_key = ? AND seq <= ? ORDER BY seq LIMIT ?"
)


def build(conn: sqlite3.Connection, app: int) -> None:
    """The scratch index of the app's names by their first contact's seq."""
    conn.execute("DROP TABLE IF EXISTS probe.first_fts")
    conn.execute(
        "CREATE VIRTUAL TABLE probe.first_fts USING fts5"
        " (name_key, tokenize = 'trigram case_sensitive 1')"
    )
    conn.execute(
        "INSERT INTO probe.first_fts (rowid, name_key)"
        " SELECT min(seq), name_key FROM contacts WHERE app_id = ? GROUP BY name_key",
        (app,),
    )
    conn.commit()


def first_seq_page(conn: sqlite3.Connection, app: int, key: str, wanted: int) -> list[int]:
    """The seqs of the first `wanted` contacts whose name contains `key`."""
    names = conn.execute(_FIRST, (fts_phrase(key), wanted)).fetchall()
    if not names:
        return []
    # With fewer names than wanted, every matching name is among them: no bound.
    last = names[-1][0] if len(names) == wanted else 1 << 62
    seqs = ([row[0] for row in conn.execute(_SEQS, (app, name, last, wanted))] for _, name in names)
    return list(heapq.merge(*seqs))[:wanted]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fragments", type=int, default=300)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    manifest = json.loads(data.manifest_path("sqlite").read_text())
    app = int(manifest["varied_app"])
    scratch = data.DATA_DIR / "first-seq-probe.db"
    conn = connect(str(data.sqlite_file()))
    conn.execute("ATTACH ? AS probe", (str(scratch),))
    try:
        started = time.perf_counter()
        build(conn, app)
        print(f"scratch index of the varied app's names: {time.perf_counter() - started:.1f} s")
        version, total = conn.execute(
            "SELECT list_version, contact_count FROM apps WHERE app_id = ?", (app,)
        ).fetchone()
        by_length: dict[int, list[tuple[float, float]]] = {}
        for fragment in manifest["fragments"][str(app)][: args.fragments]:
            key = search_key(fragment)
            if len(key) < 3:
                continue
            known = KnownCount(version, total, count_matching(conn, app, key))
            began = time.perf_counter()
            listing = list_page(
                conn, app, key=key, offset=args.offset, limit=args.limit, start=None, known=known
            )
            paged = time.perf_counter()
            seqs = first_seq_page(conn, app, key, args.offset + args.limit)[args.offset :]
            probed = time.perf_counter()
            expected = [c.seq for c in listing.contacts]
            if seqs != expected:
                raise SystemExit(f"{key!r}: the probe's page {seqs} is not the store's {expected}")
            by_length.setdefault(len(key), []).append((paged - began, probed - paged))
        print(f"page at offset {args.offset}, {args.limit} contacts (ms, mean):")
        for length, costs in sorted(by_length.items()):
            store = 1000 * statistics.mean(c[0] for c in costs)
            probe = 1000 * statistics.mean(c[1] for c in costs)
            queries = len(costs)
            print(f"  {length} characters, {queries} queries: store {store:.2f}, probe {probe:.2f}")
    finally:
        conn.execute("DETACH probe")
        conn.close()
        scratch.unlink(missing_ok=True)


if __name__ == "__main__":
    main()

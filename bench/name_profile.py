"""What a name query costs in process on the SQLite bench data set, by its parts.

    python -m bench.name_profile [--app repeating|varied] [--fragments 300] [--walk]
        [--offset 0] [--limit 20]

Reads `bench/data/contactd-<version>.db` (built by `python -m bench.data`;
the store must have been opened once by the current code, so that its migrations
ran), and for each of the manifest's fragments of the app times the count
(`sqlite_names.count_matching`) and page 1 (`sqlite_search.list_page`, which counts
again unless told the count), wall time, one call each. Prints the means, the means
of count plus page by query length, and the slowest pages with the plan each took
(walk, lookup or first names: store/name_index.py). `--walk` takes the creation-order
walk for every page; `--offset` and `--limit` choose the page (v1's page 5 is offset 40,
limit 10).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench import data
from contactd.domain.names import search_key
from contactd.store import name_index
from contactd.store.name_index import Matches
from contactd.store.sqlite_conn import connect
from contactd.store.sqlite_names import count_matching, distinct_names, first_names_cheaper
from contactd.store.sqlite_search import list_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", choices=("repeating", "varied"), default="repeating")
    parser.add_argument("--fragments", type=int, default=300)
    parser.add_argument("--walk", action="store_true")
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    if args.walk:
        name_index.LOOKUP_ENTRY_COST = float("inf")
        name_index.WALK_BUDGET_MIN = 1 << 62
    manifest = json.loads(data.manifest_path("sqlite").read_text())
    app = int(manifest["big_app" if args.app == "repeating" else "varied_app"])
    conn = connect(str(data.sqlite_file()))
    total = int(
        conn.execute("SELECT contact_count FROM apps WHERE app_id = ?", (app,)).fetchone()[0]
    )
    rows = []
    wanted = args.offset + args.limit
    for fragment in manifest["fragments"][str(app)][: args.fragments]:
        key = search_key(fragment)
        started = time.perf_counter()
        matching = count_matching(conn, app, key)
        counted = time.perf_counter()
        list_page(conn, app, key=key, offset=args.offset, limit=args.limit, start=None)
        paged = time.perf_counter()
        matches = Matches(matching, total, distinct_names(conn, app))
        if first_names_cheaper(key, after=0, wanted=wanted, matches=matches):
            plan = "first names"
        elif name_index.walk_is_cheaper(
            wanted=wanted, matching=matching, total=total, names=matches.names
        ):
            plan = "walk"
        else:
            plan = "lookup"
        rows.append((paged - counted, counted - started, matching, plan, key))
    print(
        f"{args.app} app: mean count {1000 * statistics.mean(r[1] for r in rows):.2f} ms,"
        f" mean page {1000 * statistics.mean(r[0] for r in rows):.2f} ms"
    )
    by_length: dict[int, list[float]] = {}
    for page, count, *_, key in rows:
        by_length.setdefault(len(key), []).append(page + count)
    for length, costs in sorted(by_length.items()):
        print(
            f"  {length} characters: {len(costs)} queries, {1000 * statistics.mean(costs):.2f} ms"
        )
    by_plan: dict[tuple[str, int], list[float]] = {}
    for page, _count, _matching, plan, key in rows:
        by_plan.setdefault((plan, len(key)), []).append(page)
    for (plan, length), pages in sorted(by_plan.items()):
        print(
            f"  {plan}, {length} characters: {len(pages)} pages,"
            f" {1000 * statistics.mean(pages):.2f} ms a page"
        )
    for page, count, matching, plan, key in sorted(rows, reverse=True)[:10]:
        print(
            f"  {key!r}: count {1000 * count:.2f} ms, page {1000 * page:.2f} ms"
            f" ({plan}, {matching} match)"
        )


if __name__ == "__main__":
    main()

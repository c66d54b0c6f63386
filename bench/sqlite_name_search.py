"""Time the SQLite v1 listing (name search and page numbers) on a large app.

    python bench/sqlite_name_search.py /tmp/names.db --contacts 1000000 [--sole]

Builds the file once (through the store's own migrations and insert code; 1M contacts
take one to two minutes), then prints the best of 3 runs of each query shape, in ms.
A second app of a tenth the size shares the file, so the trigram index spans two apps
and each match is checked against the app; with `--sole` the app is alone in the file.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import random
import sqlite3
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from contactd.defaults import DEFAULT_COUNTRY_CODE
from contactd.domain.models import App, NewContact
from contactd.domain.names import search_key
from contactd.store import sqlite_contacts
from contactd.store.sqlite import SQLiteStore
from contactd.store.sqlite_conn import connect
from contactd.store.sqlite_search import Boundary, list_page

APP, OTHER = 1_000_001, 1_000_002
FIRST = ["Mike", "Asha", "Priyā", "Zoë", "Rahul", "Anita", "John", "Sara", "Vikram", "Meena"]
LAST = ["Ross", "Rao", "Sharma", "Iyer", "Doe", "Patel", "Kumar", "Singh", "Nair", "Reddy"]
NOTES = '[{"msg":"called back","date":1629980029850,"agent":"101_1000001"}]'


def contacts(app_id: int, start: int, count: int, rng: random.Random) -> list[NewContact]:
    return [
        NewContact(
            contact_id=str(uuid.uuid4()),
            phone=f"9{app_id % 10}{n:010d}",
            phone_key=f"9{app_id % 10}{n:010d}",
            first_name=rng.choice(FIRST) + (str(n % 97) if n % 5 == 0 else ""),
            last_name=rng.choice(LAST),
            email="",
            company="",
            job_title="",
            tag="callback",
            status="close",
            remindme=None,
            info="",
            notes_json=NOTES,
            saved_by="101_1000001",
            created_at=n,
        )
        for n in range(start, start + count)
    ]


async def build(path: str, count: int, *, sole: bool) -> None:
    store = await SQLiteStore.open(path)
    rng = random.Random(1)
    for app_id, size in ((OTHER, 0 if sole else count // 10), (APP, count)):
        await store.add_app(App(app_id, "bench", b"x", DEFAULT_COUNTRY_CODE, 0))
        for start in range(0, size, 50_000):
            batch = contacts(app_id, start, min(50_000, size - start), rng)
            insert = functools.partial(
                sqlite_contacts.insert_contacts, app_id=app_id, contacts=batch
            )
            await store._write(insert)
    await store.close()


def best_ms(fn: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--sole", action="store_true", help="no second app in the file")
    args = parser.parse_args()
    if not Path(args.path).exists():
        started = time.perf_counter()
        asyncio.run(build(args.path, args.contacts, sole=args.sole))
        print(f"built {args.contacts} contacts in {time.perf_counter() - started:.0f} s")
    conn: sqlite3.Connection = connect(args.path)
    deep = args.contacts - 10
    for name in ["", "mik", "ross", "zoë", "priyā r", "kumar4", "ik", "zo", "a", "x", "q%"]:
        page = functools.partial(list_page, conn, APP, key=search_key(name), limit=10)
        count = page(offset=0, start=None).matching
        middle = count // 2
        first = best_ms(functools.partial(page, offset=0, start=None))
        mid = best_ms(functools.partial(page, offset=middle, start=None))
        listing = page(offset=middle, start=None)
        after = listing.contacts[-1].seq if listing.contacts else 0
        resume = Boundary(listing.version, middle + 10, after)
        resumed = best_ms(functools.partial(page, offset=middle + 10, start=resume))
        print(
            f"name={name!r:10} matches={count:8d}  page 1: {first:7.2f} ms"
            f"  offset {middle}: {mid:7.2f} ms  next page resumed: {resumed:7.2f} ms"
        )
    if deep > 0:
        ms = best_ms(lambda: list_page(conn, APP, key="", offset=deep, limit=10, start=None))
        print(f"no filter, offset {deep}: {ms:.2f} ms")


if __name__ == "__main__":
    main()

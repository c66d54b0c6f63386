"""What the extensions' structures cost, through the store, on a store of its own.

    python -m bench.x_cost [--backend sqlite|postgresql] [--contacts 200000] [--rounds 3]

Fills a fresh store (a temporary SQLite file, or a PostgreSQL schema of its own, dropped
afterwards) with `--contacts` contacts in batches of 100, every one with a reminder
(spread evenly over `--contacts` seconds), and prints:

- the seconds the adds took with the phone digits index (migration 0010) and, on
  another fresh store, without it (SQLite: its triggers dropped; PostgreSQL: the
  index dropped), the least of `--rounds` runs of each, in turn: the price a write
  pays for the digits search;
- `due_contacts` of windows holding 100 to all of the contacts (each call counts its
  window and reads a page of 10): the count reads the window's index entries, so the
  cost grows with the window's size; a page deep in the window (its cursor at the
  window's middle) costs what the first page costs.

Wall-clock milliseconds per call (median of several), in one process: a comparison of
the store's own work, not the server's CPU per request (`bench.run` gives that).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from bench import data
from contactd.domain.models import App, NewContact
from contactd.domain.store import Store
from contactd.store import open_store

APP = 1
BATCH = 100
START = 1_700_000_000_000
_WITHOUT_DIGITS = {
    "sqlite": [
        "DROP TRIGGER contacts_phone_after_insert",
        "DROP TRIGGER contacts_phone_after_delete",
        "DROP TRIGGER contacts_phone_after_update",
    ],
    "postgresql": ["DROP INDEX contacts_by_app_phone_digits"],
}


def _contact(n: int) -> NewContact:
    phone, key = data.phone_of(APP, n)
    return NewContact(
        contact_id=f"00000000-0000-4000-8000-{n:012d}",
        phone=phone,
        phone_key=key,
        first_name=f"First{n % 977}",
        last_name=f"Last{n % 131}",
        email="",
        company="",
        job_title="",
        tag="",
        status="",
        remindme=START + n * 1_000,
        info="",
        notes_json="[]",
        saved_by=f"101_{APP}",
        created_at=START,
    )


@contextlib.asynccontextmanager
async def fresh_store(backend: str) -> AsyncIterator[Store]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            store = await open_store(f"sqlite:///{Path(folder) / 'x.db'}")
            try:
                yield store
            finally:
                await store.close()
        return
    schema = f"x_cost_{secrets.token_hex(4)}"
    store = await open_store(f"{data.BENCH_PG_URL.split('?')[0]}?schema={schema}")
    try:
        yield store
    finally:
        await store._write(lambda conn: conn.execute(f'DROP SCHEMA "{schema}" CASCADE'))  # type: ignore[attr-defined]
        await store.close()


async def _run_sql(store: Store, statements: list[str]) -> None:
    if store.backend == "sqlite":
        for sql in statements:
            await store._write(lambda conn, sql=sql: conn.execute(sql))  # type: ignore[attr-defined]
    else:

        async def run(conn: object) -> None:
            for sql in statements:
                await conn.execute(sql)  # type: ignore[attr-defined]

        await store._write(run)  # type: ignore[attr-defined]


async def fill(store: Store, contacts: int) -> float:
    await store.add_app(App(APP, "x cost", b"x", "91", START))
    started = time.perf_counter()
    for at in range(0, contacts, BATCH):
        await store.add_contacts(APP, [_contact(n) for n in range(at, min(contacts, at + BATCH))])
    return time.perf_counter() - started


async def median_ms(call: Callable[[], Awaitable[object]], times: int = 7) -> float:
    laps = []
    for _ in range(times):
        started = time.perf_counter()
        await call()
        laps.append((time.perf_counter() - started) * 1000)
    return statistics.median(laps)


async def main(backend: str, contacts: int, rounds: int) -> None:
    # With and without the index in turn, the least of each kept: the machine's load
    # drifts, and only ever adds.
    bare_laps, laps = [], []
    for _ in range(rounds):
        async with fresh_store(backend) as bare:
            await _run_sql(bare, _WITHOUT_DIGITS[backend])
            bare_laps.append(await fill(bare, contacts))
        async with fresh_store(backend) as store:
            laps.append(await fill(store, contacts))
    print(f"{backend}: {contacts:,} adds in batches of {BATCH}, least of {rounds} runs")
    print(f"  with the digits index {min(laps):.2f} s, without {min(bare_laps):.2f} s")
    async with fresh_store(backend) as store:
        await fill(store, contacts)
        # Every call counts the window too: the first column grows with the count.
        print("  window (contacts)   first page ms   page at the middle ms")
        size = 100
        while size <= contacts:
            end = START + size * 1_000

            async def first(end: int = end) -> object:
                return await store.due_contacts(
                    APP, after=START, before=end, saved_by=None, past=None, limit=11
                )

            middle_key = (START + size // 2 * 1_000, size // 2)

            async def middle(end: int = end, key: tuple[int, int] = middle_key) -> object:
                return await store.due_contacts(
                    APP, after=START, before=end, saved_by=None, past=key, limit=11
                )

            count, _ = await store.due_contacts(
                APP, after=START, before=end, saved_by=None, past=None, limit=0
            )
            assert count == size, (count, size)
            print(
                f"  {size:>17,}   {await median_ms(first):13.2f}   {await median_ms(middle):21.2f}"
            )
            size *= 10


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.backend, args.contacts, args.rounds))

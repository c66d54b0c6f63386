"""The v1 name search cases: `/v1/getContact` with `name`, on page 1 and page 5, on each
shape of name (`bench.names`), alone and while another client adds contacts.

Each request asks a fragment of the app's own names not asked before in the run (the
pool, 2,520 per app, is drawn at build time; 1 in 21 matches nothing), so that no
count is remembered (the count memo holds 1,024 queries: a fragment comes back, if the
pool is used up, only after it was forgotten) and page 5 is a cold offset. The
principals of the app take turns.
"""

from __future__ import annotations

import asyncio
import contextlib
import random

from bench import data
from bench.context import Bench, added_ids, body, delete_contacts
from bench.driver import CaseResult, Connection
from bench.names import repeating_name, varied_name

__all__ = ["NAME_CASES"]

WRITE_BATCH = 10
WRITE_EVERY = 0.05
"""The writing client adds `WRITE_BATCH` contacts every `WRITE_EVERY` seconds."""


async def _search(b: Bench, app: int, page: int) -> CaseResult:
    return await b.load(b.fragment_source(app, page))


async def case_v1_name_p1(b: Bench) -> CaseResult:
    return await _search(b, b.big, 1)


async def case_v1_name_p5(b: Bench) -> CaseResult:
    return await _search(b, b.big, 5)


async def case_v1_name_varied_p1(b: Bench) -> CaseResult:
    return await _search(b, b.varied, 1)


async def case_v1_name_varied_p5(b: Bench) -> CaseResult:
    return await _search(b, b.varied, 5)


class Writer:
    """A client adding `WRITE_BATCH` new contacts to an app every `WRITE_EVERY` s
    through `/v3/contact/add`, on its own connection, until stopped; it keeps the ids
    it was given, for the clean-up, and the statuses it got."""

    def __init__(self, b: Bench, app: int) -> None:
        self.b, self.app = b, app
        self.ids: list[str] = []
        self.result = CaseResult()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._name = varied_name if app == b.varied else repeating_name
        self._rng = random.Random()  # fresh phones each run: a run cut short leaves no clash
        self._national = 6_000_000_000 + self._rng.randrange(3_000_000_000)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> CaseResult:
        self._stop.set()
        if self._task is not None:
            await self._task
        return self.result

    def _batch(self) -> list[dict[str, object]]:
        contacts = int(self.b.manifest["big_contacts"])  # type: ignore[call-overload]
        batch: list[dict[str, object]] = []
        while len(batch) < WRITE_BATCH:
            self._national += 1
            if data.phone_taken(self.app, self._national, contacts):
                continue
            first, last = self._name(self._rng)
            phone = str(self._national)
            batch.append({"phone_no": phone, "first_name": first, "last_name": last})
        return batch

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        conn = await Connection.open(self.b.server.host, self.b.server.port)
        token = self.b.token(self.app)
        due = loop.time()
        started = loop.time()
        try:
            while not self._stop.is_set():
                status, raw = await conn.call(
                    "/v3/contact/add", body(token=token, contacts=self._batch())
                )
                self.result.statuses[status] += 1
                self.result.requests += 1
                if status == 200:
                    self.ids += added_ids(raw)
                due += WRITE_EVERY
                with contextlib.suppress(TimeoutError):  # the next add is due
                    await asyncio.wait_for(self._stop.wait(), max(0.0, due - loop.time()))
        finally:
            self.result.seconds = loop.time() - started
            conn.close()


async def _search_while_writing(b: Bench, app: int, name: str) -> CaseResult:
    """Page 1 of the name search while a `Writer` adds to the same app: every add
    changes the app's count, so no remembered count is valid for long. The server's CPU
    per request includes the adds' (a few per cent of it)."""
    writer = Writer(b, app)
    writer.start()
    try:
        result = await b.load(b.fragment_source(app, 1))
    finally:
        written = await writer.stop()
        await delete_contacts(b, app, writer.ids)
    for status, n in written.statuses.items():
        if status >= 300:  # counted with the case's own errors
            result.statuses[status] += n
    b.notes[name] = (
        f"{written.requests:,} adds of {WRITE_BATCH} ({len(writer.ids):,} contacts,"
        f" {written.requests / written.seconds if written.seconds else 0:,.1f}/s),"
        " deleted afterwards"
    )
    return result


async def case_v1_name_writes(b: Bench) -> CaseResult:
    return await _search_while_writing(b, b.big, "v1_name_writes")


async def case_v1_name_varied_writes(b: Bench) -> CaseResult:
    return await _search_while_writing(b, b.varied, "v1_name_varied_writes")


NAME_CASES = {
    "v1_name_p1": ("v1 name search, page 1 (repeating names)", case_v1_name_p1),
    "v1_name_p5": ("v1 name search, page 5 (repeating names)", case_v1_name_p5),
    "v1_name_varied_p1": ("v1 name search, page 1 (varied names)", case_v1_name_varied_p1),
    "v1_name_varied_p5": ("v1 name search, page 5 (varied names)", case_v1_name_varied_p5),
    "v1_name_writes": (
        "v1 name search, page 1, while adding (repeating names)",
        case_v1_name_writes,
    ),
    "v1_name_varied_writes": (
        "v1 name search, page 1, while adding (varied names)",
        case_v1_name_varied_writes,
    ),
}
WRITING = frozenset({"v1_name_writes", "v1_name_varied_writes"})
"""The name cases that write: they run with the other writing cases, after the reads."""

"""Reads of one kind that arrive together, answered by one PostgreSQL statement.

The pages every client reads first (the v3 page, the unfiltered v1 page) are one short
statement each, and most of what such a request costs is the round trip around it: the
pool's hand-off, psycopg's execution, a wake-up of the connection's backend and of the
event loop, not the reading of a dozen rows (bench/profile.md, "PostgreSQL's hot
path"). So while one statement of a kind is running, the requests of that kind that
come in wait for it to end and then go out together: one statement over arrays of
their parameters (`unnest ... WITH ORDINALITY`), one row back per request, each read
in its own lateral subquery exactly as it would be alone. A request that finds none
running goes out at the end of the event loop's current turn, with whatever else came
in during that turn; alone, it waits for nothing.

Each request is still answered from a snapshot taken after it arrived (the statement
is sent after every request of its batch came in), so a write acknowledged before a
read began is seen by it, as when each read had its own statement. A failure of the
statement is the failure of every request of the batch, as it would have been of each.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from contactd.store.tx import Row

__all__ = ["Batcher", "int_array"]

K = TypeVar("K")


def int_array(values: Sequence[int]) -> str:
    """A PostgreSQL array literal of integers, for a `%s::bigint[]` parameter."""
    return "{" + ",".join(map(str, values)) + "}"


class Batcher(Generic[K]):
    """Runs `run(keys)` for the keys of the requests that came in together, at most one
    at a time; `run` answers one row per key, in their order."""

    def __init__(self, run: Callable[[list[K]], Awaitable[list[Row]]]) -> None:
        self._run = run
        self._waiting: list[tuple[K, asyncio.Future[Row]]] = []
        self._busy = False
        self._tasks: set[asyncio.Task[None]] = set()

    async def read(self, key: K) -> Row:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Row] = loop.create_future()
        self._waiting.append((key, answer))
        if not self._busy:
            self._busy = True
            loop.call_soon(self._send)  # after the other requests of this turn
        return await answer

    def _send(self) -> None:
        batch, self._waiting = self._waiting, []
        task = asyncio.get_running_loop().create_task(self._serve(batch))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve(self, batch: list[tuple[K, asyncio.Future[Row]]]) -> None:
        try:
            rows = await self._run([key for key, _ in batch])
        except Exception as exc:
            for _, answer in batch:
                if not answer.done():
                    answer.set_exception(exc)
        except BaseException:  # cancelled (the store closing): so are its requests
            for _, answer in batch:
                answer.cancel()
            raise
        else:
            for (_, answer), row in zip(batch, rows, strict=True):
                if not answer.done():  # its request may have been cancelled meanwhile
                    answer.set_result(row)
        finally:
            if self._waiting:
                self._send()
            else:
                self._busy = False

    async def drain(self) -> None:
        """Wait for the statements running now (before the pool closes)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

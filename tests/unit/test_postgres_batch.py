"""`postgres_batch.Batcher`: reads that come in together share one statement, each gets
its own row, and a failure or a cancelled request touches only what it should."""

from __future__ import annotations

import asyncio

import pytest

from contactd.store.postgres_batch import Batcher, int_array
from contactd.store.tx import Row


class Recorder:
    """A statement that answers each key with (key * 10,), one run at a time."""

    def __init__(self) -> None:
        self.runs: list[list[int]] = []
        self.release = asyncio.Event()
        self.running = 0
        self.most_at_once = 0

    async def run(self, keys: list[int]) -> list[Row]:
        self.runs.append(keys)
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        await self.release.wait()
        self.running -= 1
        if -1 in keys:
            raise RuntimeError("the statement failed")
        return [(key * 10,) for key in keys]


def test_reads_of_one_turn_share_a_statement_and_later_ones_the_next() -> None:
    async def scenario() -> None:
        recorder = Recorder()
        batcher: Batcher[int] = Batcher(recorder.run)
        first = [asyncio.ensure_future(batcher.read(k)) for k in (1, 2, 3)]
        await asyncio.sleep(0)  # the first statement goes out
        await asyncio.sleep(0)
        later = [asyncio.ensure_future(batcher.read(k)) for k in (4, 5)]
        await asyncio.sleep(0)
        assert recorder.runs == [[1, 2, 3]]  # the later ones wait for it to end
        recorder.release.set()
        assert await asyncio.gather(*first) == [(10,), (20,), (30,)]
        assert await asyncio.gather(*later) == [(40,), (50,)]
        assert recorder.runs == [[1, 2, 3], [4, 5]]
        assert recorder.most_at_once == 1
        await batcher.drain()

    asyncio.run(scenario())


def test_a_failed_statement_fails_its_batch_only() -> None:
    async def scenario() -> None:
        recorder = Recorder()
        recorder.release.set()
        batcher: Batcher[int] = Batcher(recorder.run)
        failing = [asyncio.ensure_future(batcher.read(k)) for k in (-1, 2)]
        results = await asyncio.gather(*failing, return_exceptions=True)
        assert all(isinstance(r, RuntimeError) for r in results)
        assert await batcher.read(3) == (30,)

    asyncio.run(scenario())


def test_a_cancelled_read_leaves_the_others_answered() -> None:
    async def scenario() -> None:
        recorder = Recorder()
        batcher: Batcher[int] = Batcher(recorder.run)
        reads = [asyncio.ensure_future(batcher.read(k)) for k in (1, 2, 3)]
        await asyncio.sleep(0)
        reads[1].cancel()
        recorder.release.set()
        assert await reads[0] == (10,)
        assert await reads[2] == (30,)
        with pytest.raises(asyncio.CancelledError):
            await reads[1]
        assert await batcher.read(4) == (40,)

    asyncio.run(scenario())


def test_int_array_is_a_postgresql_array_literal() -> None:
    assert int_array([1, -2, 30]) == "{1,-2,30}"
    assert int_array([]) == "{}"

"""When the fragment counts are folded from their pending changes, on either backend
(store/name_index.py says why they lag the names, and why a count is exact all the
same): a moment after the writes that appended changes, in transactions of their own,
until none is pending. What one fold does is the backend's (`sqlite_fragment_fold`,
`postgres_fragment_fold`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

__all__ = ["CHUNK", "FOLD_DELAY_SECONDS", "FragmentFolder"]

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


class FragmentFolder:
    """Runs the folds while changes are pending. `fold` runs one fold of up to `CHUNK`
    changes in a transaction of its own (it reads `CHUNK` when called) and answers
    whether it took that many (more may be pending).

    `appended` counts the write transactions that appended pending changes, raised
    before each of them returns: a fold that starts after it read `appended` sees the
    changes of every write it counts, so when no more were appended meanwhile and the
    fold was not full, none is pending."""

    def __init__(self, fold: Callable[[int], Awaitable[bool]]) -> None:
        self._fold = fold
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
                seen = self.appended
                try:
                    full = await self._fold(CHUNK)
                except Exception:  # a busy or full store: the changes wait for the next try
                    log.warning("folding the fragment counts failed", exc_info=True)
                    full = False
                    continue
                if not full and seen == self.appended:
                    self._caught_up = seen
                    return
        finally:
            self._task = None

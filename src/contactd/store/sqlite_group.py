"""Group commit of contact batches on the SQLite writer.

A `synchronous=FULL` commit waits for fsync, which costs as much writer time as
inserting a 100-contact batch. While the writer commits one group, the batches of
other requests queue here; the next group takes them all into one `BEGIN IMMEDIATE`
transaction with one commit. Each batch runs inside its own SAVEPOINT
(`sqlite_contacts.insert_contacts`), so a batch that meets a taken phone rolls back
alone and fails alone; the others commit. Every request is answered only after the
COMMIT of its group has returned: an acknowledged batch is a committed one.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from contactd.domain.idempotency import PendingAnswer
from contactd.domain.models import NewContact
from contactd.domain.store import KeyTaken, PhonesTaken
from contactd.store.answers import claim
from contactd.store.sqlite_answers import keep_pending
from contactd.store.sqlite_contacts import insert_contacts

__all__ = ["MAX_GROUP", "AddQueue"]

MAX_GROUP = 64
"""Batches committed together at most, so that one group's writer time stays short
(bench/profile.md, "group commit")."""

Failure = PhonesTaken | KeyTaken
Write = Callable[
    [Callable[[sqlite3.Connection], list[Failure | None]]], Awaitable[list[Failure | None]]
]


@dataclass(slots=True)
class _Batch:
    app_id: int
    contacts: Sequence[NewContact]
    done: asyncio.Future[None]
    pending: PendingAnswer | None
    """The request's idempotency key, kept with the batch (the flusher runs in another
    request's context, so it is taken here)."""


class AddQueue:
    """Batches waiting for the writer; `add` returns once its batch has committed."""

    def __init__(self, write: Write) -> None:
        self._write = write
        self._pending: list[_Batch] = []
        self._flusher: asyncio.Task[None] | None = None
        self.groups = 0
        """Transactions committed so far (for tests and the bench notes)."""

    async def add(self, app_id: int, contacts: Sequence[NewContact]) -> None:
        """Insert `contacts` all or none; raise `PhonesTaken` when a phone is stored."""
        loop = asyncio.get_running_loop()
        batch = _Batch(app_id, contacts, loop.create_future(), claim(app_id))
        self._pending.append(batch)
        if self._flusher is None:
            self._flusher = loop.create_task(self._flush())
        await batch.done

    async def drain(self) -> None:
        """Wait until every queued batch has been committed or failed."""
        while self._flusher is not None:
            if self._flusher.get_loop() is not asyncio.get_running_loop():
                return  # left behind by a loop that has ended: nothing can finish it
            await asyncio.shield(self._flusher)

    async def _flush(self) -> None:
        try:
            while self._pending:
                group = self._pending[:MAX_GROUP]
                del self._pending[:MAX_GROUP]
                await self._commit(group)
        finally:
            self._flusher = None

    async def _commit(self, group: list[_Batch]) -> None:
        def insert_all(conn: sqlite3.Connection) -> list[Failure | None]:
            outcomes: list[Failure | None] = []
            for batch in group:
                try:
                    if batch.pending is None:
                        insert_contacts(conn, batch.app_id, batch.contacts)
                    else:
                        _insert_keyed(conn, batch)
                except (PhonesTaken, KeyTaken) as exc:  # rolled back to its savepoint: alone
                    outcomes.append(exc)
                else:
                    outcomes.append(None)
            return outcomes

        try:
            outcomes = await self._write(insert_all)
        except Exception as exc:  # nothing committed: every batch of the group fails
            for batch in group:
                if not batch.done.done():
                    batch.done.set_exception(exc)
            return
        self.groups += 1
        for batch, outcome in zip(group, outcomes, strict=True):
            if batch.done.done():  # its request was cancelled; the rows stand
                continue
            if outcome is None:
                batch.done.set_result(None)
            else:
                batch.done.set_exception(outcome)


def _insert_keyed(conn: sqlite3.Connection, batch: _Batch) -> None:
    """Insert a batch and keep its key's answer, both or neither (one savepoint)."""
    conn.execute("SAVEPOINT keyed_batch")
    try:
        insert_contacts(conn, batch.app_id, batch.contacts)
        keep_pending(conn, batch.pending, [c.contact_id for c in batch.contacts])
    except (PhonesTaken, KeyTaken):
        conn.execute("ROLLBACK TO keyed_batch")
        conn.execute("RELEASE keyed_batch")
        raise
    # Anything else fails the whole group, whose transaction `_write` rolls back.
    conn.execute("RELEASE keyed_batch")

"""The SQLite backend: one file in WAL mode, one process.

Reads run on the event loop through a reader connection: they take tens of
microseconds, less than a hop to a thread would cost. The exception is a listing that
may scan a large app (`list_contacts`), which runs on a search thread with its own
connection. Writes run on one writer connection owned by one thread, so they are
serialized, never block reads (WAL), and a `synchronous=FULL` commit waits for fsync
without stalling the loop. Every write is a `BEGIN IMMEDIATE` transaction that has
committed before the awaiting handler goes on. Contact batches that queue while the
writer is busy share one transaction and one fsync, each in its own savepoint
(`sqlite_group`).

One process only: SQLite before 3.51.3 can corrupt a WAL file written by several
processes at once, so more processes means the PostgreSQL backend.

The operations both backends share (apps, principals, tokens, the login throttle,
idempotency keys) are `store.core`'s, run here through `SQLiteTx` on the reader or, in
the writer's transaction, driven to completion in one step (`store.tx`). The
connections and their threads are `sqlite_conn`'s, the contact writes
`sqlite_contacts`', the name search `sqlite_search`'s, the extensions' reads
`sqlite_extensions`' (on the search thread: their counts read every match).
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from contactd.domain import models
from contactd.domain.errors import Outcome
from contactd.domain.names import search_key
from contactd.domain.store import StoreUnavailable
from contactd.store import sqlite_answers, sqlite_contacts, sqlite_extensions, sqlite_pages
from contactd.store.core import StoreCore
from contactd.store.listing_memo import ListingMemos
from contactd.store.migrations.runner import apply_pending
from contactd.store.queries import SQLITE
from contactd.store.snapshot_rows import SQLITE_SNAPSHOT
from contactd.store.sqlite_conn import SQLiteConnections, raise_store_fault, statements
from contactd.store.sqlite_files import StoreLocationError, resolve
from contactd.store.sqlite_group import AddQueue
from contactd.store.sqlite_lock import WriterLock, acquire
from contactd.store.sqlite_names import distinct_names, page_cost
from contactd.store.sqlite_search import list_page
from contactd.store.tx import Row, Tx

__all__ = ["INLINE_NAMES", "INLINE_ROWS", "SQLiteStore"]

log = logging.getLogger("contactd.store")
T = TypeVar("T")

INLINE_ROWS = 5000
"""A listing that reads at most this many index entries runs on the event loop: short
enough not to hold up other requests (bench/profile.md, "listings on the event loop")."""

INLINE_NAMES = 20_000
"""A large app with at most this many distinct names runs its name queries on the event
loop (bench/profile.md, "the name dictionary")."""

# The statements of the reads every request makes, bound once.
_TOKEN_HOLDER = SQLITE.principal_for_token
_CONTACT_COUNT = SQLITE.contact_count
# v3 reads: the card and the app's count from one statement (one snapshot); an empty
# result asks for the count alone.
_GET_WITH_COUNT = (
    "SELECT card, (SELECT contact_count FROM apps WHERE app_id = ?1) FROM contacts"
    " WHERE app_id = ?1 AND contact_id = ?2"
)
# A page is one row: the count, the page's cards as one JSON array, the last seq, and
# whether a contact follows it. SQLite joins the cards in the order the subquery yields
# them (it is a co-routine in seq order; an ORDER BY ... LIMIT subquery is never
# flattened into an aggregate), which saves a row, a str and two ints per contact
# (bench/profile.md, "the page as one row").
_PAGE_WITH_COUNT = (
    "SELECT count, cards, last, EXISTS (SELECT 1 FROM contacts WHERE app_id = ?1 AND seq > last)"
    " FROM (SELECT coalesce((SELECT contact_count FROM apps WHERE app_id = ?1), 0) AS count,"
    "  '[' || coalesce(group_concat(card, ','), '') || ']' AS cards, max(seq) AS last"
    "  FROM (SELECT seq, card FROM contacts WHERE app_id = ?1 AND seq > ?2"
    "   ORDER BY seq LIMIT ?3))"
)


def _principal(row: Row) -> models.Principal:
    values = list(row)
    values[9], values[10] = bool(values[9]), bool(values[10])  # notify, followme: 0 or 1
    return models.Principal(*values)


class SQLiteStore(SQLiteConnections, StoreCore):
    backend = "sqlite"
    _queries = SQLITE
    _unique_violation = (sqlite3.IntegrityError,)
    _foreign_key_violation = ()  # one writer: nothing removes a principal mid-write
    _snapshot_sql = SQLITE_SNAPSHOT
    # A row against the schema's keys; an integer past SQLite's 64 bits.
    _refused_rows = (sqlite3.IntegrityError, OverflowError)
    _principal = staticmethod(_principal)

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self._memos = ListingMemos()
        self._adds = AddQueue(self._write)
        self._lock: WriterLock | None = None

    @classmethod
    async def open(cls, path: str) -> SQLiteStore:
        """Open the store at `path`, holding its writer lock until `close` (`sqlite_lock`).

        Raises `StoreLocationError` (its directory is missing, it is not writable) and
        `StoreHeld` (another process writes it) naming the absolute path.
        """
        if path == ":memory:":
            return await cls._opened(path, None)
        db = resolve(path)
        lock = acquire(db, role="store")
        try:
            return await cls._opened(str(db), lock)
        except BaseException:
            lock.release()
            raise

    @classmethod
    async def _opened(cls, path: str, lock: WriterLock | None) -> SQLiteStore:
        try:
            store = cls(path)  # on a full disk, creating the -shm file already fails
        except sqlite3.OperationalError as exc:
            raise_store_fault(exc)
        except sqlite3.Error as exc:
            raise StoreLocationError(f"the SQLite store {path} cannot be opened: {exc}") from exc
        store._lock = lock
        try:
            await store._transact(store._migrate)
        except BaseException as exc:
            await store.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreLocationError(f"the SQLite store {path} cannot be used: {exc}") from exc
            raise
        store._resume_fragment_folds()
        log.info("SQLite store at %s (SQLite %s)", path, sqlite3.sqlite_version)
        return store

    async def close(self) -> None:
        await self._adds.drain()
        await self._close_connections()
        if self._lock is not None:
            self._lock.release()

    async def _migrate(self, tx: Tx) -> None:
        async def run_script(sql: str) -> None:
            for statement in statements(sql):
                await tx.run(statement)

        await apply_pending(tx, SQLITE, "sqlite", run_script)

    async def ping(self) -> None:
        try:
            self._read("SELECT 1")
        except sqlite3.Error as exc:
            raise StoreUnavailable(str(exc), outcome=Outcome.NOT_APPLIED) from exc

    async def contact_count(self, app_id: int) -> int:
        rows = self._read(_CONTACT_COUNT, (app_id,))
        return int(rows[0][0]) if rows else 0  # type: ignore[call-overload]

    async def principal_for_token(
        self, app_id: int, token_hash: bytes, now: int
    ) -> tuple[models.Principal, int] | None:
        rows = self._read(_TOKEN_HOLDER, (app_id, token_hash, now))
        if not rows:
            return None
        *principal, expires_at = rows[0]
        return _principal(tuple(principal)), int(expires_at)  # type: ignore[call-overload]

    # -- contacts -------------------------------------------------------------------
    async def add_contacts(self, app_id: int, contacts: Sequence[models.NewContact]) -> None:
        # Group commit: batches that queue while the writer commits share the next commit.
        await self._adds.add(app_id, contacts)

    async def update_contacts(self, app_id: int, changes: Sequence[models.ContactChanges]) -> None:
        await self._keyed_write(app_id, sqlite_contacts.update_contacts, changes=changes)

    async def delete_contacts(self, app_id: int, contact_ids: Sequence[str]) -> int:
        return await self._keyed_write(
            app_id, sqlite_contacts.delete_contacts, contact_ids=contact_ids
        )

    async def get_contact(self, app_id: int, contact_id: str) -> tuple[int, str | None]:
        rows = self._read(_GET_WITH_COUNT, (app_id, contact_id))
        if not rows:
            return await self.contact_count(app_id), None
        card, count = cast("tuple[str, int]", rows[0])
        return count, card

    async def page_contacts(self, app_id: int, *, after_seq: int, limit: int) -> models.CardRows:
        row = self._read(_PAGE_WITH_COUNT, (app_id, after_seq, limit))[0]
        count, cards, last_seq, more = cast("tuple[int, str, int | None, int]", row)
        return models.CardRows(
            count, cards, after_seq if last_seq is None else last_seq, bool(more)
        )

    # -- v1: contacts by phone and by page number --------------------------------------
    async def upsert_by_phone(self, app_id: int, upsert: models.PhoneUpsert) -> None:
        return await self._keyed_write(app_id, sqlite_contacts.upsert_by_phone, upsert=upsert)

    async def delete_by_phone(self, app_id: int, phone_key: str) -> bool:
        return await self._keyed_write(app_id, sqlite_contacts.delete_by_phone, phone_key=phone_key)

    async def page_entries(self, app_id: int, *, offset: int, limit: int) -> models.EntryRows:
        start = self._memos.boundaries.find(app_id, "", offset)
        page = self._guarded(
            sqlite_pages.page_entries,
            self._reader,
            app_id,
            offset=offset,
            limit=limit,
            start=start,
        )
        return self._memos.record_page(app_id, page)

    async def list_contacts(
        self, app_id: int, *, offset: int, limit: int, name: str
    ) -> tuple[int, list[models.Contact]]:
        key = search_key(name)
        start = self._memos.boundaries.find(app_id, key, offset)
        known = self._memos.counts.find(app_id, key)
        query = functools.partial(
            list_page, app_id=app_id, key=key, offset=offset, limit=limit, start=start, known=known
        )
        if await self._is_small(app_id, key, wanted=offset + limit):
            listing = self._guarded(query, self._reader)
        else:
            listing = await self._search(lambda: query(self._searcher))
        return self._memos.record(app_id, key, offset, listing)

    # -- extensions (/x/contacts/...) ----------------------------------------------------
    async def search_contacts(
        self, app_id: int, search: models.ContactSearch
    ) -> tuple[int, list[models.Contact]]:
        return await self._search(
            lambda: sqlite_extensions.search_page(self._searcher, app_id, search)
        )

    async def due_contacts(
        self, app_id: int, window: models.DueWindow
    ) -> tuple[int, list[models.Contact]]:
        return await self._search(
            lambda: sqlite_extensions.due_page(self._searcher, app_id, window)
        )

    async def find_contact(self, app_id: int, contact_id: str) -> models.Contact | None:
        return self._guarded(sqlite_extensions.find_contact, self._reader, app_id, contact_id)

    async def find_by_phone(self, app_id: int, phone_key: str) -> models.Contact | None:
        return self._guarded(sqlite_extensions.find_by_phone, self._reader, app_id, phone_key)

    async def change_contact(self, app_id: int, change: models.ContactChanges) -> models.Contact:
        return await self._keyed_write(app_id, sqlite_extensions.change_contact, change=change)

    async def _keyed_write(self, app_id: int, write: Callable[..., T], **arguments: Any) -> T:
        """`write(conn, app_id=app_id, **arguments)` on the writer, keeping in its
        transaction the answer of the request's idempotency key, if it has one."""
        bound = functools.partial(write, app_id=app_id, **arguments)
        return await self._write(sqlite_answers.keyed(app_id, bound))

    async def _is_small(self, app_id: int, key: str, *, wanted: int) -> bool:
        """Whether a listing is cheap enough to run on the event loop.

        An unfiltered page skips at most one block of entries (a remembered boundary, or
        the app's block counts: a sum over 245 rows per million contacts), so it always
        is; so is any query of a small app. A name query of a large app counts over the
        distinct names holding it, and its page reads the fewer entries of the walk and
        the lookup (store/name_index.py): few when the app has few distinct names. In an
        app of many, a query short enough to be counted from one row runs on the loop
        when the page it asks for reads few entries (`sqlite_names.page_cost`); any other
        runs on the search thread rather than stall every other request.
        """
        if not key:
            return True
        total = await self.contact_count(app_id)
        if total <= INLINE_ROWS:
            return True
        if self._guarded(distinct_names, self._reader, app_id) <= INLINE_NAMES:
            return True
        cost = self._guarded(page_cost, self._reader, app_id, key, total=total, wanted=wanted)
        return cost is not None and cost <= INLINE_ROWS

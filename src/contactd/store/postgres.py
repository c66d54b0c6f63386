"""The PostgreSQL backend: one database shared by any number of server processes.

psycopg 3 on an `AsyncConnectionPool` (`postgres_conn`: autocommit reads, one explicit
transaction per write, committed before the method returns; the server's
`synchronous_commit` decides when a commit is durable, which is why `open` warns when
it is off). The operations both backends share are `store.core`'s.

Concurrency is the database's job: uniqueness is a unique index, the v1 upsert is
`INSERT ... ON CONFLICT`, and contact writes take their app's row lock first (see
`postgres_contacts`). Failures of the database become `StoreUnavailable` (a 503),
a full disk `StoreFull` (a 507), never a 500; a pooled connection found dead is
replaced where retrying is safe.

Every query filters on app_id and every key leads with it (see the migration), so a
Citus cluster distributing by app_id routes each query to one shard. Start-up (URL,
wait, migrations, durability check) is in `postgres_setup`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

import psycopg
from psycopg import errors
from psycopg_pool import AsyncConnectionPool

from contactd.domain import models
from contactd.domain.names import search_key
from contactd.domain.store import PhonesTaken, StoreUnavailable
from contactd.store import postgres_answers as pga
from contactd.store import postgres_contacts as pgc
from contactd.store import postgres_extensions as pgx
from contactd.store import postgres_pages as pgp
from contactd.store import postgres_setup as setup
from contactd.store.core import StoreCore
from contactd.store.listing_memo import ListingMemos
from contactd.store.postgres_batch import Batcher, int_array
from contactd.store.postgres_conn import Conn, PostgresConnections
from contactd.store.postgres_faults import one_line
from contactd.store.queries import POSTGRES
from contactd.store.snapshot_rows import POSTGRES_SNAPSHOT
from contactd.store.tx import Row

__all__ = ["PostgresStore"]

log = logging.getLogger("contactd.store")

PING_TIMEOUT_SECONDS = 2.0

# The statements of the reads every request makes, bound once.
_TOKEN_HOLDER = POSTGRES.principal_for_token
_CONTACT_COUNT = POSTGRES.contact_count


def _principal(row: Row) -> models.Principal:
    return models.Principal(*row)


class PostgresStore(PostgresConnections, StoreCore):
    backend = "postgresql"
    _queries = POSTGRES
    _unique_violation = (errors.UniqueViolation,)
    _foreign_key_violation = (errors.ForeignKeyViolation,)
    _snapshot_sql = POSTGRES_SNAPSHOT
    # A row against the schema's keys; a value its column's type cannot hold.
    _refused_rows = (errors.IntegrityError, errors.DataError)
    _principal = staticmethod(_principal)

    def __init__(self, pool: AsyncConnectionPool[Conn], target: setup.PgTarget) -> None:
        super().__init__(pool, target)
        self._memos = ListingMemos()
        self._v3_pages = Batcher(functools.partial(self._pages, pgc.PAGES))
        self._v1_pages = Batcher(functools.partial(self._pages, pgp.PAGES))

    async def _pages(self, statement: str, keys: list[tuple[int, int, int]]) -> list[Row]:
        """One row of `statement` per (app, after_seq, limit), in their order."""
        apps, afters, limits = zip(*keys, strict=True)
        return await self._rows(statement, tuple(map(int_array, (apps, afters, limits))))

    async def close(self) -> None:
        await self._v3_pages.drain()
        await self._v1_pages.drain()
        await super().close()

    @classmethod
    async def open(cls, database_url: str, *, wait_seconds: float) -> PostgresStore:
        """Wait for the database (bounded), migrate it, check durability, open the pool."""
        target = setup.parse_url(database_url)
        try:
            pool = await setup.open_pool(target, wait_seconds)
        except psycopg.Error as exc:
            # Also a refusal past the connection (no CREATE privilege for the schema, an
            # extension not installable): a setting to fix, said in one line.
            raise StoreUnavailable(f"PostgreSQL at {target.redacted}: {one_line(exc)}") from exc
        log.info(
            "PostgreSQL store at %s, schema %s, pool %d-%d",
            target.redacted,
            target.schema,
            target.pool_min_size,
            target.pool_max_size,
        )
        store = cls(pool, target)
        await store._resume_fragment_folds()
        return store

    async def ping(self) -> None:
        await self._rows("SELECT 1", timeout=min(PING_TIMEOUT_SECONDS, self.target.pool_timeout))

    async def contact_count(self, app_id: int) -> int:
        rows = await self._rows(_CONTACT_COUNT, (app_id,))
        return int(rows[0][0]) if rows else 0

    async def principal_for_token(
        self, app_id: int, token_hash: bytes, now: int
    ) -> tuple[models.Principal, int] | None:
        rows = await self._rows(_TOKEN_HOLDER, (app_id, token_hash, now))
        if not rows:
            return None
        *principal, expires_at = rows[0]
        return _principal(tuple(principal)), int(expires_at)

    # -- contacts ---------------------------------------------------------------
    async def add_contacts(self, app_id: int, contacts: Sequence[models.NewContact]) -> None:
        try:
            ids = [c.contact_id for c in contacts]  # what the add's answer names
            await self._write(
                pga.keyed(
                    app_id,
                    functools.partial(pgc.insert_contacts, app_id=app_id, contacts=contacts),
                    lambda _: ids,
                )
            )
        except errors.UniqueViolation as exc:
            # Asked after the rollback, so the batch's own new phones are not named.
            keys = [c.phone_key for c in contacts]
            raise PhonesTaken(await self._taken_keys(app_id, keys)) from exc

    async def _taken_keys(self, app_id: int, keys: Sequence[str]) -> list[str]:
        rows = await self._rows(
            "SELECT phone_key FROM contacts WHERE app_id = %s AND phone_key = ANY(%s)",
            (app_id, list(keys)),
        )
        return [str(row[0]) for row in rows]

    async def update_contacts(self, app_id: int, changes: Sequence[models.ContactChanges]) -> None:
        await self._write(
            pga.keyed(
                app_id, functools.partial(pgc.update_contacts, app_id=app_id, changes=changes)
            )
        )

    async def delete_contacts(self, app_id: int, contact_ids: Sequence[str]) -> int:
        ids = pgc.uuids(contact_ids)
        if not ids:
            return 0
        return await self._write(
            pga.keyed(app_id, functools.partial(pgc.delete_contacts, app_id=app_id, ids=ids))
        )

    async def get_contact(self, app_id: int, contact_id: str) -> tuple[int, str | None]:
        key = pgc.uuid_or_none(contact_id)
        rows = [] if key is None else await self._rows(pgc.GET_WITH_COUNT, (app_id, app_id, key))
        if not rows:
            return await self.contact_count(app_id), None
        count, card = rows[0]
        return int(count), card

    async def page_contacts(self, app_id: int, *, after_seq: int, limit: int) -> models.CardRows:
        count, cards, last, more = await self._v3_pages.read((app_id, after_seq, limit))
        return models.CardRows(
            int(count or 0), cards, after_seq if last is None else int(last), bool(more)
        )

    # -- v1: contacts by phone and by page number ------------------------------------
    async def upsert_by_phone(self, app_id: int, upsert: models.PhoneUpsert) -> None:
        return await self._write(
            pga.keyed(app_id, functools.partial(pgc.upsert_by_phone, app_id=app_id, upsert=upsert))
        )

    async def delete_by_phone(self, app_id: int, phone_key: str) -> bool:
        return await self._write(
            pga.keyed(
                app_id, functools.partial(pgc.delete_by_phone, app_id=app_id, phone_key=phone_key)
            )
        )

    async def page_entries(self, app_id: int, *, offset: int, limit: int) -> models.EntryRows:
        start = self._memos.boundaries.find(app_id, "", offset)
        page: pgp.Page | None = None
        walk = pgp.start_of(start, offset)
        if walk is not None:
            after, version = walk
            row = await self._v1_pages.read((app_id, after, limit))
            page = pgp.walked_page(row, version=version, offset=offset)
        if page is None:
            skipped = functools.partial(
                pgp.skipped_page, app_id=app_id, offset=offset, limit=limit, start=start
            )
            page = await self._snapshot(skipped)
        return self._memos.record_page(app_id, page)

    async def list_contacts(
        self, app_id: int, *, offset: int, limit: int, name: str
    ) -> tuple[int, list[models.Contact]]:
        key = search_key(name)
        query = functools.partial(
            pgc.list_page,
            app_id=app_id,
            key=key,
            offset=offset,
            limit=limit,
            start=self._memos.boundaries.find(app_id, key, offset),
            known=self._memos.counts.find(app_id, key),
        )
        listing = await self._snapshot(query)
        return self._memos.record(app_id, key, offset, listing)

    # -- extensions (/x/contacts/...) ------------------------------------------------
    async def search_contacts(
        self, app_id: int, search: models.ContactSearch
    ) -> tuple[int, list[models.Contact]]:
        return await self._snapshot(
            functools.partial(pgx.search_page, app_id=app_id, search=search)
        )

    async def due_contacts(
        self, app_id: int, window: models.DueWindow
    ) -> tuple[int, list[models.Contact]]:
        query, params = pgx.due_query(app_id, window)
        return pgx.due_answer(await self._rows(query, params))

    async def find_contact(self, app_id: int, contact_id: str) -> models.Contact | None:
        key = pgc.uuid_or_none(contact_id)
        rows = [] if key is None else await self._rows(pgx.BY_ID, (app_id, key))
        return pgc.contact_from_row(rows[0]) if rows else None

    async def find_by_phone(self, app_id: int, phone_key: str) -> models.Contact | None:
        rows = await self._rows(pgx.BY_PHONE, (app_id, phone_key))
        return pgc.contact_from_row(rows[0]) if rows else None

    async def change_contact(self, app_id: int, change: models.ContactChanges) -> models.Contact:
        return await self._write(
            pga.keyed(app_id, functools.partial(pgx.change_contact, app_id=app_id, change=change))
        )

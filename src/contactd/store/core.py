"""The store written once: every operation both backends share, over a small dialect
interface.

`StoreCore` holds the logic of the server secret, apps, principals, tokens, the login
throttle, the v2 tags, the idempotency keys and the operator queries: which statements
run, in which transaction, how rows become records, and which `StoreError` is raised. Their SQL is
data (`store.queries`, one `Queries` per dialect) and their statements go through a
`Tx` (`store.tx`, which says how one coroutine serves both the blocking SQLite
connection and the async psycopg one).

A backend (`SQLiteStore`, `PostgresStore`) subclasses `StoreCore` and supplies only:

- `_queries`: its `Queries`;
- `_reads`: a `Reads` for statements outside a transaction (SQLite's reader connection;
  PostgreSQL's pool, one statement per pooled connection);
- `_transact(op)`: runs `op` in one write transaction, committed before it returns
  (SQLite's writer thread; PostgreSQL's pool, with its retries);
- `_unique_violation`, `_foreign_key_violation`: its driver's exceptions for those;
- `_principal(row)`: a principal from its row (SQLite has no booleans);
- `_read_snapshot(op)`: runs the reads of `op` in one read snapshot;
- `_snapshot_sql`, `_refused_rows`: its statements of a snapshot (`snapshot_rows`), and
  its driver's exceptions for rows that break the schema's rules;
- `_memos`: its listing memos (`listing_memo`), dropped with the rows they remember.

What is not here stays with the backend because the dialects really differ, or because
a shared layer would cost the hot paths: the contact writes and reads (group commit,
the search planner, the page as one row), the token check and the contact count, which
every authenticated request and listing reads without an extra await.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar, TypeVar

from contactd.domain.idempotency import KeptAnswer
from contactd.domain.models import App, AppSummary, NewPrincipal, Principal, PrincipalChanges
from contactd.domain.names import name_search_key, search_key
from contactd.domain.snapshot import SnapshotRowsRefused, StoreSnapshot
from contactd.domain.store import ExtensionTaken
from contactd.domain.tokens import TOKEN_TTL_MS
from contactd.store import answers, snapshot_rows
from contactd.store.listing_memo import ListingMemos
from contactd.store.queries import Queries, like_contains
from contactd.store.tx import Op, Params, Reads, Row, Tx

__all__ = ["StoreCore"]

T = TypeVar("T")


def _changes(query: str, params: Params) -> Op[int]:
    """The operation that runs one statement and tells how many rows it changed."""

    async def run(tx: Tx) -> int:
        return await tx.run(query, params)

    return run


class StoreCore(ABC):
    """The operations of `domain.store.Store` that both backends share."""

    _queries: ClassVar[Queries]
    _unique_violation: ClassVar[tuple[type[Exception], ...]]
    _foreign_key_violation: ClassVar[tuple[type[Exception], ...]]
    _snapshot_sql: ClassVar[snapshot_rows.SnapshotSql]
    _refused_rows: ClassVar[tuple[type[Exception], ...]]
    _reads: Reads
    _memos: ListingMemos

    @abstractmethod
    async def _transact(self, op: Op[T]) -> T:
        """Run `op` in one write transaction; commit, or roll back and re-raise."""

    @abstractmethod
    async def _read_snapshot(self, op: Op[T]) -> T:
        """Run `op`, which only reads, in one read snapshot of the whole store."""

    @staticmethod
    @abstractmethod
    def _principal(row: Row) -> Principal:
        """A principal from a row of `Queries.get_principal`'s columns."""

    async def server_secret(self, candidate: bytes) -> bytes:
        q = self._queries

        async def keep(tx: Tx) -> bytes:
            await tx.run(q.keep_server_secret, (candidate,))
            row = await tx.one(q.server_secret)
            assert row is not None  # kept by the statement before, in this transaction
            return bytes(row[0])

        return await self._transact(keep)

    # -- apps ------------------------------------------------------------------
    async def add_app(self, app: App) -> bool:
        params = (app.app_id, app.name, app.secret_hash, app.country_code, app.created_at)
        return await self._transact(_changes(self._queries.add_app, params)) == 1

    async def get_app(self, app_id: int) -> App | None:
        row = await self._reads.one(self._queries.get_app, (app_id,))
        return None if row is None else App(*row)

    # -- operator commands -------------------------------------------------------
    async def list_apps(self) -> list[AppSummary]:
        return [AppSummary(*row) for row in await self._reads.all(self._queries.list_apps)]

    async def set_app_secret(self, app_id: int, secret_hash: bytes) -> bool:
        changed = _changes(self._queries.set_app_secret, (secret_hash, app_id))
        return await self._transact(changed) == 1

    async def clear_login_failures(self, app_id: int, extension: int) -> int:
        cleared = _changes(self._queries.clear_login_attempts, (app_id, extension))
        return await self._transact(cleared)

    # -- principals and tokens ------------------------------------------------------
    async def add_principal(self, principal: NewPrincipal) -> None:
        p = principal
        values = (p.app_id, p.extension, p.first_name, p.last_name, p.phone, p.email)
        more = (p.password_hash, p.start_time, p.end_time, p.notify, p.followme, p.created_at)
        name_key = name_search_key(p.first_name, p.last_name)
        try:
            await self._transact(_changes(self._queries.add_principal, (*values, *more, name_key)))
        except self._unique_violation as exc:
            raise ExtensionTaken(str(p.extension)) from exc

    async def get_principal(self, app_id: int, extension: int) -> Principal | None:
        row = await self._reads.one(self._queries.get_principal, (app_id, extension))
        return None if row is None else self._principal(row)

    async def list_principals(
        self, app_id: int, *, offset: int, limit: int, name: str
    ) -> tuple[int, list[Principal]]:
        q = self._queries
        params = (app_id, like_contains(search_key(name)))
        counted = await self._reads.one(q.count_principals, params)
        count = int(counted[0]) if counted else 0
        if offset >= count:  # also keeps an absurd page number out of a 64-bit OFFSET
            return count, []
        rows = await self._reads.all(q.list_principals, (*params, limit, offset))
        return count, [self._principal(row) for row in rows]

    async def update_principal(
        self, app_id: int, extension: int, changes: PrincipalChanges
    ) -> bool:
        q, c = self._queries, changes
        values = (c.phone, c.email, c.password_hash, c.start_time, c.end_time, c.notify)

        async def update(tx: Tx) -> bool:
            # The folded name needs both parts: read the current ones (locked) first.
            row = await tx.one(q.principal_name, (app_id, extension))
            if row is None:
                return False
            first = row[0] if c.first_name is None else c.first_name
            last = row[1] if c.last_name is None else c.last_name
            name_key = name_search_key(first, last)
            await tx.run(q.update_principal, (first, last, name_key, *values, app_id, extension))
            return True

        return await self._transact(update)

    async def remove_principal(self, app_id: int, extension: int) -> bool:
        q, key = self._queries, (app_id, extension)

        async def remove(tx: Tx) -> bool:
            # The tokens go first, explicitly, in the same transaction: once it commits
            # no process accepts them, whatever a foreign-key pragma says.
            await tx.run(q.remove_tokens, key)
            return await tx.run(q.remove_principal, key) == 1

        return await self._transact(remove)

    async def add_token(
        self, app_id: int, token_hash: bytes, extension: int, expires_at: int
    ) -> bool:
        q = self._queries
        token = (app_id, token_hash, extension, expires_at, app_id, extension)

        async def insert(tx: Tx) -> bool:
            # Expired tokens of this principal are dropped as it logs in again.
            await tx.run(q.drop_expired_tokens, (app_id, extension, expires_at - TOKEN_TTL_MS))
            return await tx.run(q.add_token, token) == 1

        try:
            return await self._transact(insert)
        except self._foreign_key_violation:
            # Removed between the EXISTS check and the insert, by another transaction.
            return False

    async def expire_token(self, app_id: int, token_hash: bytes) -> bool:
        changed = _changes(self._queries.expire_token, (app_id, token_hash))
        return await self._transact(changed) == 1

    # -- the login throttle (domain/throttle.py) --------------------------------------
    async def reserve_login_attempt(
        self, app_id: int, extension: int, attempt_id: int, at: int, *, since: int, limit: int
    ) -> list[int]:
        q = self._queries

        async def reserve(tx: Tx) -> list[int]:
            # Counting and keeping in one transaction, which nothing else reserving for
            # the id can interleave with: the window never holds more than `limit`.
            if q.lock_login_id is not None:
                await tx.run(q.lock_login_id, (app_id, extension, at))
            rows = await tx.all(q.recent_login_attempts, (app_id, extension, since))
            times = [int(row[0]) for row in rows]
            if len(times) < limit:
                await tx.run(q.add_login_attempt, (app_id, extension, attempt_id, at))
            await tx.run(q.sweep_login_attempts, {"app": app_id, "since": since})
            return times

        return await self._transact(reserve)

    async def clear_login_attempt(self, app_id: int, extension: int, attempt_id: int) -> None:
        await self._transact(
            _changes(self._queries.clear_login_attempt, (app_id, extension, attempt_id))
        )

    async def recent_login_attempts(self, app_id: int, extension: int, since: int) -> list[int]:
        rows = await self._reads.all(
            self._queries.recent_login_attempts, (app_id, extension, since)
        )
        return [int(row[0]) for row in rows]

    # -- the v2 tags (domain/tags.py) ---------------------------------------------------
    async def tag_catalogue(self, app_id: int) -> list[str]:
        rows = await self._reads.all(self._queries.tag_catalogue, (app_id,))
        return [str(row[0]) for row in rows]

    async def set_tag_catalogue(self, app_id: int, tags: Sequence[str]) -> None:
        q = self._queries

        async def replace(tx: Tx) -> None:
            await tx.run(q.clear_tag_catalogue, (app_id,))
            for position, tag in enumerate(tags):
                await tx.run(q.add_catalogue_tag, (app_id, position, tag))

        await self._transact(replace)

    async def tags_in_use(self, app_id: int, *, limit: int) -> list[str]:
        rows = await self._reads.all(self._queries.tags_in_use, (app_id, app_id, limit))
        return [str(row[0]) for row in rows]

    # -- idempotency keys (store/answers.py) --------------------------------------------
    async def find_answer(self, app_id: int, key: str, *, since: int) -> KeptAnswer | None:
        row = await self._reads.one(self._queries.find_answer, (app_id, key, since))
        return None if row is None else answers.found(row)

    async def keep_answer(
        self, app_id: int, key: str, answer: KeptAnswer, *, expired_before: int
    ) -> bool:
        query = self._queries.keep_answer

        async def keep(tx: Tx) -> bool:
            return await answers.keep(tx, query, app_id, key, answer, expired_before)

        return await self._transact(keep)

    async def sweep_answers(self, *, before: int, limit: int) -> int:
        return await self._transact(_changes(self._queries.sweep_answers, (before, limit)))

    # -- stand-in mode: an app emptied, the whole store saved and replaced --------------
    async def reset_app(self, app_id: int) -> None:
        statements = self._queries.reset_app

        async def reset(tx: Tx) -> None:
            for statement in statements:
                await tx.run(statement, (app_id,))

        await self._transact(reset)
        # After the commit: a listing read before it recorded the old list_version,
        # which the reset bumped, so nothing remembered in between can hold either.
        self._memos.forget(app_id)

    async def dump_snapshot(self) -> StoreSnapshot:
        sql = self._snapshot_sql
        return await self._read_snapshot(lambda tx: snapshot_rows.dump(tx, sql))

    async def load_snapshot(self, snapshot: StoreSnapshot) -> None:
        sql = self._snapshot_sql
        try:
            await self._transact(lambda tx: snapshot_rows.load(tx, sql, snapshot))
        except self._refused_rows as exc:
            raise SnapshotRowsRefused(" ".join(str(exc).split())) from exc
        finally:
            self._memos.clear()

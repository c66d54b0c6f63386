"""The SQLite backend: one file in WAL mode, one process.

Reads run on the event loop through a reader connection: they take tens of
microseconds, less than a hop to a thread would cost. Writes run on one writer
connection owned by one thread, so they are serialized, never block reads (WAL), and a
`synchronous=FULL` commit waits for fsync without stalling the loop. Every write is a
`BEGIN IMMEDIATE` transaction that has committed before the awaiting handler goes on.

One process only: SQLite before 3.51.3 can corrupt a WAL file written by several
processes at once, so more processes means the PostgreSQL backend.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from contactd.domain.models import (
    App,
    Contact,
    ContactChanges,
    NewContact,
    NewPrincipal,
    Principal,
    PrincipalChanges,
)
from contactd.store.base import (
    ExtensionTaken,
    PhonesTaken,
    StoreUnavailable,
    UnknownContact,
)
from contactd.store.migrations.runner import migrations_for

__all__ = ["SQLiteStore"]

log = logging.getLogger("contactd.store")
T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000
_CONTACT_COLUMNS = (
    "app_id, seq, contact_id, phone, phone_key, first_name, last_name, email, company, "
    "job_title, tag, status, remindme, info, notes, saved_by, created_at"
)
_PRINCIPAL_COLUMNS = (
    "app_id, extension, first_name, last_name, phone, email, password_hash, "
    "start_time, end_time, notify, followme, created_at"
)
# A principal is read with its app's country code, which its phone rules need.
_PRINCIPAL_SELECT = (
    "SELECT "
    + ", ".join(f"p.{column.strip()}" for column in _PRINCIPAL_COLUMNS.split(","))
    + ", a.country_code FROM principals p JOIN apps a ON a.app_id = p.app_id"
)
_CONTACT_CHANGE_COLUMNS = (
    "phone",
    "phone_key",
    "first_name",
    "last_name",
    "email",
    "company",
    "job_title",
)
_PRINCIPAL_CHANGE_COLUMNS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "password_hash",
    "start_time",
    "end_time",
    "notify",
)


def _contact(row: tuple[object, ...]) -> Contact:
    return Contact(*row)  # type: ignore[arg-type]  # columns are in field order


def _principal(row: tuple[object, ...]) -> Principal:
    values = list(row)
    values[9], values[10] = bool(values[9]), bool(values[10])
    return Principal(*values)  # type: ignore[arg-type]


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class SQLiteStore:
    backend = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        self._writer_thread = ThreadPoolExecutor(1, thread_name_prefix="contactd-sqlite-writer")
        self._writer = _connect(path)
        self._reader = _connect(path)

    @classmethod
    async def open(cls, path: str) -> SQLiteStore:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        store = cls(path)
        await store._write(store._migrate)
        log.info("SQLite store at %s (SQLite %s)", path, sqlite3.sqlite_version)
        return store

    async def close(self) -> None:
        await self._run_on_writer(self._writer.close)
        self._writer_thread.shutdown(wait=True)
        self._reader.close()

    # -- plumbing -------------------------------------------------------------
    async def _run_on_writer(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._writer_thread, fn)

    async def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` in one IMMEDIATE transaction on the writer; commit or roll back."""

        def transaction() -> T:
            conn = self._writer
            try:
                conn.execute("BEGIN IMMEDIATE")
                result = fn(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

        try:
            return await self._run_on_writer(transaction)
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreUnavailable("the database is busy; retry shortly") from exc
            raise

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        try:
            return self._reader.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreUnavailable("the database is busy; retry shortly") from exc
            raise

    def _migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
        )
        applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for version, name, sql in migrations_for("sqlite"):
            if version in applied:
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, CAST(strftime('%s', 'now') AS INTEGER)"
                " * 1000)",
                (version, name),
            )
            log.info("applied migration %s", name)

    async def ping(self) -> None:
        try:
            self._read("SELECT 1")
        except sqlite3.Error as exc:
            raise StoreUnavailable(str(exc)) from exc

    async def server_secret(self, candidate: bytes) -> bytes:
        def keep(conn: sqlite3.Connection) -> bytes:
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('server_secret', ?)", (candidate,)
            )
            row = conn.execute("SELECT value FROM meta WHERE key = 'server_secret'").fetchone()
            return bytes(row[0])

        return await self._write(keep)

    # -- apps ------------------------------------------------------------------
    async def add_app(self, app: App) -> bool:
        def insert(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO apps (app_id, name, secret_hash, country_code, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (app.app_id, app.name, app.secret_hash, app.country_code, app.created_at),
            )
            return cursor.rowcount == 1

        return await self._write(insert)

    async def get_app(self, app_id: int) -> App | None:
        rows = self._read(
            "SELECT app_id, name, secret_hash, country_code, created_at FROM apps WHERE app_id = ?",
            (app_id,),
        )
        return App(*rows[0]) if rows else None  # type: ignore[arg-type]

    async def contact_count(self, app_id: int) -> int:
        rows = self._read("SELECT contact_count FROM apps WHERE app_id = ?", (app_id,))
        return int(rows[0][0]) if rows else 0  # type: ignore[call-overload]

    # -- principals and tokens ------------------------------------------------------
    async def add_principal(self, principal: NewPrincipal) -> None:
        def insert(conn: sqlite3.Connection) -> None:
            try:
                conn.execute(
                    f"INSERT INTO principals ({_PRINCIPAL_COLUMNS}) VALUES ({_marks(12)})",
                    (
                        principal.app_id,
                        principal.extension,
                        principal.first_name,
                        principal.last_name,
                        principal.phone,
                        principal.email,
                        principal.password_hash,
                        principal.start_time,
                        principal.end_time,
                        principal.notify,
                        principal.followme,
                        principal.created_at,
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise ExtensionTaken(str(principal.extension)) from exc

        await self._write(insert)

    async def get_principal(self, app_id: int, extension: int) -> Principal | None:
        rows = self._read(
            f"{_PRINCIPAL_SELECT} WHERE p.app_id = ? AND p.extension = ?", (app_id, extension)
        )
        return _principal(rows[0]) if rows else None

    async def list_principals(
        self, app_id: int, *, offset: int, limit: int, name: str
    ) -> tuple[int, list[Principal]]:
        where = "p.app_id = ? AND instr(lower(p.first_name || ' ' || p.last_name), lower(?)) > 0"
        params: tuple[object, ...] = (app_id, name)
        count = self._read(f"SELECT count(*) FROM principals p WHERE {where}", params)[0][0]
        rows = self._read(
            f"{_PRINCIPAL_SELECT} WHERE {where} ORDER BY p.extension LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return int(count), [_principal(row) for row in rows]  # type: ignore[call-overload]

    async def update_principal(
        self, app_id: int, extension: int, changes: PrincipalChanges
    ) -> bool:
        assignments, values = _assignments(changes, _PRINCIPAL_CHANGE_COLUMNS)

        def update(conn: sqlite3.Connection) -> bool:
            if not assignments:
                found = conn.execute(
                    "SELECT 1 FROM principals WHERE app_id = ? AND extension = ?",
                    (app_id, extension),
                ).fetchone()
                return found is not None
            cursor = conn.execute(
                f"UPDATE principals SET {assignments} WHERE app_id = ? AND extension = ?",
                (*values, app_id, extension),
            )
            return cursor.rowcount == 1

        return await self._write(update)

    async def remove_principal(self, app_id: int, extension: int) -> bool:
        def remove(conn: sqlite3.Connection) -> bool:
            # Tokens go first and explicitly: revocation must not hang on a pragma.
            conn.execute(
                "DELETE FROM tokens WHERE app_id = ? AND extension = ?", (app_id, extension)
            )
            cursor = conn.execute(
                "DELETE FROM principals WHERE app_id = ? AND extension = ?", (app_id, extension)
            )
            return cursor.rowcount == 1

        return await self._write(remove)

    async def add_token(
        self, app_id: int, token_hash: bytes, extension: int, expires_at: int
    ) -> None:
        def insert(conn: sqlite3.Connection) -> None:
            # Expired tokens of this principal are dropped as it logs in again.
            conn.execute(
                "DELETE FROM tokens WHERE app_id = ? AND extension = ? AND expires_at <= ?",
                (app_id, extension, expires_at - 30 * 24 * 3600 * 1000),
            )
            conn.execute(
                "INSERT INTO tokens (app_id, token_hash, extension, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (app_id, token_hash, extension, expires_at),
            )

        await self._write(insert)

    async def principal_for_token(
        self, app_id: int, token_hash: bytes, now: int
    ) -> Principal | None:
        rows = self._read(
            f"{_PRINCIPAL_SELECT} JOIN tokens t"
            " ON t.app_id = p.app_id AND t.extension = p.extension"
            " WHERE t.app_id = ? AND t.token_hash = ? AND t.expires_at > ?",
            (app_id, token_hash, now),
        )
        return _principal(rows[0]) if rows else None

    # -- contacts ---------------------------------------------------------------
    async def add_contacts(self, app_id: int, contacts: Sequence[NewContact]) -> None:
        rows = [
            (
                app_id,
                c.contact_id,
                c.phone,
                c.phone_key,
                c.first_name,
                c.last_name,
                c.email,
                c.company,
                c.job_title,
                c.tag,
                c.status,
                c.remindme,
                c.info,
                c.notes_json,
                c.saved_by,
                c.created_at,
            )
            for c in contacts
        ]
        keys = [c.phone_key for c in contacts]

        def insert(conn: sqlite3.Connection) -> None:
            try:
                conn.executemany(
                    "INSERT INTO contacts (app_id, contact_id, phone, phone_key, first_name,"
                    " last_name, email, company, job_title, tag, status, remindme, info, notes,"
                    f" saved_by, created_at) VALUES ({_marks(16)})",
                    rows,
                )
            except sqlite3.IntegrityError as exc:
                raise PhonesTaken(_taken_keys(conn, app_id, keys)) from exc
            conn.execute(
                "UPDATE apps SET contact_count = contact_count + ? WHERE app_id = ?",
                (len(rows), app_id),
            )

        await self._write(insert)

    async def update_contacts(self, app_id: int, changes: Sequence[ContactChanges]) -> None:
        def update(conn: sqlite3.Connection) -> None:
            for change in changes:
                assignments, values = _assignments(change, _CONTACT_CHANGE_COLUMNS)
                sql = (
                    f"UPDATE contacts SET {assignments} WHERE app_id = ? AND contact_id = ?"
                    if assignments
                    else "SELECT 1 FROM contacts WHERE app_id = ? AND contact_id = ?"
                )
                try:
                    cursor = conn.execute(sql, (*values, app_id, change.contact_id))
                except sqlite3.IntegrityError as exc:
                    raise PhonesTaken([change.phone_key or ""]) from exc
                touched = cursor.rowcount if assignments else len(cursor.fetchall())
                if touched != 1:
                    raise UnknownContact(change.contact_id)

        await self._write(update)

    async def delete_contacts(self, app_id: int, contact_ids: Sequence[str]) -> int:
        unique_ids = list(dict.fromkeys(contact_ids))

        marks = _marks(len(unique_ids))

        def delete(conn: sqlite3.Connection) -> int:
            cursor = conn.execute(
                f"DELETE FROM contacts WHERE app_id = ? AND contact_id IN ({marks})",
                (app_id, *unique_ids),
            )
            deleted = cursor.rowcount
            if deleted:
                conn.execute(
                    "UPDATE apps SET contact_count = contact_count - ? WHERE app_id = ?",
                    (deleted, app_id),
                )
            return deleted

        return await self._write(delete)

    async def get_contact(self, app_id: int, contact_id: str) -> Contact | None:
        rows = self._read(
            f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE app_id = ? AND contact_id = ?",
            (app_id, contact_id),
        )
        return _contact(rows[0]) if rows else None

    async def page_contacts(self, app_id: int, *, after_seq: int, limit: int) -> list[Contact]:
        rows = self._read(
            f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE app_id = ? AND seq > ?"
            " ORDER BY seq LIMIT ?",
            (app_id, after_seq, limit),
        )
        return [_contact(row) for row in rows]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _assignments(changes: object, columns: Sequence[str]) -> tuple[str, list[object]]:
    """`col = ?` pairs and values for the fields of `changes` that are not None."""
    names = [c for c in columns if getattr(changes, c) is not None]
    return ", ".join(f"{c} = ?" for c in names), [getattr(changes, c) for c in names]


def _taken_keys(conn: sqlite3.Connection, app_id: int, keys: Sequence[str]) -> list[str]:
    rows = conn.execute(
        f"SELECT phone_key FROM contacts WHERE app_id = ? AND phone_key IN ({_marks(len(keys))})",
        (app_id, *keys),
    ).fetchall()
    return [str(row[0]) for row in rows]


def _statements(sql: str) -> list[str]:
    """Split a migration file into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements

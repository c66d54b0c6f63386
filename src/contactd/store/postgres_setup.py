"""Getting a PostgreSQL database ready: the URL, the wait, the schema, the durability check.

Everything here runs once per process start, before the pool serves a request:

- `parse_url` splits contactd's own URL parameters (`schema`, `pool_min_size`,
  `pool_max_size`, `pool_timeout`) from the ones libpq understands, which pass through
  untouched;
- `connect_with_wait` retries a refused connection with backoff for a bounded time, so
  a server started alongside its database (compose, systemd) waits instead of crashing;
  a refusal no wait can fix (authentication, no such database) fails at once;
- `prepare` creates the schema and the extensions and applies the numbered migrations
  under a transaction-scoped advisory lock, so several processes starting at once
  apply each migration exactly once, then vacuums a table a migration just rewrote;
- `durability_warnings` names the server settings that can lose acknowledged writes;
- `open_pool` runs those in order and opens the pool, whose connections each get the
  schema (and the extensions' schema) as their search path.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg_pool import AsyncConnectionPool

from contactd.domain.store import StoreUnavailable
from contactd.store.migrations.runner import apply_pending
from contactd.store.postgres_conn import PostgresTx
from contactd.store.postgres_faults import one_line
from contactd.store.queries import POSTGRES

__all__ = [
    "DEFAULT_POOL_MAX_SIZE",
    "DEFAULT_POOL_MIN_SIZE",
    "DEFAULT_POOL_TIMEOUT_SECONDS",
    "DEFAULT_SCHEMA",
    "EXTENSIONS",
    "PgTarget",
    "check_durability",
    "connect_with_wait",
    "durability_warnings",
    "is_permanent",
    "open_pool",
    "parse_url",
    "prepare",
]

log = logging.getLogger("contactd.store")

DEFAULT_SCHEMA = "public"
DEFAULT_POOL_MIN_SIZE = 1
DEFAULT_POOL_MAX_SIZE = 10
DEFAULT_POOL_TIMEOUT_SECONDS = 5.0
"""How long a request waits for a pooled connection before it is answered 503."""
DEFAULT_CONNECT_TIMEOUT_SECONDS = 5
EXTENSIONS = ("pg_trgm", "btree_gin")
"""pg_trgm for the substring name index; btree_gin puts app_id in that GIN index."""

# One database-wide key: the extensions are per database, not per schema, so two
# schemas migrating at once must not race on CREATE EXTENSION either.
_MIGRATION_LOCK_KEY = 0x636F6E7461637464  # "contactd"
REWRITES: Mapping[int, tuple[str, ...]] = {18: ("contacts",)}
"""The tables each migration rewrites whole (0018 adds stored generated columns)."""
_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_OWN_PARAMS = ("schema", "pool_min_size", "pool_max_size", "pool_timeout")
_MAX_BACKOFF_SECONDS = 5.0
# SQLSTATE classes that no retry fixes: 28 invalid authorization (bad password, unknown
# role, no pg_hba.conf entry) and 3D invalid catalog name (no such database). libpq
# gives a failed connection attempt no SQLSTATE, only the server's message, so the
# messages of those classes (and of a missing CONNECT privilege) are recognised too.
_PERMANENT_CLASSES = ("28", "3D")
_PERMANENT_MESSAGES = re.compile(
    r"authentication failed|no pg_hba\.conf entry|role \".*\" does not exist"
    r"|database \".*\" does not exist|is not permitted to log in"
    r"|permission denied for database"
)


@dataclass(frozen=True)
class PgTarget:
    """A `postgresql://` URL split into what libpq gets and what contactd keeps."""

    conninfo: str
    """The URL without contactd's parameters; libpq reads it."""
    redacted: str
    """The URL with its password masked: the only form that reaches a log line."""
    schema: str
    pool_min_size: int
    pool_max_size: int
    pool_timeout: float
    """Seconds a request waits for a pooled connection before it is answered 503."""


def parse_url(database_url: str) -> PgTarget:
    """Split `postgresql://user@host:port/db?schema=s&pool_max_size=20&sslmode=...`.

    contactd's parameters: `schema` (default public), `pool_min_size` (1),
    `pool_max_size` (10, per process), `pool_timeout` (5 seconds).
    """
    parts = urlsplit(database_url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    own = {k: v for k, v in params if k in _OWN_PARAMS}
    passed = [(k, v) for k, v in params if k not in _OWN_PARAMS]
    schema = own.get("schema") or DEFAULT_SCHEMA
    if not _SCHEMA_NAME.fullmatch(schema):
        raise ValueError(f"schema must be a plain identifier (letters, digits, _), not {schema!r}")
    conninfo = urlunsplit(parts._replace(query=urlencode(passed, quote_via=quote)))
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.split(':', 1)[0]}:***@{host}"
    return PgTarget(
        conninfo=conninfo,
        redacted=urlunsplit(parts._replace(netloc=netloc, query="")),
        schema=schema,
        pool_min_size=_positive(own, "pool_min_size", DEFAULT_POOL_MIN_SIZE),
        pool_max_size=_positive(own, "pool_max_size", DEFAULT_POOL_MAX_SIZE),
        pool_timeout=_seconds(own, "pool_timeout", DEFAULT_POOL_TIMEOUT_SECONDS),
    )


def _positive(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} must be a positive integer, not {raw!r}")
    return int(raw)


def _seconds(params: Mapping[str, str], name: str, default: float) -> float:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise ValueError(f"{name} must be a positive number of seconds, not {raw!r}")
    return value


def connection_kwargs(target: PgTarget) -> dict[str, Any]:
    """Connection options contactd sets unless the URL sets them itself.

    Autocommit: a read is one statement with no BEGIN/COMMIT round trips; writes open
    an explicit transaction. A connect timeout: libpq's default waits forever on a
    host that drops packets.
    """
    given = psycopg.conninfo.conninfo_to_dict(target.conninfo)
    kwargs: dict[str, Any] = {"autocommit": True}
    if "connect_timeout" not in given:
        kwargs["connect_timeout"] = DEFAULT_CONNECT_TIMEOUT_SECONDS
    if "application_name" not in given:
        kwargs["application_name"] = "contactd"
    return kwargs


async def connect_with_wait(target: PgTarget, wait_seconds: float) -> psycopg.AsyncConnection[Any]:
    """Connect, retrying with backoff for up to `wait_seconds`; then `StoreUnavailable`."""
    deadline = time.monotonic() + wait_seconds
    delay, attempt = 0.1, 0
    while True:
        attempt += 1
        try:
            return await psycopg.AsyncConnection.connect(
                target.conninfo, **connection_kwargs(target)
            )
        except psycopg.OperationalError as exc:
            reason = one_line(exc)
            if is_permanent(exc):
                raise StoreUnavailable(
                    f"PostgreSQL at {target.redacted} refused contactd: {reason}"
                    " (not retried: fix the URL, the role or the database)"
                ) from exc
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StoreUnavailable(
                    f"PostgreSQL at {target.redacted} unreachable after {attempt} attempt(s)"
                    f" in {wait_seconds:g}s: {reason}"
                ) from exc
            pause = min(delay, remaining)
            log.warning(
                "PostgreSQL at %s not reachable (attempt %d: %s); retrying in %.1fs,"
                " giving up in %.0fs",
                target.redacted,
                attempt,
                reason,
                pause,
                remaining,
            )
            await asyncio.sleep(pause)
            delay = min(delay * 2, _MAX_BACKOFF_SECONDS)


def is_permanent(exc: psycopg.Error) -> bool:
    """Whether a failed connection is one that retrying cannot fix (see above)."""
    if exc.sqlstate:
        return exc.sqlstate[:2] in _PERMANENT_CLASSES
    return _PERMANENT_MESSAGES.search(str(exc)) is not None


async def prepare(conn: psycopg.AsyncConnection[Any], schema: str) -> list[str]:
    """Create the schema and extensions, apply pending migrations; return the search path.

    All of it is one transaction holding an advisory lock: a process that starts while
    another migrates waits for it, then finds the migrations recorded and skips them.
    """
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK_KEY,))
        await conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        search_path = [schema]
        for extension in EXTENSIONS:
            home = await _extension_schema(conn, extension)
            if home not in search_path:
                search_path.append(home)
        await conn.execute(
            sql.SQL("SET LOCAL search_path TO {}").format(
                sql.SQL(", ").join(map(sql.Identifier, search_path))
            )
        )
        applied = await _migrate(conn)
    await vacuum_rewritten(conn, schema, applied)
    return search_path


async def _extension_schema(conn: psycopg.AsyncConnection[Any], name: str) -> str:
    """The schema holding extension `name`, creating it in `public` when missing.

    Never in the contactd schema: dropping one schema (a test's) must not drop an
    extension that other schemas' indexes use.
    """
    query = (
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = %s"
    )
    row = await (await conn.execute(query, (name,))).fetchone()
    if row is None:
        await conn.execute(
            sql.SQL("CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA public").format(
                sql.Identifier(name)
            )
        )
        return "public"
    return str(row[0])


async def _migrate(conn: psycopg.AsyncConnection[Any]) -> list[int]:
    async def run_script(text: str) -> None:
        # A file holds several statements; with no parameters they run as one query.
        await conn.execute(text.encode("utf-8"))

    return await apply_pending(PostgresTx(conn), POSTGRES, "postgresql", run_script)


async def vacuum_rewritten(
    conn: psycopg.AsyncConnection[Any], schema: str, applied: list[int]
) -> None:
    """VACUUM (ANALYZE) the tables that migrations applied just now rewrote, outside
    their transaction: a rewritten table starts without a visibility map, so until a
    vacuum its index-only scans (the counts of the due list's ends, of an app's
    listing) read every row's heap page too, and autovacuum, which counts changed rows,
    may not come for a table that did not change."""
    if 1 in applied:  # a store created just now: its tables are empty
        return
    tables = sorted({t for version in applied for t in REWRITES.get(version, ())})
    for table in tables:
        started = time.monotonic()
        await conn.execute(
            sql.SQL("VACUUM (ANALYZE) {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        )
        log.info("vacuumed %s after its rewrite in %.1f s", table, time.monotonic() - started)


async def open_pool(
    target: PgTarget, wait_seconds: float
) -> AsyncConnectionPool[psycopg.AsyncConnection[Any]]:
    """Everything a process does at start, in order; then the pool its requests use.

    Raises `StoreUnavailable` when the server never answers, `psycopg.OperationalError`
    when it fails later on.
    """
    conn = await connect_with_wait(target, wait_seconds)
    try:
        search_path = await prepare(conn, target.schema)
        await check_durability(conn)
    finally:
        await conn.close()
    set_path = sql.SQL("SET search_path TO {}").format(
        sql.SQL(", ").join(map(sql.Identifier, search_path))
    )

    async def configure(new: psycopg.AsyncConnection[Any]) -> None:
        await new.execute(set_path)  # autocommit: the setting holds for the session

    pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] = AsyncConnectionPool(
        target.conninfo,
        kwargs=connection_kwargs(target),
        min_size=target.pool_min_size,
        max_size=max(target.pool_min_size, target.pool_max_size),
        configure=configure,
        timeout=target.pool_timeout,
        name="contactd",
        open=False,
    )
    try:
        await pool.open(wait=True, timeout=max(wait_seconds, target.pool_timeout))
    except BaseException:
        await pool.close()
        raise
    return pool


def durability_warnings(settings: Mapping[str, str]) -> list[str]:
    """A message for each server setting that lets a crash lose acknowledged writes."""
    risks = {
        "fsync": "a crash of the host can lose or corrupt committed data",
        "synchronous_commit": "a crash of PostgreSQL can lose writes contactd acknowledged",
        "full_page_writes": "a crash of the host can leave torn, corrupt pages",
    }
    return [
        f"PostgreSQL has {name}=off: {why}. Turn it on for any data you want to keep."
        for name, why in risks.items()
        if settings.get(name, "on").lower() == "off"
    ]


async def check_durability(conn: psycopg.AsyncConnection[Any]) -> list[str]:
    """Read the settings and log a loud WARNING for each risk; return the messages."""
    names = ("fsync", "synchronous_commit", "full_page_writes")
    query = "SELECT " + ", ".join(f"current_setting('{name}')" for name in names)
    row = await (await conn.execute(query)).fetchone()
    settings = dict(zip(names, map(str, row or ()), strict=False))
    warnings = durability_warnings(settings)
    for message in warnings:
        log.warning("!!! DURABILITY RISK !!! %s", message)
    return warnings

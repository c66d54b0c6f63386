"""Stores: one interface (`Store`), a backend per database, chosen by URL.

The operations both backends share are written once (`core`, over the `Tx` of `tx`,
with the SQL of each dialect in `queries`); `sqlite` and `postgres` supply their
connections and what only their database does (the contact reads and writes, the
search, group commit, retries).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from contactd.defaults import DEFAULT_DB_WAIT_SECONDS
from contactd.domain.store import Store

__all__ = ["DEFAULT_DB_WAIT_SECONDS", "Store", "check_database_url", "open_store", "sqlite_path"]


async def open_store(database_url: str, *, wait_seconds: float = DEFAULT_DB_WAIT_SECONDS) -> Store:
    """Open the store a URL names, migrated.

    `sqlite:///path.db`, or `postgresql://user@host:port/db` (`postgres://` too; add
    `?schema=name` to use a schema other than `public`). A PostgreSQL server that does
    not answer is retried with backoff for up to `wait_seconds`.
    """
    check_database_url(database_url)
    if urlsplit(database_url).scheme == "sqlite":
        from contactd.store.sqlite import SQLiteStore

        return await SQLiteStore.open(sqlite_path(database_url))
    from contactd.store.postgres import PostgresStore

    return await PostgresStore.open(database_url, wait_seconds=wait_seconds)


def check_database_url(database_url: str) -> None:
    """Raise `ValueError` for a URL `open_store` would refuse, before anything starts."""
    scheme = urlsplit(database_url).scheme
    if scheme in ("postgresql", "postgres"):
        from contactd.store.postgres_setup import parse_url

        parse_url(database_url)
    elif scheme != "sqlite":
        raise ValueError(
            f"unsupported database URL scheme {scheme!r}:"
            " use sqlite:///path.db or postgresql://user@host:port/db"
        )


def sqlite_path(database_url: str) -> str:
    """`sqlite:///contactd.db` -> `contactd.db`; `sqlite:////abs/x.db` -> `/abs/x.db`."""
    path = database_url.split("://", 1)[1]
    path = path.removeprefix("/")
    return path or "contactd.db"

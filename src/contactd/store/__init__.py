"""Stores: one interface (`Store`), a backend per database, chosen by URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from contactd.store.base import Store

__all__ = ["Store", "open_store"]


async def open_store(database_url: str) -> Store:
    """Open the store a URL names (`sqlite:///path.db`, `postgresql://...`), migrated."""
    scheme = urlsplit(database_url).scheme
    if scheme == "sqlite":
        from contactd.store.sqlite import SQLiteStore

        return await SQLiteStore.open(sqlite_path(database_url))
    raise ValueError(f"unsupported database URL scheme {scheme!r}: use sqlite:///path.db")


def sqlite_path(database_url: str) -> str:
    """`sqlite:///contactd.db` -> `contactd.db`; `sqlite:////abs/x.db` -> `/abs/x.db`."""
    path = database_url.split("://", 1)[1]
    path = path.removeprefix("/")
    return path or "contactd.db"

"""The numbered migration files of a backend, in order, and applying those not yet applied."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contactd.store.queries import Queries
    from contactd.store.tx import Tx

__all__ = ["Migration", "apply_pending", "migrations_for"]

log = logging.getLogger("contactd.store")

Migration = tuple[int, str, str]  # (version, name, sql)


def migrations_for(backend: str) -> list[Migration]:
    folder = resources.files("contactd.store.migrations").joinpath(backend)
    found: list[Migration] = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


async def apply_pending(
    tx: Tx, queries: Queries, backend: str, run_script: Callable[[str], Awaitable[None]]
) -> list[int]:
    """Apply, in `tx`, each of `backend`'s migrations that `schema_migrations` does not
    list, and list it; return the versions applied. `run_script` runs one file's
    statements."""
    await tx.run(queries.create_schema_migrations)
    applied = {row[0] for row in await tx.all(queries.applied_migrations)}
    now: list[int] = []
    for version, name, text in migrations_for(backend):
        if version in applied:
            continue
        await run_script(text)
        await tx.run(queries.record_migration, (version, name))
        log.info("applied migration %s", name)
        now.append(version)
    return now

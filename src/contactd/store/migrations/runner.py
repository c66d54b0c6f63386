"""Find the numbered migration files of a backend, in order."""

from __future__ import annotations

from importlib import resources

__all__ = ["Migration", "migrations_for"]

Migration = tuple[int, str, str]  # (version, name, sql)


def migrations_for(backend: str) -> list[Migration]:
    folder = resources.files("contactd.store.migrations").joinpath(backend)
    found: list[Migration] = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)

"""Connections of the SQLite backend and the small SQL helpers its modules share."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from contactd.domain.names import name_search_key

__all__ = [
    "BUSY_TIMEOUT_MS",
    "SEARCH_KEY_FUNCTION",
    "assignments",
    "connect",
    "is_busy",
    "marks",
    "statements",
]

BUSY_TIMEOUT_MS = 5000
SEARCH_KEY_FUNCTION = "contactd_search_key"
"""`contactd_search_key(first_name, last_name)`: the folded name the search compares.

Folding is Python's (`domain.names.search_key`): SQLite's own `lower()` is ASCII-only,
so "ZOË" would not find "Zoë". The function lives on contactd's connections only, never
in the schema (no trigger or index calls it), so other tools can still open and write
the file; a name they write is found once contactd rewrites it.
"""


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.create_function(SEARCH_KEY_FUNCTION, 2, name_search_key, deterministic=True)
    return conn


def is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def marks(n: int) -> str:
    return ", ".join("?" * n)


def assignments(changes: object, columns: Sequence[str]) -> tuple[list[str], list[object]]:
    """`col = ?` pairs and values for the fields of `changes` that are not None."""
    names = [c for c in columns if getattr(changes, c) is not None]
    return [f"{c} = ?" for c in names], [getattr(changes, c) for c in names]


def statements(sql: str) -> list[str]:
    """Split a migration file into statements, keeping trigger bodies whole."""
    found: list[str] = []
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    if pending.strip():
        found.append(pending.strip())
    return found

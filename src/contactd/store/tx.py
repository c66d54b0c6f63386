"""What the store core (`store.core`) needs from a database connection: `Reads` and `Tx`.

The core's operations are coroutines, `async def op(tx: Tx) -> T`, that run statements
through `await tx.one(...)`, `tx.all(...)` and `tx.run(...)`. One text of each
operation serves two very different connection models:

- PostgreSQL (psycopg, async): `PostgresTx` awaits the connection; the coroutine runs
  on the event loop like any other.
- SQLite (sqlite3, blocking): `SQLiteTx` calls the connection directly and never
  suspends, so the SQLite store drives the coroutine to its end in one step with
  `run_to_completion`, inside its writer thread's transaction (or on the event loop for
  a read). No event loop is needed there, and nothing but the statements runs.

An operation must await nothing but its `Tx`: anything that suspends inside a SQLite
transaction would leave the writer holding its lock with nobody to resume it, so
`run_to_completion` raises instead. The other designs weighed: writing each operation
twice (the copies this replaces); generators yielding statements (the same single-step
drive, but untyped send values and no `try`/`except` around a statement); running
SQLite's blocking calls through an async adapter that hops threads per statement (a
thread hop costs more than most of these statements).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, Protocol, TypeVar

__all__ = ["Op", "Params", "Reads", "Row", "Tx", "run_to_completion"]

T = TypeVar("T")

Row = tuple[Any, ...]
Params = Sequence[Any] | Mapping[str, Any]


class Reads(Protocol):
    """Read statements, outside any transaction of the caller's."""

    async def one(self, query: str, params: Params = ()) -> Row | None:
        """The first row of the statement's result, or None."""

    async def all(self, query: str, params: Params = ()) -> list[Row]:
        """Every row of the statement's result."""


class Tx(Reads, Protocol):
    """Statements inside one open write transaction."""

    async def run(self, query: str, params: Params = ()) -> int:
        """Run a statement; how many rows it changed."""


Op = Callable[[Tx], Coroutine[Any, Any, T]]
"""An operation: statements run through one transaction's `Tx`."""


def run_to_completion(coro: Coroutine[Any, Any, T]) -> T:
    """The result of `coro`, an operation over a `Tx` that never suspends (`SQLiteTx`).

    Raises `RuntimeError` (after closing `coro`) if it suspends: it awaited something
    other than its `Tx`, which a blocking connection cannot serve."""
    try:
        coro.send(None)
    except StopIteration as done:
        result: T = done.value
        return result
    coro.close()
    raise RuntimeError("a store operation suspended on a connection that cannot wait")

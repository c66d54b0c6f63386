"""Folding a write transaction's logged name changes into the SQLite name dictionary
(migration 0011; store/name_index.py says what the tables are, store/sqlite_names.py
how a name's id is made), in the write's own transaction; the fragment counts follow
later (store/sqlite_fragment_fold.py)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from contactd.store.name_index import net_names
from contactd.store.sqlite_names import NO_SEQ, app_range, name_id

__all__ = ["fold_name_changes"]

_ROWS_PER_STATEMENT = 1000
"""Rows per multi-row statement: 4,000 parameters at most, under SQLite's 32,766."""

_LOGGED = "SELECT app_id, name_key, delta, seq FROM name_changes"
# The names of the log that the app has already, counted in one statement: those it
# does not return are new to their app.
_COUNT_NAMES = (
    "UPDATE names SET n = n + d.column3 FROM (VALUES {}) d"
    " WHERE names.app_id = d.column1 AND names.name_key = d.column2"
    " RETURNING names.name_id, names.app_id, names.name_key, names.n"
)
# The seq of each name's first contact, for names whose first contact may have changed.
_FIRST_SEQS = (
    "SELECT d.column1, d.column2, (SELECT min(c.seq) FROM contacts c INDEXED BY"
    " contacts_by_app_name_seq WHERE c.app_id = d.column1 AND c.name_key = d.column2)"
    " FROM (VALUES {}) d"
)
_PENDING = "INSERT INTO name_pending (app_id, name_key, delta) VALUES {}"
_COUNT_DISTINCT = "UPDATE apps SET distinct_names = distinct_names + ? WHERE app_id = ?"


@dataclass(slots=True)
class _NameMove:
    """One name's change of row: its id and count before the transaction (id None: a
    new name) and after it (id None: a name no contact carries any more)."""

    app_id: int
    key: str
    old_id: int | None
    new_id: int | None
    before: int
    after: int

    @property
    def moved(self) -> bool:
        return self.old_id != self.new_id


def fold_name_changes(conn: sqlite3.Connection) -> bool:
    """Fold the open transaction's logged name changes into the names and their trigram
    indexes, append them to the pending changes of the fragment counts
    (`sqlite_fragment_fold`), and empty the log; whether any changes are pending now.
    Run before every commit of the writer.

    A name whose first contact changed is written as a new row under its new id, the
    old one deleted: all the deletes go first, so that two names trading a first
    contact never meet on one id. The trigram indexes are written in one statement per
    chunk of names: FTS5 flushes its pending terms at the end of every statement, so a
    statement per name would write (and later merge) a segment per name."""
    logged = conn.execute(_LOGGED).fetchall()
    if not logged:
        return False
    conn.execute("DELETE FROM name_changes")
    changes = net_names((app_id, key, delta) for app_id, key, delta, _ in logged)
    deltas = {(app_id, key): delta for app_id, key, delta in changes}
    first_logged: dict[tuple[int, str], int] = {}
    removed: set[tuple[int, str]] = set()
    for app_id, key, delta, seq in logged:
        name = (app_id, key)
        first_logged[name] = min(seq, first_logged.get(name, NO_SEQ))
        if delta < 0:
            removed.add(name)
    # A name whose changes cancel out (a contact renamed out of it, another into it)
    # keeps its count but may have lost its first contact: it is counted by +0, so that
    # its row comes back and its id is checked like any other's.
    netted_out = [(app_id, key, 0) for app_id, key in removed if (app_id, key) not in deltas]
    moves: dict[tuple[int, str], _NameMove] = {}
    unsure: list[tuple[int, str]] = []  # names whose first contact must be looked up
    counted = changes + netted_out
    for old_id, app_id, key, n in _each_chunk(conn, _COUNT_NAMES, "(?, ?, ?)", counted):
        name = (app_id, key)
        first = old_id - app_range(app_id)[0]
        before = n - deltas.get(name, 0)
        moves[name] = _NameMove(app_id, key, old_id, None if n == 0 else old_id, before, n)
        # Inserts take new seqs, past every first contact: only a rename into the name,
        # or the loss of its first contact, logs a seq at or before it.
        if n > 0 and first_logged[name] <= first:
            unsure.append(name)
    for app_id, key, delta in changes:
        name = (app_id, key)
        if name in moves:
            continue
        moves[name] = _NameMove(app_id, key, None, name_id(app_id, first_logged[name]), 0, delta)
        if name in removed:
            unsure.append(name)
    for app_id, key, first in _each_chunk(conn, _FIRST_SEQS, "(?, ?)", unsure):
        moves[app_id, key].new_id = name_id(app_id, int(first))
    _write_moves(conn, list(moves.values()))
    _each_chunk(conn, _PENDING, "(?, ?, ?)", changes)
    return bool(changes)


def _write_moves(conn: sqlite3.Connection, moves: list[_NameMove]) -> None:
    """The names' rows, both trigram indexes and the apps' name counts after `moves`."""
    gone = [(m.old_id, m.key) for m in moves if m.old_id is not None and m.moved]
    came = [(m.new_id, m.app_id, m.key, m.after) for m in moves if m.new_id is not None and m.moved]
    # The index of shared names loses a name's old id when it moves or drops under 2
    # contacts, and gains its new id when it moves or reaches 2.
    unshared = [(m.old_id, m.key) for m in moves if m.before >= 2 and (m.moved or m.after < 2)]
    shared = [(m.new_id, m.key) for m in moves if m.after >= 2 and (m.moved or m.before < 2)]
    _each_chunk(
        conn,
        "INSERT INTO names_fts (names_fts, rowid, name_key) VALUES {}",
        "('delete', ?, ?)",
        gone,
    )
    _each_chunk(conn, "DELETE FROM names WHERE name_id IN ({})", "?", [(i,) for i, _ in gone])
    _each_chunk(
        conn, "INSERT INTO names (name_id, app_id, name_key, n) VALUES {}", "(?, ?, ?, ?)", came
    )
    _each_chunk(
        conn,
        "INSERT INTO names_fts (rowid, name_key) VALUES {}",
        "(?, ?)",
        [(i, key) for i, _, key, _ in came],
    )
    _each_chunk(
        conn,
        "INSERT INTO names_shared_fts (names_shared_fts, rowid, name_key) VALUES {}",
        "('delete', ?, ?)",
        unshared,
    )
    _each_chunk(conn, "INSERT INTO names_shared_fts (rowid, name_key) VALUES {}", "(?, ?)", shared)
    distinct: Counter[int] = Counter()
    for m in moves:
        distinct[m.app_id] += (m.new_id is not None) - (m.old_id is not None)
    conn.executemany(
        _COUNT_DISTINCT, [(delta, app_id) for app_id, delta in distinct.items() if delta]
    )


def _each_chunk(
    conn: sqlite3.Connection, statement: str, row: str, rows: Sequence[tuple[object, ...]]
) -> list[tuple[Any, ...]]:
    """Run `statement` over `rows`, `_ROWS_PER_STATEMENT` at a time, its `{}` the chunk's
    `row` placeholders; what the statements return (fetched whole: a RETURNING statement
    left unfinished would block the COMMIT)."""
    returned: list[tuple[Any, ...]] = []
    for at in range(0, len(rows), _ROWS_PER_STATEMENT):
        chunk = rows[at : at + _ROWS_PER_STATEMENT]
        sql = statement.format(", ".join([row] * len(chunk)))
        returned += conn.execute(sql, [v for r in chunk for v in r]).fetchall()
    return returned

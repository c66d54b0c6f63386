"""The extensions on the SQLite backend: the console's search and the callbacks due
(`/x/contacts/search`, `/x/contacts/due`; docs/api.md, "Extensions"), and one contact
read or changed by id (`/x/contacts/get`, `/x/contacts/update`).

Each runs in one read snapshot of the connection it is given, and takes its page by
keyset (the cursor's last key, then the next `limit` entries of an index), so a deep
page reads what the first one reads.

**Search.** The name half matches as v1 getContact's `name` filter does, from the same
name dictionary (store/name_index.py, store/sqlite_names.py): its count from the
dictionary, its page by the cheaper of the creation-order walk of the covering
`(app_id, seq, name_key)` index and the lookup of the matching names' contacts
(`sqlite_names.name_seqs`, shared with v1 getContact). The digits half
reads the trigram index `contacts_phone` (migration 0010) for its page; its count, for
a run of up to `DIGIT_RUN_MAX` digits, is the run's count kept per app (0016, folded
with the name fragments: store/sqlite_fragment_fold.py). The union's count is the two
counts less the contacts both find, counted over the name matches when they are few
(each checked against the number in its row), otherwise over the digit matches (each
checked against the name through the covering index); the page is the first `limit`
seqs of the two halves' first `limit` each.

**One contact.** Read by the (app_id, contact_id) index; a change is the v3 update's
own statement (`sqlite_contacts.update_contacts`, which refolds a renamed contact's
name), then that read, in the writer's transaction.

**Due.** The partial index `contacts_due` (`contacts_due_by_agent` with an agent) of
migration 0009: the page seeks past the cursor's (remindme, seq); the count sums the
window's whole blocks of `due_blocks` (`due_agent_blocks`, 0017) and reads the index
entries of its two ends (store/due_blocks.py), never the rows.
"""

from __future__ import annotations

import json
import sqlite3

from contactd.domain.models import Contact, ContactChanges, ContactSearch, DueWindow
from contactd.store.due_blocks import window_parts
from contactd.store.sqlite_contacts import CONTACT_COLUMNS, contact_from_row, update_contacts
from contactd.store.sqlite_fragment_fold import DIGIT_RUN_MAX
from contactd.store.sqlite_names import candidate_names, count_matching, fts_phrase, name_seqs

__all__ = [
    "BOTH_BY_NAMES_MAX",
    "change_contact",
    "due_page",
    "find_by_phone",
    "find_contact",
    "search_page",
]

_TOTAL = "SELECT contact_count FROM apps WHERE app_id = ?"
_EVERY = (
    "SELECT seq FROM contacts INDEXED BY contacts_by_app_seq_name"
    " WHERE app_id = ? AND seq > ? ORDER BY seq LIMIT ?"
)


# The digit matches of the app, each joined to its (app_id, seq, name_key) index entry:
# how many, and how many of them the name half finds too (counted once in the union).
_DIGITS = (
    "contacts_phone p CROSS JOIN contacts c INDEXED BY contacts_by_app_seq_name"
    " ON c.app_id = :app AND c.seq = p.rowid WHERE contacts_phone MATCH :digits"
)
_DIGITS_COUNT = f"SELECT count(*), coalesce(sum(instr(c.name_key, :key) > 0), 0) FROM {_DIGITS}"
# The page's seqs check the app in a subquery: as a join with a rowid bound, SQLite
# carries the bound to the index and scans the app's slice past it for every match.
_DIGITS_SEQS = (
    "SELECT rowid FROM contacts_phone WHERE contacts_phone MATCH :digits AND rowid > :after"
    " AND EXISTS (SELECT 1 FROM contacts c INDEXED BY contacts_by_app_seq_name"
    " WHERE c.app_id = :app AND c.seq = contacts_phone.rowid) ORDER BY rowid LIMIT :n"
)
_ROWS = f"SELECT {CONTACT_COLUMNS} FROM contacts WHERE seq IN ({{seqs}}) ORDER BY seq"

# A run of up to DIGIT_RUN_MAX digits: its count kept per app (0016), and the changes
# not folded into it yet, in the same snapshot.
_DIGITS_KEPT = (
    "SELECT coalesce((SELECT n FROM phone_fragments WHERE app_id = :app AND fragment = :run), 0)"
    " + (SELECT coalesce(sum(delta), 0) FROM phone_pending"
    " WHERE app_id = :app AND instr(digits, :run) > 0)"
)
# The contacts both halves find, counted over the name half's matches (their numbers
# read from the rows): the digits the query holds, in the number sent or its key.
_BOTH_BY_NAMES = (
    "SELECT count(*) FROM ({names}) m CROSS JOIN contacts c INDEXED BY contacts_by_app_name_seq"
    " ON c.app_id = :app AND c.name_key = m.name_key"
    " WHERE instr(c.phone_key, :run) > 0 OR instr(c.phone, :run) > 0"
)
BOTH_BY_NAMES_MAX = 2_000
"""The most name matches the union's overlap is counted over; with more, it is counted
over the digit matches, as a run too long to be kept is."""


def search_page(
    conn: sqlite3.Connection, app_id: int, search: ContactSearch
) -> tuple[int, list[Contact]]:
    """The union's count and up to `limit` of its contacts past `after_seq`."""
    name_key, digits, after_seq = search.name_key, search.digits, search.after_seq
    limit = search.limit
    conn.execute("BEGIN")  # one snapshot for the counts and the page
    try:
        total = int(conn.execute(_TOTAL, (app_id,)).fetchone()[0])
        if not name_key:  # no query: the whole book, in creation order
            every = [int(r[0]) for r in conn.execute(_EVERY, (app_id, after_seq, limit))]
            return total, _rows(conn, every)
        count = count_matching(conn, app_id, name_key)
        seqs = set(
            name_seqs(
                conn, app_id, name_key, matching=count, total=total, after=after_seq, wanted=limit
            )
            if count
            else ()
        )
        if digits is not None:
            params = {
                "app": app_id,
                "key": name_key,
                "digits": fts_phrase(digits),
                "after": after_seq,
                "n": limit,
            }
            found, both = _digit_counts(conn, app_id, name_key, digits, named=count)
            count += found - both
            seqs.update(int(row[0]) for row in conn.execute(_DIGITS_SEQS, params))
        return count, _rows(conn, sorted(seqs)[:limit])
    finally:
        conn.execute("COMMIT")


def _digit_counts(
    conn: sqlite3.Connection, app_id: int, name_key: str, digits: str, *, named: int
) -> tuple[int, int]:
    """How many of the app's contacts hold `digits` in their number, and how many of
    those the name half (`named` contacts) finds too. A short run is counted from its
    kept count and the overlap over the name matches, when few; otherwise both over
    the digit matches of the trigram index."""
    if len(digits) <= DIGIT_RUN_MAX and named <= BOTH_BY_NAMES_MAX:
        params: dict[str, object] = {"app": app_id, "run": digits}
        found = int(conn.execute(_DIGITS_KEPT, params).fetchone()[0])
        if not named or not found:
            return found, 0
        names, name_params = candidate_names(app_id, name_key)
        both = conn.execute(_BOTH_BY_NAMES.format(names=names), {**params, **name_params})
        return found, int(both.fetchone()[0])
    counted = {"app": app_id, "key": name_key, "digits": fts_phrase(digits)}
    found, both = conn.execute(_DIGITS_COUNT, counted).fetchone()
    return int(found), int(both)


def _due_statements(index: str, blocks: str, agent: str) -> tuple[str, str]:
    """The count and the page of the window, through `index` and the block counts
    `blocks` (store/due_blocks.py). Past the cursor is (remindme, seq) > (:r, :s), a row
    value, which SQLite reads as one range of the index after its equality columns."""
    source = f"contacts INDEXED BY {index} WHERE app_id = :app{agent} AND remindme IS NOT NULL"
    ends = " + ".join(
        f"(SELECT count(*) FROM {source} AND remindme >= :start{i} AND remindme < :stop{i})"
        for i in (0, 1)
    )
    # The whole blocks as a JSON array of [level, first, stop): one statement text.
    whole = (
        f"(SELECT coalesce(sum(b.n), 0) FROM json_each(:blocks) r CROSS JOIN {blocks} b"
        f" ON b.app_id = :app{agent} AND b.level = r.value ->> 0"
        " AND b.block >= r.value ->> 1 AND b.block < r.value ->> 2)"
    )
    return (
        f"SELECT {ends} + {whole}",
        f"SELECT seq FROM {source} AND remindme < :before AND (remindme, seq) > (:r, :s)"
        " ORDER BY remindme, seq LIMIT :n",
    )


_DUE = {
    False: _due_statements("contacts_due", "due_blocks", ""),
    True: _due_statements("contacts_due_by_agent", "due_agent_blocks", " AND saved_by = :agent"),
}


def due_page(conn: sqlite3.Connection, app_id: int, window: DueWindow) -> tuple[int, list[Contact]]:
    """The window's count and up to `limit` of its contacts past `past`."""
    after, before, saved_by = window.after, window.before, window.saved_by
    past, limit = window.past, window.limit
    # Where the page starts: past the cursor, or at the window's start (seq -1 comes
    # before every contact of that remindme), whichever is later.
    r, s = max(past, (after, -1)) if past is not None else (after, -1)
    count_sql, seqs_sql = _DUE[saved_by is not None]
    parts = window_parts(after, before)
    (start0, stop0), (start1, stop1) = parts.ends
    params: dict[str, object] = {
        "app": app_id,
        "before": before,
        "agent": saved_by,
        "r": r,
        "s": s,
        "n": limit,
        "start0": start0,
        "stop0": stop0,
        "start1": start1,
        "stop1": stop1,
        "blocks": json.dumps(parts.blocks),
    }
    conn.execute("BEGIN")
    try:
        count = int(conn.execute(count_sql, params).fetchone()[0])
        seqs = [int(row[0]) for row in conn.execute(seqs_sql, params)]
        contacts = _rows(conn, seqs)
        contacts.sort(key=lambda c: (c.remindme or 0, c.seq))
        return count, contacts
    finally:
        conn.execute("COMMIT")


def _rows(conn: sqlite3.Connection, seqs: list[int]) -> list[Contact]:
    if not seqs:
        return []
    sql = _ROWS.format(seqs=", ".join(map(str, seqs)))  # ints from the index, not input
    return [contact_from_row(row) for row in conn.execute(sql)]


_BY_ID = f"SELECT {CONTACT_COLUMNS} FROM contacts WHERE app_id = ? AND contact_id = ?"
_BY_PHONE = f"SELECT {CONTACT_COLUMNS} FROM contacts WHERE app_id = ? AND phone_key = ?"


def find_contact(conn: sqlite3.Connection, app_id: int, contact_id: str) -> Contact | None:
    row = conn.execute(_BY_ID, (app_id, contact_id)).fetchone()
    return None if row is None else contact_from_row(row)


def find_by_phone(conn: sqlite3.Connection, app_id: int, phone_key: str) -> Contact | None:
    """By the unique (app_id, phone_key) index: the v2 notes' contact (`/v2/user/notes/get`)."""
    row = conn.execute(_BY_PHONE, (app_id, phone_key)).fetchone()
    return None if row is None else contact_from_row(row)


def change_contact(conn: sqlite3.Connection, app_id: int, change: ContactChanges) -> Contact:
    """Inside the writer's transaction: the change, then the contact after it."""
    update_contacts(conn, app_id, [change])  # raises UnknownContact
    changed = find_contact(conn, app_id, change.contact_id)
    assert changed is not None  # updated a moment ago in this transaction
    return changed

"""The SQL of the store operations written once (`store.core`), as data: one `Queries`
per dialect.

A statement both databases read alike is written once, with `?` placeholders, and given
to PostgreSQL with psycopg's `%s` instead; a statement whose text differs is written
once per dialect in its own placeholder style (the keyword arguments of `_queries`).
Every table the statements name has the same columns on both backends (the
migrations), so the differences left are the dialect's own: PostgreSQL's row locks
and the login throttle's lock table, which its many processes need and SQLite's one
writer does not, and the migration bookkeeping's types.

The contact statements live beside the contact code (`sqlite_contacts`,
`postgres_contacts`, `sqlite_search`), which plans them per dialect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["POSTGRES", "SQLITE", "Queries", "like_contains", "pyformat"]


@dataclass(frozen=True, slots=True)
class Queries:
    """The statements of the store core, by what they do. Parameters are positional
    unless the text names them (the throttle's sweep)."""

    keep_server_secret: str
    server_secret: str
    add_app: str
    get_app: str
    contact_count: str
    list_apps: str
    set_app_secret: str
    add_principal: str
    get_principal: str
    count_principals: str
    list_principals: str
    principal_name: str
    """The principal's name parts, locked for the update that rewrites its name key."""
    update_principal: str
    remove_tokens: str
    remove_principal: str
    drop_expired_tokens: str
    add_token: str
    principal_for_token: str
    expire_token: str
    lock_login_id: str | None
    """Serializes the reservations of one principal id; None where one writer does."""
    recent_login_attempts: str
    add_login_attempt: str
    sweep_login_attempts: str
    """Named parameters `app` and `since`: what left the window goes."""
    clear_login_attempt: str
    clear_login_attempts: str
    find_answer: str
    keep_answer: str
    sweep_answers: str
    tag_catalogue: str
    clear_tag_catalogue: str
    add_catalogue_tag: str
    tags_in_use: str
    """The app's distinct contact tags, by index skips: parameters app, app, limit."""
    reset_app: tuple[str, ...]
    """Everything of one app but its `apps` row, in order, each with the app id as its
    one parameter: the contacts with what is derived from them, the principals and
    their tokens, the throttle's and the idempotency keys' rows, the tags."""
    create_schema_migrations: str
    applied_migrations: str
    record_migration: str


def like_contains(key: str) -> str:
    """A LIKE pattern (escape `\\`) matching `key` anywhere, its `%`, `_` and `\\` literal."""
    return "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# A principal is read with its app's country code, which its phone rules need.
_PRINCIPAL_SELECT = (
    "SELECT p.app_id, p.extension, p.first_name, p.last_name, p.phone, p.email,"
    " p.password_hash, p.start_time, p.end_time, p.notify, p.followme, p.created_at,"
    " a.country_code FROM principals p JOIN apps a ON a.app_id = p.app_id"
)
# The folded name (domain.names) against a folded query; LIKE and its escape read the
# same on both databases, and both sides are folded already, so SQLite's ASCII-only
# case folding in LIKE changes nothing.
_PRINCIPAL_MATCH = "p.app_id = ? AND p.name_key LIKE ? ESCAPE '\\'"
_NAME_OF_PRINCIPAL = (
    "SELECT first_name, last_name FROM principals WHERE app_id = ? AND extension = ?"
)
# A loose index scan of `contacts_tags` (migration 0012): each step seeks the least tag
# after the one before, so reading an app's tags costs a lookup per distinct tag however
# many contacts carry them; `n` bounds the steps. `tag <> ''` is spelled as the partial
# index's condition, which both planners then match.
_TAGS_IN_USE = (
    "WITH RECURSIVE used (tag, n) AS ("
    " SELECT min(tag), 1 FROM contacts WHERE app_id = ? AND tag <> ''"
    " UNION ALL SELECT (SELECT min(c.tag) FROM contacts c"
    "  WHERE c.app_id = ? AND c.tag <> '' AND c.tag > used.tag), used.n + 1"
    " FROM used WHERE used.tag IS NOT NULL AND used.n < ?)"
    " SELECT tag FROM used WHERE tag IS NOT NULL"
)
_RECENT_ATTEMPTS = (
    "SELECT attempted_at FROM login_attempts"
    " WHERE app_id = ? AND extension = ? AND attempted_at > ? ORDER BY attempted_at"
)


def _reset_app(
    placeholders: Callable[[str], str], *, lock: str, own: tuple[str, ...], counts: str
) -> tuple[str, ...]:
    """`Queries.reset_app`: the app's row lock where writers need one (the order every
    contact write takes, `postgres_contacts`), then the rows. The contacts go through
    the store's triggers (the phone index, the block counts, `list_version`); what those
    leave of the app (counts at zero) goes by its app id; `own` are the dialect's own
    statements (its name dictionary, PostgreSQL's login lock rows); `counts` zeroes the
    app row's kept counts and bumps its `list_version`, so that no remembered listing
    holds (store/listing_memo.py)."""
    rows = [
        f"DELETE FROM {table} WHERE app_id = ?" for table in ("tokens", "principals", "contacts")
    ]
    rest = [
        f"DELETE FROM {table} WHERE app_id = ?"
        for table in (
            "name_fragments",
            "contact_blocks",
            "due_blocks",
            "due_agent_blocks",
            "login_attempts",
            "idempotency_keys",
            "tag_catalogue",
        )
    ]
    return tuple(
        placeholders(statement)
        for statement in ([lock] if lock else []) + rows + list(own) + rest + [counts]
    )


def _queries(
    placeholders: Callable[[str], str],
    *,
    reset_app: tuple[str, ...],
    principal_name: str,
    lock_login_id: str | None,
    sweep_login_attempts: str,
    create_schema_migrations: str,
    record_migration: str,
) -> Queries:
    """The shared statements with the dialect's `placeholders`, and its own ones."""
    p = placeholders
    return Queries(
        # The first process to start keeps its secret; every later one reads it.
        keep_server_secret=p(
            "INSERT INTO meta (key, value) VALUES ('server_secret', ?) ON CONFLICT (key) DO NOTHING"
        ),
        server_secret=p("SELECT value FROM meta WHERE key = 'server_secret'"),
        add_app=p(
            "INSERT INTO apps (app_id, name, secret_hash, country_code, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (app_id) DO NOTHING"
        ),
        get_app=p(
            "SELECT app_id, name, secret_hash, country_code, created_at FROM apps WHERE app_id = ?"
        ),
        contact_count=p("SELECT contact_count FROM apps WHERE app_id = ?"),
        list_apps=p(
            "SELECT app_id, name, country_code, created_at, contact_count,"
            " (SELECT count(*) FROM principals p WHERE p.app_id = a.app_id)"
            " FROM apps a ORDER BY app_id"
        ),
        set_app_secret=p("UPDATE apps SET secret_hash = ? WHERE app_id = ?"),
        add_principal=p(
            "INSERT INTO principals (app_id, extension, first_name, last_name, phone, email,"
            " password_hash, start_time, end_time, notify, followme, created_at, name_key)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ),
        get_principal=p(f"{_PRINCIPAL_SELECT} WHERE p.app_id = ? AND p.extension = ?"),
        count_principals=p(f"SELECT count(*) FROM principals p WHERE {_PRINCIPAL_MATCH}"),
        # An app has at most 9,900 principals (extensions 100-9999): a scan of its key
        # range is fine.
        list_principals=p(
            f"{_PRINCIPAL_SELECT} WHERE {_PRINCIPAL_MATCH} ORDER BY p.extension LIMIT ? OFFSET ?"
        ),
        principal_name=principal_name,
        update_principal=p(
            "UPDATE principals SET first_name = ?, last_name = ?, name_key = ?,"
            " phone = coalesce(?, phone), email = coalesce(?, email),"
            " password_hash = coalesce(?, password_hash), start_time = coalesce(?, start_time),"
            " end_time = coalesce(?, end_time), notify = coalesce(?, notify)"
            " WHERE app_id = ? AND extension = ?"
        ),
        remove_tokens=p("DELETE FROM tokens WHERE app_id = ? AND extension = ?"),
        remove_principal=p("DELETE FROM principals WHERE app_id = ? AND extension = ?"),
        drop_expired_tokens=p(
            "DELETE FROM tokens WHERE app_id = ? AND extension = ? AND expires_at <= ?"
        ),
        # Kept only while the principal exists: one removed while it logged in gets none.
        add_token=p(
            "INSERT INTO tokens (app_id, token_hash, extension, expires_at)"
            " SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM principals"
            " WHERE app_id = ? AND extension = ?)"
        ),
        # The token's expiry comes along, so that a cache can honour it.
        principal_for_token=p(
            _PRINCIPAL_SELECT.replace(" a.country_code FROM", " a.country_code, t.expires_at FROM")
            + " JOIN tokens t ON t.app_id = p.app_id AND t.extension = p.extension"
            " WHERE t.app_id = ? AND t.token_hash = ? AND t.expires_at > ?"
        ),
        # Expired at the epoch, before any app's clock, however it is moved.
        expire_token=p("UPDATE tokens SET expires_at = 0 WHERE app_id = ? AND token_hash = ?"),
        lock_login_id=lock_login_id,
        recent_login_attempts=p(_RECENT_ATTEMPTS),
        add_login_attempt=p(
            "INSERT INTO login_attempts (app_id, extension, attempt_id, attempted_at)"
            " VALUES (?, ?, ?, ?)"
        ),
        sweep_login_attempts=sweep_login_attempts,
        clear_login_attempt=p(
            "DELETE FROM login_attempts WHERE app_id = ? AND extension = ? AND attempt_id = ?"
        ),
        clear_login_attempts=p("DELETE FROM login_attempts WHERE app_id = ? AND extension = ?"),
        find_answer=p(
            "SELECT digest, status, body, created_at FROM idempotency_keys"
            " WHERE app_id = ? AND key = ? AND created_at >= ?"
        ),
        # A dead key (older than 24 hours, not yet swept) is taken over; a live one is not.
        keep_answer=p(
            "INSERT INTO idempotency_keys (app_id, key, digest, status, body, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (app_id, key) DO UPDATE SET"
            " digest = excluded.digest, status = excluded.status, body = excluded.body,"
            " created_at = excluded.created_at WHERE idempotency_keys.created_at < ?"
        ),
        sweep_answers=p(
            "DELETE FROM idempotency_keys WHERE (app_id, key) IN (SELECT app_id, key"
            " FROM idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ?)"
        ),
        tag_catalogue=p("SELECT tag FROM tag_catalogue WHERE app_id = ? ORDER BY position"),
        clear_tag_catalogue=p("DELETE FROM tag_catalogue WHERE app_id = ?"),
        add_catalogue_tag=p("INSERT INTO tag_catalogue (app_id, position, tag) VALUES (?, ?, ?)"),
        tags_in_use=p(_TAGS_IN_USE),
        reset_app=reset_app,
        create_schema_migrations=create_schema_migrations,
        applied_migrations="SELECT version FROM schema_migrations",
        record_migration=record_migration,
    )


def pyformat(text: str) -> str:
    """`?` placeholders as psycopg's `%s` (the shared texts hold no other `?` or `%`)."""
    return text.replace("%", "%%").replace("?", "%s")


SQLITE = _queries(
    str,
    # The name changes the contacts' delete logged are dropped rather than folded: the
    # app's names go whole, and their trigram entries with them (external content: a
    # delete names the text it indexed).
    reset_app=_reset_app(
        str,
        lock="",
        own=(
            "DELETE FROM name_changes WHERE app_id = ?",
            "DELETE FROM name_pending WHERE app_id = ?",
            "DELETE FROM phone_pending WHERE app_id = ?",
            "DELETE FROM phone_fragments WHERE app_id = ?",
            "INSERT INTO names_fts (names_fts, rowid, name_key)"
            " SELECT 'delete', name_id, name_key FROM names WHERE app_id = ?",
            # Contentless: a delete names the text it indexed, that of a shared name.
            "INSERT INTO names_shared_fts (names_shared_fts, rowid, name_key)"
            " SELECT 'delete', name_id, name_key FROM names WHERE app_id = ? AND n >= 2",
            "DELETE FROM names WHERE app_id = ?",
        ),
        counts=(
            "UPDATE apps SET contact_count = 0, distinct_names = 0,"
            " list_version = list_version + 1 WHERE app_id = ?"
        ),
    ),
    principal_name=_NAME_OF_PRINCIPAL,
    # One writer connection runs every write transaction: nothing reserves in between.
    lock_login_id=None,
    sweep_login_attempts=(
        "DELETE FROM login_attempts WHERE app_id = :app AND attempted_at <= :since"
    ),
    create_schema_migrations=(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
    ),
    record_migration=(
        "INSERT INTO schema_migrations VALUES (?, ?, CAST(strftime('%s', 'now') AS INTEGER) * 1000)"
    ),
)

POSTGRES = _queries(
    pyformat,
    # The statement triggers of the contacts' delete took the app's names out already;
    # the lock table of the login throttle is PostgreSQL's own.
    reset_app=_reset_app(
        pyformat,
        lock="SELECT 1 FROM apps WHERE app_id = ? FOR NO KEY UPDATE",
        own=(
            "DELETE FROM names WHERE app_id = ?",
            "DELETE FROM name_pending WHERE app_id = ?",
            "DELETE FROM login_ids WHERE app_id = ?",
        ),
        counts=(
            "UPDATE apps SET contact_count = 0, distinct_names = 0,"
            " list_version = list_version + 1 WHERE app_id = ?"
        ),
    ),
    principal_name=pyformat(f"{_NAME_OF_PRINCIPAL} FOR UPDATE"),
    # Many processes reserve at once: the upsert of the id's row locks it until the
    # transaction ends, so reservations of one id run one after another, and each one's
    # count (a new snapshot per statement, read committed) sees every attempt committed
    # before it. The window never holds more attempts than its bound.
    lock_login_id=(
        "INSERT INTO login_ids AS i (app_id, extension, last_attempt_at) VALUES (%s, %s, %s)"
        " ON CONFLICT (app_id, extension)"
        " DO UPDATE SET last_attempt_at = greatest(i.last_attempt_at, excluded.last_attempt_at)"
    ),
    # Rows another reservation holds are skipped (SKIP LOCKED): two reservations of one
    # app never wait on each other's rows, so they cannot deadlock; a skipped row goes
    # with a later sweep. The ids whose last attempt left the window go too.
    sweep_login_attempts=(
        "WITH old_attempts AS (DELETE FROM login_attempts WHERE (app_id, extension, attempt_id)"
        " IN (SELECT app_id, extension, attempt_id FROM login_attempts"
        "  WHERE app_id = %(app)s AND attempted_at <= %(since)s FOR UPDATE SKIP LOCKED))"
        " DELETE FROM login_ids WHERE (app_id, extension) IN"
        " (SELECT app_id, extension FROM login_ids"
        "  WHERE app_id = %(app)s AND last_attempt_at <= %(since)s FOR UPDATE SKIP LOCKED)"
    ),
    create_schema_migrations=(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)"
    ),
    record_migration=(
        "INSERT INTO schema_migrations VALUES"
        " (%s, %s, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)"
    ),
)

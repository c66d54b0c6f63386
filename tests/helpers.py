"""What tests import: constants, the PostgreSQL test target, and helpers over the HTTP API.

Fixtures live in the conftest.py files and build on these; a test imports from here,
never from a conftest. Store-level records are in tests/records.py.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import psycopg
import psycopg.sql
from starlette.testclient import TestClient

from contactd.domain.models import App
from contactd.store import due_blocks, postgres_names, sqlite_names
from contactd.store.migrations.runner import migrations_for
from contactd.store.name_index import fragments
from contactd.store.postgres_setup import parse_url
from contactd.store.sqlite import SQLiteStore
from contactd.store.sqlite_fragment_fold import digit_runs
from contactd.testing import app_services


class HashCost(TypedDict):
    """The `Settings` fields of the password hash's cost (typed, so `**` spreads check)."""

    argon2_time_cost: int
    argon2_memory_kib: int


# Cheap argon2 parameters: the tests exercise the rules, not the cost.
FAST_HASH = HashCost(argon2_time_cost=1, argon2_memory_kib=1024)
USER_PASSWORD = "correct-horse-battery"

# -- the PostgreSQL half of the suite: where it runs, and whether it can ---------------
POSTGRES_URL_ENV = "CONTACTD_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get(POSTGRES_URL_ENV) or DEFAULT_POSTGRES_URL


def redacted_postgres_url() -> str:
    """The test URL as it may be printed: password masked."""
    try:
        return parse_url(postgres_url()).redacted
    except ValueError:
        return f"(an invalid {POSTGRES_URL_ENV})"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@functools.cache
def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used for tests, or None when it can (asked once)."""
    try:
        target = parse_url(postgres_url())
        with psycopg.connect(target.conninfo, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except (psycopg.Error, ValueError) as exc:
        return " ".join(str(exc).split()) or repr(exc)
    return None


# -- building test state through the public API -----------------------------------------
@dataclass(frozen=True)
class Tenant:
    """An app with one logged-in user: what most contact tests start from."""

    appid: int
    secret: str
    user_id: str
    token: str


class Api:
    """Thin helpers over the HTTP API for building test state."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self._next_extension = 1001

    def post(self, path: str, body: Any) -> Any:
        """POST and return (status, decoded JSON body)."""
        response = self.client.post(path, json=body)
        return response.status_code, response.json()

    def create_app(self, name: str = "Test centre") -> tuple[int, str]:
        # Apps are made by the operator (CLI), not over HTTP: the service the CLI uses.
        portal = self.client.portal
        assert portal is not None, "Api needs a started TestClient (`with TestClient(...)`)"
        app, secret = portal.call(app_services(self.client.app).apps.create, name)
        return app.app_id, secret

    def add_user(self, appid: int, secret: str, *, extension: int | None = None) -> str:
        if extension is None:
            extension = self._next_extension
            self._next_extension += 1
        status, body = self.post(
            "/v3/user/add",
            {
                "appid": appid,
                "secret": secret,
                "extension": extension,
                "first_name": "Asha",
                "last_name": "Rao",
                "phone_number": "919800000000",
                "password": USER_PASSWORD,
            },
        )
        assert status == 200, body
        return str(body["agent"]["agent_id"])

    def login(self, user_id: str, password: str = USER_PASSWORD) -> str:
        status, body = self.post("/v2/user/login", {"id": user_id, "password": password})
        assert status == 200, body
        return str(body["token"])

    def tenant(self, name: str = "Test centre") -> Tenant:
        appid, secret = self.create_app(name)
        user_id = self.add_user(appid, secret)
        return Tenant(appid=appid, secret=secret, user_id=user_id, token=self.login(user_id))

    def add_contacts(self, token: str, contacts: list[dict[str, Any]]) -> list[str]:
        status, body = self.post("/v3/contact/add", {"token": token, "contacts": contacts})
        assert status == 200, body
        return list(body["contact_ids"])


def contact(n: int, **fields: Any) -> dict[str, Any]:
    """A valid v3 contact whose phone is unique for each n."""
    return {
        "phone_no": f"9190{n:08d}",
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        **fields,
    }


# -- a store driven directly ------------------------------------------------------------
async def open_sqlite_with_apps(path: str, app_ids: tuple[int, ...]) -> SQLiteStore:
    """A SQLite store at `path` holding an empty app of each id (country code 91)."""
    store = await SQLiteStore.open(path)
    for app_id in app_ids:
        await store.add_app(App(app_id, "app", b"x", "91", 0))
    return store


# -- the reliability tier: counts that scale, and a tenant of a live server -------------
SCALE = max(1, int(os.environ.get("CONTACTD_RELIABILITY_SCALE", "1")))


def scaled(n: int) -> int:
    """A CI count, multiplied by `CONTACTD_RELIABILITY_SCALE` (docs/testing.md)."""
    return n * SCALE


@dataclass(frozen=True)
class LiveTenant:
    """An app and a logged-in user of a `live_server` (a real `contactd serve`)."""

    appid: int
    secret: str
    token: str


RELEASED_MIGRATIONS = Path(__file__).parent / "released_migrations"
"""The text, as released, of migration steps removed since for new stores because a later
migration undoes them (src/contactd/store/migrations/__init__.py): `{backend}_{file}`."""


def migration_history(backend: str, before: int) -> Iterator[tuple[int, str, str]]:
    """The migrations a store at the version below `before` had run, as contactd of that
    version ran them: the files as they are, but for those kept in `RELEASED_MIGRATIONS`."""
    for version, name, text in migrations_for(backend):
        if version < before:
            released = RELEASED_MIGRATIONS / f"{backend}_{name}"
            yield version, name, released.read_text("utf-8") if released.exists() else text


Fetch = Callable[[str], Sequence[Sequence[Any]]]


def name_index_differences(fetch: Fetch, *, longest: int, pending: bool) -> list[str]:
    """What the name dictionary (store/name_index.py) holds that the contacts do not
    imply, recomputed from scratch; empty when it is exact. `fetch` runs one query;
    the fragment counts are of 1 to `longest` characters, and with `pending` they lag
    by the name changes in `name_pending`, which are added to them here."""
    keys = [(int(app), str(key)) for app, key in fetch("SELECT app_id, name_key FROM contacts")]
    names = Counter(keys)
    fragment_counts: Counter[tuple[int, str]] = Counter()
    for app, key in keys:
        fragment_counts.update((app, f) for f in fragments(key, longest))
    differences = []
    stored_names = {(int(a), str(k)): int(n) for a, k, n in fetch(_NAMES)}
    if stored_names != dict(names):
        differences.append(f"names: stored {stored_names}, implied {dict(names)}")
    stored: Counter[tuple[int, str]] = Counter()
    for app, fragment, n in fetch(_FRAGMENTS):
        stored[int(app), str(fragment)] += int(n)
    for app, key, delta in fetch(_PENDING) if pending else ():
        for fragment in fragments(str(key), longest):
            stored[int(app), fragment] += int(delta)
    stored_fragments = {found: n for found, n in stored.items() if n}
    if stored_fragments != dict(fragment_counts):
        differences.append(
            f"name_fragments: stored {stored_fragments}, implied {dict(fragment_counts)}"
        )
    kept = fetch(_DISTINCT_KEPT)
    if kept:
        differences.append(f"apps.distinct_names differ from the names: {kept}")
    return differences


_NAMES = "SELECT app_id, name_key, n FROM names"
_FRAGMENTS = "SELECT app_id, fragment, n FROM name_fragments"
_PENDING = "SELECT app_id, name_key, delta FROM name_pending"
_DISTINCT_KEPT = (
    "SELECT app_id, distinct_names FROM apps WHERE distinct_names <> (SELECT count(*)"
    " FROM names WHERE names.app_id = apps.app_id)"
)
# SQLite: a name's id is (app_id << 39) + the seq of its first contact (sqlite_names).
_MISPLACED = (
    "SELECT app_id, name_key, name_id FROM names m WHERE name_id <> (app_id << 39) +"
    " (SELECT min(seq) FROM contacts c WHERE c.app_id = m.app_id AND c.name_key = m.name_key)"
)


_REMINDERS = "SELECT app_id, saved_by, remindme FROM contacts WHERE remindme IS NOT NULL"


def due_block_differences_at(database_url: str) -> list[str]:
    """What the block counts of the callbacks due (store/due_blocks.py, migration 0017)
    hold that the contacts' reminders do not imply, recomputed from scratch, on either
    backend; empty when they are exact (rows at 0 are the same as no row)."""
    if database_url.startswith("sqlite:///"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            return _due_block_differences(lambda sql: conn.execute(sql).fetchall())
        finally:
            conn.close()
    target = parse_url(database_url)
    with psycopg.connect(target.conninfo) as pg:
        pg.execute(
            psycopg.sql.SQL("SET search_path TO {}").format(psycopg.sql.Identifier(target.schema))
        )
        return _due_block_differences(lambda query: pg.execute(query).fetchall())  # type: ignore[arg-type]


def _due_block_differences(fetch: Fetch) -> list[str]:
    per_app: Counter[tuple[int, int, int]] = Counter()
    per_agent: Counter[tuple[int, str, int, int]] = Counter()
    for app, agent, remindme in fetch(_REMINDERS):
        for level in range(due_blocks.LEVELS):
            block = int(remindme) >> due_blocks.level_bits(level)
            per_app[int(app), level, block] += 1
            per_agent[int(app), str(agent), level, block] += 1
    stored_app = {
        (int(a), int(lv), int(b)): int(n)
        for a, lv, b, n in fetch("SELECT app_id, level, block, n FROM due_blocks")
        if n
    }
    stored_agent = {
        (int(a), str(g), int(lv), int(b)): int(n)
        for a, g, lv, b, n in fetch(
            "SELECT app_id, saved_by, level, block, n FROM due_agent_blocks"
        )
        if n
    }
    differences = []
    if stored_app != dict(per_app):
        differences.append(f"due_blocks: stored {stored_app}, implied {dict(per_app)}")
    if stored_agent != dict(per_agent):
        differences.append(f"due_agent_blocks: stored {stored_agent}, implied {dict(per_agent)}")
    return differences


def sqlite_name_index_differences(path: str) -> list[str]:
    """`name_index_differences` of the SQLite store at `path`, and whether its trigram
    indexes hold the names of the dictionary, each keyed by its first contact."""
    conn = sqlite3.connect(path)
    try:
        # One snapshot: the store's fragment fold moves changes from name_pending into
        # name_fragments in transactions of its own, at any moment.
        conn.execute("BEGIN")
        differences = name_index_differences(
            lambda sql: conn.execute(sql).fetchall(),
            longest=sqlite_names.FRAGMENT_MAX,
            pending=True,
        )
        pending = conn.execute("SELECT count(*) FROM name_changes").fetchone()[0]
        if pending:
            differences.append(f"name_changes holds {pending} rows between transactions")
        shared = {r[0] for r in conn.execute("SELECT rowid FROM names_shared_fts")}
        if shared != {r[0] for r in conn.execute("SELECT name_id FROM names WHERE n >= 2")}:
            differences.append("names_shared_fts is not the names of 2 contacts or more")
        misplaced = conn.execute(_MISPLACED).fetchall()
        if misplaced:
            differences.append(f"names not keyed by their first contact: {misplaced}")
        differences += _phone_run_differences(conn)
        conn.execute("COMMIT")
        # A write of FTS5's (it raises if the index and its content differ): outside the
        # snapshot, which a fold committed since would keep from writing.
        conn.execute("INSERT INTO names_fts (names_fts) VALUES ('integrity-check')")
        return differences
    finally:
        conn.close()


def _phone_run_differences(conn: sqlite3.Connection) -> list[str]:
    """Whether SQLite's counts of the numbers' digit runs (with their pending changes)
    are those the contacts imply (migration 0016)."""
    implied: Counter[tuple[int, str]] = Counter()
    texts = conn.execute(
        "SELECT app_id, CASE WHEN instr(phone_key, phone) > 0 THEN phone_key"
        " ELSE phone || ' ' || phone_key END FROM contacts"
    )
    for app, text in texts:
        implied.update((int(app), run) for run in digit_runs(str(text)))
    stored: Counter[tuple[int, str]] = Counter()
    for app, run, n in conn.execute("SELECT app_id, fragment, n FROM phone_fragments"):
        stored[int(app), str(run)] += int(n)
    for app, text, delta in conn.execute("SELECT app_id, digits, delta FROM phone_pending"):
        for run in digit_runs(str(text)):
            stored[int(app), run] += int(delta)
    kept = {found: n for found, n in stored.items() if n}
    if kept != dict(implied):
        return [f"phone_fragments: stored {kept}, implied {dict(implied)}"]
    return []


def name_index_differences_at(database_url: str) -> list[str]:
    """`name_index_differences` of the store at `database_url`, on either backend."""
    if database_url.startswith("sqlite:///"):
        return sqlite_name_index_differences(database_url.removeprefix("sqlite:///"))
    target = parse_url(database_url)
    with psycopg.connect(target.conninfo) as conn:
        # One snapshot: the store's folds move changes from name_pending into
        # name_fragments in transactions of their own, at any moment.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.execute(
            psycopg.sql.SQL("SET search_path TO {}").format(psycopg.sql.Identifier(target.schema))
        )
        return name_index_differences(
            lambda query: conn.execute(query).fetchall(),  # type: ignore[arg-type]
            longest=postgres_names.FRAGMENT_MAX,
            pending=True,
        )

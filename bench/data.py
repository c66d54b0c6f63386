"""The benchmark data set: built once through the store layer, reused by `make bench`.

    python -m bench.data --backend sqlite|postgresql|both [--contacts N] [--force]

Two apps of 1,000,000 contacts, one per shape of name (`bench.names`): `BIG_APP`, whose
few thousand distinct names repeat ("Mike" ~1 in 63 first names), and `VARIED_APP`,
with several hundred thousand distinct names (middle names, initials, "Ravi Plumber",
"Customer 4432"...); each has `PRINCIPALS` principals (extensions 101, 102, ...). And
50 apps of 1,000 (`SMALL_APPS`), one principal each (extension 101). Everything is
deterministic (seeded): realistic Indian mobile numbers (unique per app, half sent with
the 91 prefix), emails, companies, job titles and the v1 fields (tag, status, remindme,
info, notes). The manifest also holds, per big app, the name fragments the search
cases ask for (`bench.names.fragments`, drawn from the app's own names).

The SQLite file is `bench/data/contactd-<DATA_VERSION>.db`; PostgreSQL uses the schema
`bench` of `BENCH_PG_URL`. A manifest beside the data (`bench/data/<backend>-<version>
.json`) is written only once a build completed, so a build cut short is redone; bump
`DATA_VERSION` whenever the data set or the schema changes.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from bench.names import (
    COMPANIES,
    DOMAINS,
    FIRST,
    INFOS,
    JOBS,
    LAST,
    STATUSES,
    TAGS,
    fragments,
    key_of,
    repeating_name,
    varied_name,
)
from contactd.defaults import DEFAULT_COUNTRY_CODE
from contactd.domain.models import App, NewContact, NewPrincipal
from contactd.domain.passwords import PasswordHasher
from contactd.domain.store import Store
from contactd.store import open_store

__all__ = [
    "BIG_APP",
    "COMPANIES",
    "DATA_DIR",
    "DATA_VERSION",
    "FIRST",
    "JOBS",
    "LAST",
    "PASSWORD",
    "SMALL_APPS",
    "VARIED_APP",
    "database_url",
    "ensure",
    "extension_of",
    "phone_taken",
]

DATA_VERSION = "4"
DATA_DIR = Path(__file__).resolve().parent / "data"
BENCH_PG_URL = os.environ.get(
    "BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test?schema=bench"
)
BIG_APP = 4_000_000
VARIED_APP = 4_000_100
BIG_CONTACTS = 1_000_000
SMALL_APPS = tuple(range(4_000_001, 4_000_051))
SMALL_CONTACTS = 1_000
EXTENSION = 101
PRINCIPALS = 4
"""Principals of each big app (extensions 101...): a case cycles over their tokens."""
FRAGMENTS = 2_400
"""Name fragments per big app that match, beyond the count memo's 1,024 entries: a
fragment comes back only after the memo has forgotten it."""
NO_MATCH = 120
"""And fragments that match nothing (5 %)."""
PASSWORD = "bench-password-101"
BATCH = 5_000
CREATED_AT = 1_700_000_000_000  # fixed: the data set is byte-for-byte reproducible
_MULTIPLIER = 7_919_993
_PHONES = 4_000_000_000

NameFn = Callable[[random.Random], tuple[str, str]]
SHAPES: dict[int, NameFn] = {BIG_APP: repeating_name, VARIED_APP: varied_name}
"""The big apps and the shape of their names."""


def sqlite_file() -> Path:
    return DATA_DIR / f"contactd-{DATA_VERSION}.db"


def database_url(backend: str) -> str:
    return f"sqlite:///{sqlite_file()}" if backend == "sqlite" else BENCH_PG_URL


def manifest_path(backend: str) -> Path:
    return DATA_DIR / f"{backend}-{DATA_VERSION}.json"


def phone_of(app_id: int, n: int) -> tuple[str, str]:
    """The n-th contact's phone as sent and as its key: a bijection on 10-digit mobiles
    starting 6-9 (7,919,993 is coprime with 4e9), so phones never repeat in an app."""
    national = str(6_000_000_000 + (n * _MULTIPLIER + app_id * 1_013) % _PHONES)
    key = DEFAULT_COUNTRY_CODE + national
    return (key if n % 2 else national), key


def phone_taken(app_id: int, national: int, contacts: int) -> bool:
    """Whether the data set gives `national` (10 digits, 6-9...) to one of the app's
    first `contacts` contacts: `phone_of` inverted."""
    n = (national - 6_000_000_000 - app_id * 1_013) * pow(_MULTIPLIER, -1, _PHONES) % _PHONES
    return n < contacts


def extension_of(index: int) -> int:
    return EXTENSION + index


def contacts(
    app_id: int, start: int, count: int, rng: random.Random, name: NameFn = repeating_name
) -> list[NewContact]:
    out = []
    saved_by = f"{EXTENSION}_{app_id}"
    for n in range(start, start + count):
        first, last = name(rng)
        phone, key = phone_of(app_id, n)
        has_email = rng.random() < 0.7
        email = f"{first}.{last}{n % 1000}@{rng.choice(DOMAINS)}".lower() if has_email else ""
        email = email.replace(" ", "")
        info = rng.choice(INFOS)
        created = CREATED_AT + n * 1_000
        notes = json.dumps([{"msg": info, "date": created, "agent": saved_by}]) if info else "[]"
        out.append(
            NewContact(
                contact_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                phone=phone,
                phone_key=key,
                first_name=first,
                last_name=last,
                email=email.replace("'", ""),
                company=rng.choice(COMPANIES),
                job_title=rng.choice(JOBS),
                tag=rng.choice(TAGS),
                status=rng.choice(STATUSES),
                remindme=created + 86_400_000 if rng.random() < 0.2 else None,
                info=info,
                notes_json=notes,
                saved_by=saved_by,
                created_at=created,
            )
        )
    return out


async def _fill_app(
    store: Store, app_id: int, size: int, password_hash: str, principals: int = 1
) -> list[str]:
    """Store the app, its principals and its contacts; the contacts' folded names."""
    secret_hash = hashlib.sha256(f"bench-secret-{app_id}".encode()).digest()
    await store.add_app(
        App(app_id, f"bench {app_id}", secret_hash, DEFAULT_COUNTRY_CODE, CREATED_AT)
    )
    for index in range(principals):
        extension = extension_of(index)
        # The first principal's phone is the one data sets before version 4 had.
        phone = "9190000" if index == 0 else f"91{9_000 + index:04d}0"
        await store.add_principal(
            NewPrincipal(
                app_id=app_id,
                extension=extension,
                first_name="Bench",
                last_name="Agent" if index == 0 else f"Agent {extension}",
                phone=phone + str(app_id)[-5:],
                email="",
                password_hash=password_hash,
                start_time=None,
                end_time=None,
                notify=False,
                followme=False,
                created_at=CREATED_AT,
            )
        )
    rng = random.Random(app_id)
    name = SHAPES.get(app_id, repeating_name)
    keys: list[str] = []
    for start in range(0, size, BATCH):
        batch = contacts(app_id, start, min(BATCH, size - start), rng, name)
        if app_id in SHAPES:
            keys += [key_of(c.first_name, c.last_name) for c in batch]
        await store.add_contacts(app_id, batch)
    return keys


async def _drop_pg_schema() -> None:
    import psycopg

    from contactd.store.postgres_setup import parse_url

    target = parse_url(BENCH_PG_URL)
    conninfo = BENCH_PG_URL.split("?", 1)[0]
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{target.schema}" CASCADE')


async def build(backend: str, big: int) -> dict[str, object]:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    manifest_path(backend).unlink(missing_ok=True)
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file()}{suffix}").unlink(missing_ok=True)
    else:
        await _drop_pg_schema()
    started = time.perf_counter()
    password_hash = await PasswordHasher().hash(PASSWORD)  # hashed once, reused
    store = await open_store(database_url(backend))
    pools: dict[str, list[str]] = {}
    distinct: dict[str, int] = {}
    try:
        for app_id in SHAPES:
            keys = await _fill_app(store, app_id, big, password_hash, PRINCIPALS)
            pools[str(app_id)] = fragments(keys, FRAGMENTS, none=NO_MATCH, seed=app_id)
            distinct[str(app_id)] = len(set(keys))
            del keys
        for app_id in SMALL_APPS:
            await _fill_app(store, app_id, SMALL_CONTACTS, password_hash)
    finally:
        await store.close()
    if backend == "postgresql":
        await _analyze_pg()
    seconds = time.perf_counter() - started
    manifest = {
        "version": DATA_VERSION,
        "backend": backend,
        "big_app": BIG_APP,
        "varied_app": VARIED_APP,
        "big_contacts": big,
        "principals": PRINCIPALS,
        "distinct_names": distinct,
        "small_apps": list(SMALL_APPS),
        "small_contacts": SMALL_CONTACTS,
        "extension": EXTENSION,
        "build_seconds": round(seconds, 1),
        "fragments": pools,
    }
    manifest_path(backend).write_text(json.dumps(manifest, indent=1))
    return manifest


async def _analyze_pg() -> None:
    # Fresh tables have no statistics and no visibility map until autovacuum gets to
    # them (index-only scans fetch every heap row until then); a server that loaded a
    # million rows in production would have both, so the bench does too.
    import psycopg

    conninfo = BENCH_PG_URL.split("?", 1)[0]
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        from contactd.store.postgres_setup import parse_url

        schema = parse_url(BENCH_PG_URL).schema
        for table in ("contacts", "names", "name_fragments"):
            await conn.execute(f'VACUUM (ANALYZE) "{schema}".{table}')


async def _present(backend: str, big: int) -> bool:
    """Whether the store still holds the big apps with their contacts (a file deleted or a
    schema dropped since the manifest was written means a rebuild)."""
    if backend == "sqlite" and not sqlite_file().exists():
        return False
    try:
        store = await open_store(database_url(backend), wait_seconds=3)
    except Exception:
        return False
    try:
        return all([await store.contact_count(app_id) == big for app_id in SHAPES])
    finally:
        await store.close()


def ensure(backend: str, *, big: int = BIG_CONTACTS, force: bool = False) -> dict[str, object]:
    """The manifest of a complete data set for `backend`, built first when missing."""
    path = manifest_path(backend)
    if not force and path.exists():
        manifest: dict[str, object] = json.loads(path.read_text())
        if manifest.get("big_contacts") == big and asyncio.run(_present(backend, big)):
            return manifest
    print(f"bench: building the {backend} data set (2 x {big:,} + 50 x 1,000 contacts)...")
    manifest = asyncio.run(build(backend, big))
    print(f"bench: {backend} data set built in {manifest['build_seconds']} s")
    return manifest


def pg_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(BENCH_PG_URL.split("?", 1)[0], connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def backends_for(choice: str) -> list[str]:
    """`both` is SQLite and, when its server answers, PostgreSQL."""
    if choice != "both":
        return [choice]
    if pg_reachable():
        return ["sqlite", "postgresql"]
    print(f"bench: PostgreSQL at {BENCH_PG_URL} is not reachable: SQLite only")
    return ["sqlite"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--contacts", type=int, default=BIG_CONTACTS)
    parser.add_argument("--force", action="store_true", help="rebuild even when present")
    args = parser.parse_args()
    for backend in backends_for(args.backend):
        ensure(backend, big=args.contacts, force=args.force)


if __name__ == "__main__":
    main()

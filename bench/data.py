"""The benchmark data set: built once through the store layer, reused by `make bench`.

    python -m bench.data --backend sqlite|postgresql|both [--contacts N] [--force]

One app of 1,000,000 contacts (`BIG_APP`) and 50 apps of 1,000 (`SMALL_APPS`), each
with one principal (extension 101). Everything is deterministic (seeded): realistic
Indian mobile numbers (unique per app, half sent with the 91 prefix), names drawn from
common Indian and English first and last names ("Mike" among them: ~1 in 64 names),
emails, companies, job titles and the v1 fields (tag, status, remindme, info, notes).

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
from pathlib import Path

from contactd.domain.models import App, NewContact, NewPrincipal
from contactd.domain.passwords import PasswordHasher
from contactd.domain.store import Store
from contactd.store import open_store

__all__ = [
    "BIG_APP",
    "DATA_DIR",
    "DATA_VERSION",
    "PASSWORD",
    "SMALL_APPS",
    "database_url",
    "ensure",
]

DATA_VERSION = "3"
DATA_DIR = Path(__file__).resolve().parent / "data"
BENCH_PG_URL = os.environ.get(
    "BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test?schema=bench"
)
BIG_APP = 4_000_000
BIG_CONTACTS = 1_000_000
SMALL_APPS = tuple(range(4_000_001, 4_000_051))
SMALL_CONTACTS = 1_000
EXTENSION = 101
PASSWORD = "bench-password-101"
BATCH = 5_000
CREATED_AT = 1_700_000_000_000  # fixed: the data set is byte-for-byte reproducible

FIRST = [
    "Mike",
    "Aarav",
    "Vivaan",
    "Aditya",
    "Vihaan",
    "Arjun",
    "Sai",
    "Reyansh",
    "Krishna",
    "Ishaan",
    "Rahul",
    "Amit",
    "Rohit",
    "Sanjay",
    "Vikram",
    "Suresh",
    "Ramesh",
    "Rajesh",
    "Anil",
    "Sunil",
    "Deepak",
    "Manoj",
    "Arun",
    "Kiran",
    "Ravi",
    "Gopal",
    "Priya",
    "Ananya",
    "Diya",
    "Aadhya",
    "Saanvi",
    "Pari",
    "Anika",
    "Sara",
    "Meera",
    "Asha",
    "Anita",
    "Sunita",
    "Kavita",
    "Pooja",
    "Neha",
    "Sneha",
    "Lakshmi",
    "Divya",
    "Swati",
    "Shreya",
    "Nisha",
    "Rekha",
    "Geeta",
    "Fatima",
    "Ayesha",
    "Imran",
    "Farhan",
    "John",
    "David",
    "Peter",
    "Mary",
    "Zoë",
    "Priyā",
    "Thomas",
    "Joseph",
    "Michelle",
    "Mohan",
]
LAST = [
    "Sharma",
    "Verma",
    "Gupta",
    "Singh",
    "Kumar",
    "Patel",
    "Shah",
    "Mehta",
    "Rao",
    "Reddy",
    "Nair",
    "Iyer",
    "Menon",
    "Pillai",
    "Das",
    "Bose",
    "Banerjee",
    "Chatterjee",
    "Mukherjee",
    "Ghosh",
    "Sen",
    "Joshi",
    "Kulkarni",
    "Deshpande",
    "Patil",
    "Jadhav",
    "Pawar",
    "Yadav",
    "Mishra",
    "Tiwari",
    "Pandey",
    "Dubey",
    "Khan",
    "Ahmed",
    "Sheikh",
    "Fernandes",
    "D'Souza",
    "Gomes",
    "Ross",
    "Chopra",
    "Malhotra",
    "Kapoor",
    "Bhatia",
    "Saxena",
    "Agarwal",
]
DOMAINS = ("gmail.com", "yahoo.co.in", "outlook.com", "rediffmail.com", "example.in")
COMPANIES = (
    "",
    "",
    "Tata Consultancy Services",
    "Infosys",
    "Wipro",
    "HCL Technologies",
    "Reliance Retail",
    "HDFC Bank",
    "ICICI Bank",
    "Bharti Airtel",
    "Flipkart",
    "Zomato",
    "Mahindra & Mahindra",
    "Larsen & Toubro",
    "Asian Paints",
    "Sharma Traders",
    "Sai Enterprises",
)
JOBS = ("", "", "Manager", "Engineer", "Accountant", "Owner", "Sales Executive", "Director")
TAGS = ("", "callback", "lead", "customer", "vip", "follow-up")
STATUSES = ("", "open", "close", "pending", "won", "lost")
INFOS = ("", "", "", "prefers Hindi", "call after 6 pm", "interested in the annual plan")


def sqlite_file() -> Path:
    return DATA_DIR / f"contactd-{DATA_VERSION}.db"


def database_url(backend: str) -> str:
    return f"sqlite:///{sqlite_file()}" if backend == "sqlite" else BENCH_PG_URL


def manifest_path(backend: str) -> Path:
    return DATA_DIR / f"{backend}-{DATA_VERSION}.json"


def phone_of(app_id: int, n: int) -> tuple[str, str]:
    """The n-th contact's phone as sent and as its key: a bijection on 10-digit mobiles
    starting 6-9 (7,919,993 is coprime with 4e9), so phones never repeat in an app."""
    national = str(6_000_000_000 + (n * 7_919_993 + app_id * 1_013) % 4_000_000_000)
    key = "91" + national
    return (key if n % 2 else national), key


def contacts(app_id: int, start: int, count: int, rng: random.Random) -> list[NewContact]:
    out = []
    saved_by = f"{EXTENSION}_{app_id}"
    for n in range(start, start + count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        phone, key = phone_of(app_id, n)
        has_email = rng.random() < 0.7
        email = f"{first}.{last}{n % 1000}@{rng.choice(DOMAINS)}".lower() if has_email else ""
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


async def _fill_app(store: Store, app_id: int, size: int, password_hash: str) -> None:
    secret_hash = hashlib.sha256(f"bench-secret-{app_id}".encode()).digest()
    await store.add_app(App(app_id, f"bench {app_id}", secret_hash, "91", CREATED_AT))
    await store.add_principal(
        NewPrincipal(
            app_id=app_id,
            extension=EXTENSION,
            first_name="Bench",
            last_name="Agent",
            phone="9190000" + str(app_id)[-5:],
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
    for start in range(0, size, BATCH):
        batch = contacts(app_id, start, min(BATCH, size - start), rng)
        await store.add_contacts(app_id, batch)


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
    try:
        await _fill_app(store, BIG_APP, big, password_hash)
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
        "big_contacts": big,
        "small_apps": list(SMALL_APPS),
        "small_contacts": SMALL_CONTACTS,
        "extension": EXTENSION,
        "build_seconds": round(seconds, 1),
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
        await conn.execute(f'VACUUM (ANALYZE) "{schema}".contacts')


async def _present(backend: str, big: int) -> bool:
    """Whether the store still holds the big app with its contacts (a file deleted or a
    schema dropped since the manifest was written means a rebuild)."""
    if backend == "sqlite" and not sqlite_file().exists():
        return False
    try:
        store = await open_store(database_url(backend), wait_seconds=3)
    except Exception:
        return False
    try:
        return await store.contact_count(BIG_APP) == big
    finally:
        await store.close()


def ensure(backend: str, *, big: int = BIG_CONTACTS, force: bool = False) -> dict[str, object]:
    """The manifest of a complete data set for `backend`, built first when missing."""
    path = manifest_path(backend)
    if not force and path.exists():
        manifest: dict[str, object] = json.loads(path.read_text())
        if manifest.get("big_contacts") == big and asyncio.run(_present(backend, big)):
            return manifest
    print(f"bench: building the {backend} data set ({big:,} + 50 x 1,000 contacts)...")
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

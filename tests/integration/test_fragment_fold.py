"""The fragment counts follow the names in folds of their own, on both backends
(store/fragment_folder.py, sqlite_fragment_fold.py, postgres_fragment_fold.py): a
count is exact with every change pending, part of them folded, or all; the folds start
after a write and run until none is pending; changes left pending by a closed store are
folded by the next one; and on PostgreSQL, folds of several processes at once take
each change once."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import psycopg
import pytest
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings
from contactd.store import fragment_folder, postgres_fragment_fold, sqlite_fragment_fold
from contactd.store.postgres_setup import parse_url
from tests.helpers import FAST_HASH, Api, name_index_differences_at

NAMES = [("Mike", "Ross"), ("Anna", "Zoë"), ("Mike", "Rossi"), ("Ravi", "Plumber"), ("Zoë", "")]
TERMS = ["m", "ro", "oss", "ross", "rossi", "zoë", "an", "lumbe", "x"]


def _path(database_url: str) -> str:
    return database_url.removeprefix("sqlite:///")


async def _pg_connection(database_url: str) -> psycopg.AsyncConnection[tuple[object, ...]]:
    target = parse_url(database_url)
    return await psycopg.AsyncConnection.connect(
        target.conninfo, options=f"-c search_path={target.schema}"
    )


def _fold_once(database_url: str, chunk: int) -> bool:
    """One fold of up to `chunk` pending changes, by a connection of its own."""
    if database_url.startswith("sqlite:///"):
        conn = sqlite3.connect(_path(database_url), isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            more = sqlite_fragment_fold.fold_pending_fragments(conn, chunk=chunk)
            conn.execute("COMMIT")
            return more
        finally:
            conn.close()

    async def fold() -> bool:
        async with await _pg_connection(database_url) as conn, conn.transaction():
            return await postgres_fragment_fold.fold_pending_fragments(conn, chunk) >= chunk

    return asyncio.run(fold())


DIGITS = ["980", "0000", "0001", "00000", "123"]
"""Runs of the numbers added (9198000000NN): counted from `phone_fragments` up to 4."""


def _counts(api: Api, token: str) -> dict[str, int]:
    counts = {}
    for term in TERMS:
        status, body = api.post("/v1/getContact", {"token": token, "page": 1, "name": term})
        assert status == 200, body
        counts[term] = body["count"]
    for digits in DIGITS:
        status, body = api.post("/x/contacts/search", {"token": token, "q": digits})
        assert status == 200, body
        counts[digits] = body["count"]
    return counts


def _expected(people: list[tuple[str, str]]) -> dict[str, int]:
    names = {t: sum(t in f"{f} {la}".strip().casefold() for f, la in people) for t in TERMS}
    phones = [str(919800000000 + i) for i in range(len(people))]
    return names | {d: sum(d in phone for phone in phones) for d in DIGITS}


def _pending(database_url: str) -> int:
    """The name changes waiting for a fold."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(_path(database_url)) as conn:
            return int(conn.execute("SELECT count(*) FROM name_pending").fetchone()[0])
    target = parse_url(database_url)
    with psycopg.connect(target.conninfo, options=f"-c search_path={target.schema}") as conn:
        row = conn.execute("SELECT count(*) FROM name_pending").fetchone()
        return int(row[0]) if row else 0


def _wait_for_folds(database_url: str) -> None:
    deadline = time.monotonic() + 30
    while _pending(database_url) and time.monotonic() < deadline:
        time.sleep(0.01)


def _add(api: Api, token: str, people: list[tuple[str, str]], first_mobile: int) -> None:
    api.add_contacts(
        token,
        [
            {"phone_no": str(919800000000 + first_mobile + i), "first_name": f, "last_name": la}
            for i, (f, la) in enumerate(people)
        ],
    )


def test_a_count_is_exact_before_during_and_after_the_folds(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fragment_folder, "FOLD_DELAY_SECONDS", 10**6)
    tenant = api.tenant()
    people = NAMES * 3
    for at in range(0, len(people), 4):  # a transaction each: several pending rows a name
        _add(api, tenant.token, people[at : at + 4], at)
    assert _pending(database_url) > 0
    assert _counts(api, tenant.token) == _expected(people)
    # Folds of 3 changes at a time, by another connection: a count between any two.
    while True:
        more = _fold_once(database_url, chunk=3)
        assert _counts(api, tenant.token) == _expected(people)
        assert name_index_differences_at(database_url) == []
        if not more:
            break
    assert _pending(database_url) == 0


def test_the_folds_run_after_a_write_until_none_is_pending(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fragment_folder, "FOLD_DELAY_SECONDS", 0.01)
    monkeypatch.setattr(fragment_folder, "CHUNK", 2)
    tenant = api.tenant()
    _add(api, tenant.token, NAMES, 0)
    _wait_for_folds(database_url)
    assert _pending(database_url) == 0
    assert _counts(api, tenant.token) == _expected(NAMES)
    assert name_index_differences_at(database_url) == []


def test_changes_left_pending_are_folded_by_the_next_store(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(database_url=database_url, **FAST_HASH)
    monkeypatch.setattr(fragment_folder, "FOLD_DELAY_SECONDS", 10**6)
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        tenant = api.tenant()
        _add(api, tenant.token, NAMES, 0)
    assert _pending(database_url) > 0  # the store closed before its folds
    monkeypatch.setattr(fragment_folder, "FOLD_DELAY_SECONDS", 0.01)
    with TestClient(create_app(settings)) as client:
        _wait_for_folds(database_url)
        assert _pending(database_url) == 0
        assert _counts(Api(client), tenant.token) == _expected(NAMES)
    assert name_index_differences_at(database_url) == []


@pytest.mark.postgres
def test_folds_of_several_processes_take_each_change_once(
    pg_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folds on connections of their own, at once (as the stores of several processes
    would run them): each takes changes no other holds, and the counts stay exact."""
    monkeypatch.setattr(fragment_folder, "FOLD_DELAY_SECONDS", 10**6)
    settings = Settings(database_url=pg_database_url, **FAST_HASH)
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        tenant = api.tenant()
        people = NAMES * 8
        for at in range(0, len(people), 2):
            _add(api, tenant.token, people[at : at + 2], at)
        assert _pending(pg_database_url) >= len(people) // 2

        async def folds() -> None:
            conns = [await _pg_connection(pg_database_url) for _ in range(4)]
            try:

                async def fold_until_none(
                    conn: psycopg.AsyncConnection[tuple[object, ...]],
                ) -> None:
                    while True:
                        async with conn.transaction():
                            if not await postgres_fragment_fold.fold_pending_fragments(conn, 2):
                                return

                await asyncio.gather(*(fold_until_none(conn) for conn in conns))
            finally:
                for conn in conns:
                    await conn.close()

        asyncio.run(folds())
        assert _pending(pg_database_url) == 0
        assert _counts(api, tenant.token) == _expected(people)
    assert name_index_differences_at(pg_database_url) == []


@pytest.mark.postgres
def test_the_changes_folded_are_vacuumed_away(
    pg_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A count reads its app's pending changes, dead ones too until a vacuum: the store
    vacuums `name_pending` after its folds, so that its space is taken again by the
    next changes instead of growing with every change ever folded."""
    monkeypatch.setattr(fragment_folder, "FOLD_DELAY_SECONDS", 0.01)
    settings = Settings(database_url=pg_database_url, **FAST_HASH)
    target = parse_url(pg_database_url)
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        tenant = api.tenant()
        for round_ in range(40):
            people = [(f"Name{round_}x{i}", f"Other{i}") for i in range(20)]
            _add(api, tenant.token, people, 20 * round_)
            _wait_for_folds(pg_database_url)
    with psycopg.connect(target.conninfo, options=f"-c search_path={target.schema}") as conn:
        row = conn.execute("SELECT pg_relation_size('name_pending')").fetchone()
    # 800 changes fill 4 pages when none is reclaimed.
    assert row is not None and int(row[0]) <= 2 * 8192, row

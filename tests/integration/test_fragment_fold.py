"""SQLite's fragment counts follow the names in folds of their own
(store/sqlite_fragment_fold.py): a count is exact with every change pending, part of
them folded, or all; the folds start after a write and run until none is pending; and
changes left pending by a closed store are folded by the next one."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings
from contactd.store import sqlite_fragment_fold
from contactd.store.sqlite_fragment_fold import fold_pending_fragments
from tests.helpers import FAST_HASH, Api, sqlite_name_index_differences

NAMES = [("Mike", "Ross"), ("Anna", "Zoë"), ("Mike", "Rossi"), ("Ravi", "Plumber"), ("Zoë", "")]
TERMS = ["m", "ro", "oss", "ross", "rossi", "zoë", "an", "lumbe", "x"]


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'contactd.db'}"


def _path(database_url: str) -> str:
    return database_url.removeprefix("sqlite:///")


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


def _pending(path: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM name_pending").fetchone()[0])


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
    monkeypatch.setattr(sqlite_fragment_fold, "FOLD_DELAY_SECONDS", 10**6)
    tenant = api.tenant()
    people = NAMES * 3
    for at in range(0, len(people), 4):  # a transaction each: several pending rows a name
        _add(api, tenant.token, people[at : at + 4], at)
    path = _path(database_url)
    assert _pending(path) > 0
    assert _counts(api, tenant.token) == _expected(people)
    # Folds of 3 changes at a time, by another connection: a count between any two.
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        while True:
            conn.execute("BEGIN IMMEDIATE")
            more = fold_pending_fragments(conn, chunk=3)
            conn.execute("COMMIT")
            assert _counts(api, tenant.token) == _expected(people)
            assert sqlite_name_index_differences(path) == []
            if not more:
                break
    finally:
        conn.close()
    assert _pending(path) == 0


def test_the_folds_run_after_a_write_until_none_is_pending(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_fragment_fold, "FOLD_DELAY_SECONDS", 0.01)
    monkeypatch.setattr(sqlite_fragment_fold, "CHUNK", 2)
    tenant = api.tenant()
    _add(api, tenant.token, NAMES, 0)
    path = _path(database_url)
    deadline = time.monotonic() + 30
    while _pending(path) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _pending(path) == 0
    assert _counts(api, tenant.token) == _expected(NAMES)
    assert sqlite_name_index_differences(path) == []


def test_changes_left_pending_are_folded_by_the_next_store(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(database_url=database_url, **FAST_HASH)
    monkeypatch.setattr(sqlite_fragment_fold, "FOLD_DELAY_SECONDS", 10**6)
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        tenant = api.tenant()
        _add(api, tenant.token, NAMES, 0)
    path = _path(database_url)
    assert _pending(path) > 0  # the store closed before its folds
    monkeypatch.setattr(sqlite_fragment_fold, "FOLD_DELAY_SECONDS", 0.01)
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 30
        while _pending(path) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _pending(path) == 0
        assert _counts(Api(client), tenant.token) == _expected(NAMES)
    assert sqlite_name_index_differences(path) == []

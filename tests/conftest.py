"""Shared fixtures: a real app over a real store, driven over HTTP in-process.

Tests build what they need through the public API (tests/helpers.py), never by
writing rows behind the service's back. This file holds fixtures and hooks only.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from starlette.testclient import TestClient

# The helpers assert (a 200 while building state): let pytest explain their failures.
pytest.register_assert_rewrite("tests.helpers")

from contactd.api.app import create_app  # noqa: E402
from contactd.config import Settings  # noqa: E402
from contactd.serving import prepare_process  # noqa: E402
from contactd.store.postgres_setup import parse_url  # noqa: E402
from tests.helpers import (  # noqa: E402
    FAST_HASH,
    POSTGRES_URL_ENV,
    Api,
    Tenant,
    in_ci,
    postgres_problem,
    postgres_url,
    redacted_postgres_url,
)


def pytest_sessionstart(session: pytest.Session) -> None:
    """One loud line saying whether the PostgreSQL half of the suite runs."""
    problem = postgres_problem()
    target = redacted_postgres_url()
    if problem is None:
        line, style = f"PostgreSQL tests WILL RUN against {target}", {"green": True}
    elif in_ci():
        line, style = f"PostgreSQL tests WILL FAIL (CI=true): {target}: {problem}", {"red": True}
    else:
        line = f"PostgreSQL tests WILL BE SKIPPED: {target} unreachable ({problem})"
        line += f"; set {POSTGRES_URL_ENV}"
        style = {"yellow": True}
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"=== {line} ===", bold=True, **style)


def _use_postgres() -> Iterator[str]:
    """A fresh schema for one test, dropped (with everything in it) afterwards."""
    problem = postgres_problem()
    if problem is not None:
        message = f"PostgreSQL at {redacted_postgres_url()} unreachable: {problem}"
        if in_ci():
            pytest.fail(f"{message} (CI=true: PostgreSQL tests must run)")
        pytest.skip(f"!!! PostgreSQL tests SKIPPED !!! {message}; set {POSTGRES_URL_ENV}")
    schema = f"t_{secrets.token_hex(6)}"
    base = postgres_url()
    yield f"{base}{'&' if '?' in base else '?'}schema={schema}"
    with psycopg.connect(parse_url(base).conninfo, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '10s'")
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


# -- the two backends: every test that builds on `database_url` runs on both ----------
@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty store: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'contactd.db'}"
    else:
        yield from _use_postgres()


@pytest.fixture
def pg_database_url() -> Iterator[str]:
    """For PostgreSQL-only tests: a URL to a fresh schema of its own, dropped afterwards."""
    yield from _use_postgres()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, **FAST_HASH)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    prepare_process()  # as a serving process: the app runs under the same interpreter
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def tenant(api: Api) -> Tenant:
    return api.tenant("Tenant A")


@pytest.fixture
def other_tenant(api: Api) -> Tenant:
    return api.tenant("Tenant B")

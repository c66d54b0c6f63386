"""Shared fixtures: a real app over a real store, driven over HTTP in-process.

Tests build what they need through the public API (factories below), never by
writing rows behind the service's back.
"""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings
from contactd.store.postgres_setup import parse_url

# Cheap argon2 parameters: the tests exercise the rules, not the cost.
FAST_HASH = {"argon2_time_cost": 1, "argon2_memory_kib": 1024}
USER_PASSWORD = "correct-horse-battery"


# -- the two backends: every test that builds on `database_url` runs on both ----------
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
    return Settings(database_url=database_url, **FAST_HASH)  # type: ignore[arg-type]


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


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
        services = self.client.app.state.services  # type: ignore[attr-defined]
        app, secret = self.client.portal.call(services.apps.create, name)  # type: ignore[union-attr]
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


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def tenant(api: Api) -> Tenant:
    return api.tenant("Tenant A")


@pytest.fixture
def other_tenant(api: Api) -> Tenant:
    return api.tenant("Tenant B")


def contact(n: int, **fields: Any) -> dict[str, Any]:
    """A valid v3 contact whose phone is unique for each n."""
    return {
        "phone_no": f"9190{n:08d}",
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        **fields,
    }


ContactFactory = Callable[..., dict[str, Any]]

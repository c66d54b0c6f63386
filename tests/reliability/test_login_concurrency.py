"""Logins under concurrency: the throttle holds.

- 60 simultaneous attempts for one id (59 wrong passwords, the right one last) get at
  most 12 password checks (10 in the window, plus the hashers in flight), counted by
  instrumenting argon2 in process, by the answers (each check is a 404 or a 200) and by
  the store's rows; on both backends, and across two `contactd serve` processes sharing
  one PostgreSQL.
- With every hasher taken, a login that would wait past the bound is a 503 with
  `Retry-After` in each generation's error shape, and leaves no attempt behind.
- A flood of junk logins against a real process: test_login_flood.py.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import argon2
import httpx
import pytest

from contactd.api.app import ContactdApp, create_app
from contactd.config import Settings
from contactd.domain.passwords import HASHERS_BUSY
from contactd.domain.principals import LOGIN_FAILED
from contactd.domain.throttle import MAX_FAILURES, WINDOW_MS
from contactd.store import open_store
from contactd.testing import app_services
from tests.contract.wire import assert_error, assert_error_shape
from tests.helpers import FAST_HASH, USER_PASSWORD
from tests.server_process import USER_PASSWORD as PROCESS_PASSWORD
from tests.server_process import ServerProcess, provision_user
from tests.server_process import create_app as create_app_row

LOGINS = ("/v1/agentLogin", "/v2/user/login")
ATTEMPTS = 60
CHECK_BOUND = MAX_FAILURES + 2
"""At most the window's failures plus the hashers in flight (the default two)."""
WRONG = "not-the-password"
EXTENSION = 1001


# -- counting and gating argon2's verify, in process ---------------------------------------
class Argon2Verifies:
    """Counts argon2 verifications (password checks) in this process; optionally holds
    each at a gate until the test opens it."""

    def __init__(self, *, gated: bool = False) -> None:
        self.calls = 0
        self.waiting = 0
        self.gate = threading.Event()
        if not gated:
            self.gate.set()
        self._lock = threading.Lock()

    def wrap(self, original: Callable[..., bool]) -> Callable[..., bool]:
        def verify(hasher: argon2.PasswordHasher, stored: str, password: str) -> bool:
            with self._lock:
                self.calls += 1
                self.waiting += 1
            try:
                assert self.gate.wait(timeout=30)
            finally:
                with self._lock:
                    self.waiting -= 1
            return original(hasher, stored, password)

        return verify


def _instrument(monkeypatch: pytest.MonkeyPatch, verifies: Argon2Verifies) -> Argon2Verifies:
    monkeypatch.setattr(
        argon2.PasswordHasher, "verify", verifies.wrap(argon2.PasswordHasher.verify)
    )
    return verifies


@pytest.fixture
def verifies(monkeypatch: pytest.MonkeyPatch) -> Argon2Verifies:
    return _instrument(monkeypatch, Argon2Verifies())


@pytest.fixture
def gated_verifies(monkeypatch: pytest.MonkeyPatch) -> Iterator[Argon2Verifies]:
    gated = _instrument(monkeypatch, Argon2Verifies(gated=True))
    yield gated
    gated.gate.set()  # never leave a worker thread parked


@dataclass(frozen=True)
class InProcess:
    app: ContactdApp
    client: httpx.AsyncClient
    appid: int
    user_id: str


@asynccontextmanager
async def _in_process(settings: Settings) -> AsyncIterator[InProcess]:
    """The real app over its own store, one app with one user, an ASGI client."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):  # type: ignore[arg-type]
        created, secret = await app_services(app).apps.create("Racing logins")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.post(
                "/v3/user/add",
                json={
                    "appid": created.app_id,
                    "secret": secret,
                    "extension": EXTENSION,
                    "first_name": "Race",
                    "last_name": "Login",
                    "phone_number": "919800000000",
                    "password": USER_PASSWORD,
                },
            )
            assert response.status_code == 200, response.text
            yield InProcess(app, client, created.app_id, response.json()["agent"]["agent_id"])


async def _kept_attempts(where: InProcess | str, appid: int, extension: int) -> int:
    """How many attempts the store keeps for the id (the failures and running checks)."""
    if isinstance(where, InProcess):
        store = app_services(where.app).store
        return len(await store.recent_login_attempts(appid, extension, 0))
    store = await open_store(where)
    try:
        return len(await store.recent_login_attempts(appid, extension, 0))
    finally:
        await store.close()


def _bodies(user_id: str, password: str) -> list[dict[str, str]]:
    """59 wrong passwords and the right one last, as in the attack that got through."""
    return [{"id": user_id, "password": WRONG}] * (ATTEMPTS - 1) + [
        {"id": user_id, "password": password}
    ]


def _check_answers(answers: list[tuple[int, Any, httpx.Headers]]) -> Counter[int]:
    """Every answer is a check's (200, 404) or a refusal with `Retry-After` (429, 503)."""
    statuses = Counter(status for status, _, _ in answers)
    assert set(statuses) <= {200, 404, 429, 503}, statuses
    for status, body, headers in answers:
        if status != 200:
            assert_error_shape(status, body)
        if status in (429, 503):
            assert int(headers["retry-after"]) >= 1
    return statuses


# -- 60 simultaneous attempts for one id, in process, on both backends -----------------------
def test_sixty_simultaneous_attempts_get_at_most_twelve_checks(
    settings: Settings, verifies: Argon2Verifies
) -> None:
    async def scenario() -> tuple[Counter[int], int, int]:
        async with _in_process(settings) as live:
            before = verifies.calls
            posts = [
                live.client.post(LOGINS[n % 2], json=body)
                for n, body in enumerate(_bodies(live.user_id, USER_PASSWORD))
            ]
            responses = await asyncio.gather(*posts)
            checks = verifies.calls - before
            kept = await _kept_attempts(live, live.appid, EXTENSION)
        answers = [(r.status_code, r.json(), r.headers) for r in responses]
        return _check_answers(answers), checks, kept

    statuses, checks, kept = asyncio.run(scenario())
    print(f"\n{ATTEMPTS} simultaneous attempts: {checks} password checks, answers {statuses}")
    assert checks <= CHECK_BOUND
    # Every check was answered as one (404 or 200); every other answer ran none.
    assert checks == statuses[404] + statuses[200]
    assert kept == statuses[404] <= MAX_FAILURES
    assert statuses[429] + statuses[503] >= ATTEMPTS - CHECK_BOUND


# -- the reservation itself: atomic across two stores (two pools: as two processes) ---------
def test_simultaneous_reservations_never_overfill_the_window(database_url: str) -> None:
    appid, now = 4_242_424, 1_700_000_000_000

    async def scenario() -> tuple[list[list[int]], int]:
        stores = [await open_store(database_url) for _ in range(2)]
        try:
            found = await asyncio.gather(
                *(
                    stores[n % 2].reserve_login_attempt(
                        appid, EXTENSION, n + 1, now, since=now - WINDOW_MS, limit=MAX_FAILURES
                    )
                    for n in range(ATTEMPTS)
                )
            )
            return found, len(await stores[0].recent_login_attempts(appid, EXTENSION, 0))
        finally:
            for store in stores:
                await store.close()

    found, kept = asyncio.run(scenario())
    # An attempt is kept exactly when it found fewer than the bound before it.
    assert sum(len(times) < MAX_FAILURES for times in found) == kept == MAX_FAILURES
    assert sorted(len(times) for times in found)[:MAX_FAILURES] == list(range(MAX_FAILURES))


# -- the same across two processes sharing one PostgreSQL ---------------------------------------
@pytest.fixture
def two_servers(pg_database_url: str, tmp_path: Path) -> Iterator[list[ServerProcess]]:
    servers: list[ServerProcess] = []
    try:
        for name in ("a", "b"):
            servers.append(ServerProcess(pg_database_url, tmp_path / f"server-{name}.log"))
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.mark.postgres
@pytest.mark.blackbox
def test_sixty_simultaneous_attempts_across_two_processes(
    two_servers: list[ServerProcess], pg_database_url: str
) -> None:
    appid, secret = create_app_row(pg_database_url)
    provision_user(two_servers[0], appid, secret, EXTENSION)  # one success: cleared
    user_id = f"{EXTENSION}_{appid}"
    start = threading.Barrier(ATTEMPTS)

    def attempt(n: int, body: dict[str, str]) -> tuple[int, Any, httpx.Headers]:
        server = two_servers[n % 2]
        start.wait(timeout=30)  # all 60 leave together
        response = httpx.post(f"{server.base_url}{LOGINS[n // 2 % 2]}", json=body, timeout=30)
        return response.status_code, response.json(), response.headers

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        answers = list(pool.map(attempt, range(ATTEMPTS), _bodies(user_id, PROCESS_PASSWORD)))
    statuses = _check_answers(answers)
    kept = asyncio.run(_kept_attempts(pg_database_url, appid, EXTENSION))
    checks = statuses[404] + statuses[200]
    print(f"\n{ATTEMPTS} attempts over two processes: {checks} checks, answers {statuses}")
    assert checks <= CHECK_BOUND
    assert kept == statuses[404] <= MAX_FAILURES
    assert statuses[429] + statuses[503] >= ATTEMPTS - CHECK_BOUND


# -- every hasher taken: 503 with Retry-After, and no attempt left behind -----------------------
@pytest.mark.parametrize("max_wait", [0.0, 0.2], ids=["refused-at-once", "waited-past-bound"])
def test_login_with_every_hasher_taken_is_503_with_retry_after(
    database_url: str, gated_verifies: Argon2Verifies, max_wait: float
) -> None:
    settings = Settings(
        database_url=database_url,
        max_hash_wait_seconds=max_wait,
        **FAST_HASH,
    )

    async def scenario() -> None:
        async with _in_process(settings) as live:
            # Two logins of unknown ids take both hashers and are held there.
            fillers = [
                asyncio.ensure_future(
                    live.client.post(
                        "/v2/user/login", json={"id": f"{2000 + n}_{live.appid}", "password": WRONG}
                    )
                )
                for n in range(settings.max_concurrent_hashes)
            ]
            for _ in range(1000):
                if gated_verifies.waiting == settings.max_concurrent_hashes:
                    break
                await asyncio.sleep(0.01)
            assert gated_verifies.waiting == settings.max_concurrent_hashes

            for path in LOGINS:
                body = {"id": live.user_id, "password": USER_PASSWORD}
                response = await live.client.post(path, json=body)
                assert_error(response.status_code, response.json(), 503, HASHERS_BUSY)
                assert response.headers["retry-after"] == "1"
            # No check ran, so none is held against the id.
            assert await _kept_attempts(live, live.appid, EXTENSION) == 0
            assert gated_verifies.calls == settings.max_concurrent_hashes

            gated_verifies.gate.set()
            for filler in fillers:
                response = await filler
                assert_error(response.status_code, response.json(), 404, LOGIN_FAILED)
            response = await live.client.post(
                "/v2/user/login", json={"id": live.user_id, "password": USER_PASSWORD}
            )
            assert response.status_code == 200, response.text

    asyncio.run(scenario())

"""Login throttling: at most 10 failed logins per principal id per 15 minutes.

(Concurrent attempts and floods: test_login_concurrency.py.)

The rule runs against the real stores with an injected clock (no sleeps); over HTTP on
both login endpoints; and across two server processes sharing one PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from contactd.domain.apps import AppService
from contactd.domain.errors import LoginFailed, TooManyAttempts
from contactd.domain.logins import LoginOutcome, LoginResult
from contactd.domain.passwords import PasswordHasher
from contactd.domain.principals import LOGIN_ID_FORM, PrincipalService
from contactd.domain.throttle import MAX_FAILURES, TOO_MANY_ATTEMPTS, WINDOW_MS, retry_after_seconds
from contactd.store import open_store
from tests.contract.wire import assert_error
from tests.helpers import USER_PASSWORD, Api, Tenant
from tests.server_process import ServerProcess, create_app, provision_user

PASSWORD = "the-right-password"
WRONG = "not-the-password"
START = 1_700_000_000_000


class Clock:
    """One time for every app (an `AppClock`)."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self, app_id: int) -> int:
        return self.now


class CountingHasher(PasswordHasher):
    """Counts password checks: a throttled login must not reach one."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_kib=1024)
        self.verifies = 0

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        self.verifies += 1
        return await super().verify(stored_hash, password)


def _refusal(result: LoginResult) -> TooManyAttempts:
    assert result.outcome is LoginOutcome.THROTTLED, result
    assert isinstance(result.refusal, TooManyAttempts)
    assert result.refusal.msg == TOO_MANY_ATTEMPTS
    return result.refusal


async def _scenario(database_url: str) -> None:
    store = await open_store(database_url)
    try:
        clock, hasher = Clock(), CountingHasher()
        principals = PrincipalService(store, hasher, clock=clock)
        app, _ = await AppService(store).create("Throttle")
        other, _ = await AppService(store).create("Other")
        for target in (app, other):
            await principals.add(
                target,
                extension=1001,
                first_name="T",
                last_name="R",
                phone_number="919800000000",
                password=PASSWORD,
            )
        user, twin = f"1001_{app.app_id}", f"1001_{other.app_id}"

        async def outcome(principal_id: str, password: str) -> LoginOutcome:
            return (await principals.login(principal_id, password)).outcome

        # Successes do not count; failures are spread over time.
        for n in range(MAX_FAILURES):
            assert await outcome(user, PASSWORD) is LoginOutcome.OK
            assert await outcome(user, WRONG) is LoginOutcome.BAD_PASSWORD
            clock.now += 1000 * (n + 1)
        checks = hasher.verifies
        assert len(await store.recent_login_attempts(app.app_id, 1001, 0)) == MAX_FAILURES

        # The 11th attempt, right password or not, is refused without hashing.
        for password in (WRONG, PASSWORD):
            refused = _refusal(await principals.login(user, password))
        assert hasher.verifies == checks
        first_failure = START  # the oldest of the ten in the window
        expected = retry_after_seconds(first_failure + WINDOW_MS - clock.now)
        assert refused.retry_after_seconds == expected
        assert 0 < expected <= WINDOW_MS // 1000

        # Other ids, and the same extension in another app, are not affected.
        assert await outcome(twin, PASSWORD) is LoginOutcome.OK

        # A second before the oldest failure leaves the window: still refused.
        clock.now = first_failure + WINDOW_MS - 1000
        assert _refusal(await principals.login(user, PASSWORD)).retry_after_seconds == 1
        # Once it has left, nine remain in the window: one more attempt is allowed.
        clock.now = first_failure + WINDOW_MS
        assert await outcome(user, PASSWORD) is LoginOutcome.OK
        assert await outcome(user, WRONG) is LoginOutcome.BAD_PASSWORD
        _refusal(await principals.login(user, PASSWORD))

        # An id that names no principal is throttled alike (no enumeration by 429).
        ghost = f"4242_{app.app_id}"
        for _ in range(MAX_FAILURES):
            assert await outcome(ghost, WRONG) is LoginOutcome.UNKNOWN_ID
        _refusal(await principals.login(ghost, WRONG))

        # A malformed id is refused without a check and without a row.
        checks = hasher.verifies
        for malformed in ("junk17-3", f"1_{app.app_id}", f"10000_{app.app_id}", "1001_"):
            result = await principals.login(malformed, WRONG)
            assert result.outcome is LoginOutcome.MALFORMED_ID
            assert isinstance(result.refusal, LoginFailed)
            assert result.refusal.msg == LOGIN_ID_FORM
        assert hasher.verifies == checks
        assert await store.recent_login_attempts(app.app_id, 1, 0) == []

        # Old attempts are swept as new ones are reserved.
        clock.now += 2 * WINDOW_MS
        assert await outcome(user, WRONG) is LoginOutcome.BAD_PASSWORD
        assert await store.recent_login_attempts(app.app_id, 1001, 0) == [clock.now]
        assert await store.recent_login_attempts(app.app_id, 4242, 0) == []
    finally:
        await store.close()


def test_throttle_rule_over_the_store(database_url: str) -> None:
    asyncio.run(_scenario(database_url))


@pytest.mark.parametrize("path", ["/v1/agentLogin", "/v2/user/login"])
def test_eleventh_login_is_429_with_retry_after(
    client: TestClient, tenant: Tenant, api: Api, path: str
) -> None:
    for _ in range(MAX_FAILURES):
        status, body = api.post(path, {"id": tenant.user_id, "password": "wrong-password"})
        assert status == 404, body
    for other_path in ("/v1/agentLogin", "/v2/user/login"):
        for password in ("wrong-password", USER_PASSWORD):
            response = client.post(other_path, json={"id": tenant.user_id, "password": password})
            assert_error(response.status_code, response.json(), 429, TOO_MANY_ATTEMPTS)
            assert 1 <= int(response.headers["retry-after"]) <= WINDOW_MS // 1000
    # The tokens issued before keep working; only logins are throttled.
    status, _ = api.post("/v3/contact/get", {"token": tenant.token})
    assert status == 200


@pytest.fixture
def two_servers(pg_database_url: str, tmp_path: Path) -> Iterator[list[ServerProcess]]:
    servers = [ServerProcess(pg_database_url, tmp_path / f"server{n}.log") for n in range(2)]
    yield servers
    for server in servers:
        server.stop()


@pytest.mark.postgres
@pytest.mark.blackbox
def test_throttle_holds_across_processes(
    two_servers: list[ServerProcess], pg_database_url: str
) -> None:
    appid, secret = create_app(pg_database_url)
    provision_user(two_servers[0], appid, secret)
    user = f"1001_{appid}"
    for n in range(MAX_FAILURES):
        status, _ = two_servers[n % 2].post("/v2/user/login", {"id": user, "password": WRONG})
        assert status == 404
    for server in two_servers:
        status, body = server.post("/v1/agentLogin", {"id": user, "password": WRONG})
        assert (status, body["msg"]) == (429, TOO_MANY_ATTEMPTS)

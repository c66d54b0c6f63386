"""Logins cannot deny logins: under a flood of 100 concurrent junk logins against a real
process with production argon2 costs, a legitimate login is answered (200, or 503 with
`Retry-After`) within a generous bound; the test prints the latency it measured (run
with `-s`). The throttle under concurrency is in test_login_concurrency.py.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contactd.domain.passwords import HASHERS_BUSY
from contactd.domain.principals import LOGIN_ID_FORM
from tests.contract.wire import assert_error
from tests.server_process import USER_PASSWORD as PROCESS_PASSWORD
from tests.server_process import ServerProcess, provision_user
from tests.server_process import create_app as create_app_row

LOGINS = ("/v1/agentLogin", "/v2/user/login")
WRONG = "not-the-password"
EXTENSION = 1001


# -- a flood of 100 concurrent junk logins against a real process ------------------------------
FLOOD = 100
PRODUCTION_HASH_ENV = {"CONTACTD_ARGON2_TIME_COST": "3", "CONTACTD_ARGON2_MEMORY_KIB": "65536"}
LATENCY_BOUND_SECONDS = 5.0
LEGITIMATE_LOGINS = 5
WARM_UP_SECONDS = 15.0
# Below uvicorn's keep-alive timeout (5 s, as httpx's own default expiry): a client that
# reuses a connection idle for as long as the server keeps it races the server's close
# and reads nothing, which would be the client's doing, not the server's.
CLIENT_KEEPALIVE_EXPIRY_SECONDS = 2.0


@pytest.fixture
def production_server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    """A real process with the default (production) argon2 costs."""
    process = ServerProcess(database_url, tmp_path / "server.log", extra_env=PRODUCTION_HASH_ENV)
    yield process
    process.stop()


class Flood:
    """`FLOOD` clients sending junk logins back to back, on a loop in a thread of its own."""

    def __init__(self, base_url: str, junk: Callable[[int], str]) -> None:
        self._base_url = base_url
        self._junk = junk
        self._stop = threading.Event()
        self._sent = itertools.count()
        self.answers: Counter[tuple[int, str]] = Counter()
        self.unshaped: list[Any] = []
        self.transport_errors: list[str] = []
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def __enter__(self) -> Flood:
        self._thread.start()
        # Measured once the flood is steady: each client answered a few times over (or,
        # on a slow machine, for a while at least, with every client answered once).
        deadline = time.monotonic() + WARM_UP_SECONDS
        while self.answers.total() < 3 * FLOOD and time.monotonic() < deadline:
            time.sleep(0.01)
        if self.answers.total() < FLOOD:
            self.__exit__()
            pytest.fail(f"the flood did not get going in {WARM_UP_SECONDS} s: {self.answers}")
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    async def _run(self) -> None:
        limits = httpx.Limits(
            max_connections=FLOOD,
            max_keepalive_connections=FLOOD,
            keepalive_expiry=CLIENT_KEEPALIVE_EXPIRY_SECONDS,
        )
        async with httpx.AsyncClient(base_url=self._base_url, limits=limits, timeout=60) as client:
            await asyncio.gather(*(self._client(client, n) for n in range(FLOOD)))

    async def _client(self, client: httpx.AsyncClient, n: int) -> None:
        while not self._stop.is_set():
            sent = next(self._sent)  # one loop, so no two clients draw the same number
            body = {"id": self._junk(sent), "password": WRONG}
            try:
                response = await client.post(LOGINS[(n + sent) % 2], json=body)
            except httpx.TransportError as exc:
                self.transport_errors.append(repr(exc))
                continue
            status, answer = response.status_code, response.json()
            if status == 503 and "retry-after" not in response.headers:
                self.unshaped.append(answer)
            self.answers[status, answer.get("msg", "")] += 1


def _timed_login(server: ServerProcess, user_id: str) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = httpx.post(
        f"{server.base_url}/v2/user/login",
        json={"id": user_id, "password": PROCESS_PASSWORD},
        timeout=60,
    )
    return time.perf_counter() - started, response


@pytest.mark.blackbox
@pytest.mark.parametrize("junk", ["malformed", "unknown"])
def test_a_login_is_answered_promptly_under_a_flood_of_junk_logins(
    production_server: ServerProcess, database_url: str, junk: str
) -> None:
    appid, secret = create_app_row(database_url)
    provision_user(production_server, appid, secret, EXTENSION)
    user_id = f"{EXTENSION}_{appid}"
    alone, response = _timed_login(production_server, user_id)
    assert response.status_code == 200, response.text

    if junk == "malformed":
        ids: Callable[[int], str] = lambda n: f"junk{n}-3"  # noqa: E731
    else:  # well-formed ids that name no principal, each tried once
        ids = lambda n: f"{100 + n % 9000}_{appid}"  # noqa: E731
    with Flood(production_server.base_url, ids) as flood:
        timed = [_timed_login(production_server, user_id) for _ in range(LEGITIMATE_LOGINS)]
    latencies = ", ".join(f"{seconds:.3f} s ({r.status_code})" for seconds, r in timed)
    print(
        f"\nlogin alone {alone:.3f} s; under a flood of {FLOOD} concurrent {junk} logins:"
        f" {latencies}; flood answers {dict(flood.answers)}"
    )
    for latency, response in timed:
        if response.status_code == 503:
            assert_error(503, response.json(), 503, HASHERS_BUSY)
            assert response.headers["retry-after"] == "1"
        else:
            assert response.status_code == 200, response.text
        assert latency < LATENCY_BOUND_SECONDS
    assert flood.unshaped == []
    assert flood.transport_errors == []
    if junk == "malformed":  # refused by shape: never a hash, never a 503
        assert set(flood.answers) == {(404, LOGIN_ID_FORM)}
    else:
        assert {status for status, _ in flood.answers} <= {404, 503}

"""Racing writers: the unique (app, phone) constraint decides, never a read-then-write."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.helpers import LiveTenant, scaled
from tests.server_process import ServerProcess, create_app, provision_user

pytestmark = pytest.mark.blackbox

RACERS = 100


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(database_url, tmp_path / "server.log")
    yield process
    process.stop()


def test_hundred_concurrent_adds_of_one_phone_store_one(
    server: ServerProcess, database_url: str
) -> None:
    appid, secret = create_app(database_url)
    token = provision_user(server, appid, secret)
    body = {
        "token": token,
        "contacts": [{"phone_no": "919100000000", "first_name": "Race", "last_name": "R"}],
    }

    def add(_: int) -> int:
        return httpx.post(f"{server.base_url}/v3/contact/add", json=body, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = Counter(pool.map(add, range(RACERS)))

    assert statuses == {200: 1, 409: RACERS - 1}
    status, page = server.post("/v3/contact/get", {"token": token, "limit": 100})
    assert status == 200
    assert page["count"] == 1
    assert [c["phone_no"] for c in page["contacts"]] == ["919100000000"]


def _v1_upsert(base_url: str, token: str, n: int) -> int:
    body = {"token": token, "from": 9100000000, "name": f"Racer {n}", "info": f"note {n}"}
    return httpx.post(f"{base_url}/v1/updateContact", json=body, timeout=30).status_code


def test_concurrent_v1_upserts_of_one_phone_store_one(
    live_server: ServerProcess, live_tenant: LiveTenant
) -> None:
    racers = scaled(RACERS)
    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = Counter(
            pool.map(
                lambda n: _v1_upsert(live_server.base_url, live_tenant.token, n), range(racers)
            )
        )

    assert statuses == {200: racers}
    status, page = live_server.post("/v1/getContact", {"token": live_tenant.token, "page": 1})
    assert status == 200
    assert page["count"] == 1
    [stored] = page["contacts"]
    assert stored["mobile"] == 9100000000
    # Every upsert appended its note: none was lost to a racing read-modify-write.
    assert sorted(n["msg"] for n in stored["notes"]) == sorted(f"note {n}" for n in range(racers))
    status, v3 = live_server.post("/v3/contact/get", {"token": live_tenant.token, "limit": 100})
    assert (status, v3["count"], len(v3["contacts"])) == (200, 1, 1)


def test_concurrent_v3_add_and_v1_upsert_of_one_phone_store_one(
    live_server: ServerProcess, live_tenant: LiveTenant
) -> None:
    racers = scaled(RACERS)
    add = {
        "token": live_tenant.token,
        "contacts": [{"phone_no": "919100000000", "first_name": "V3", "last_name": "Racer"}],
    }

    def race(n: int) -> tuple[str, int]:
        if n % 2:
            return "v1", _v1_upsert(live_server.base_url, live_tenant.token, n)
        response = httpx.post(f"{live_server.base_url}/v3/contact/add", json=add, timeout=30)
        return "v3", response.status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        outcomes = Counter(pool.map(race, range(racers)))

    assert outcomes[("v1", 200)] == racers // 2
    assert outcomes[("v3", 200)] <= 1
    assert outcomes[("v3", 200)] + outcomes[("v3", 409)] == racers - racers // 2
    status, page = live_server.post("/v3/contact/get", {"token": live_tenant.token, "limit": 100})
    assert status == 200
    assert page["count"] == 1
    assert len(page["contacts"]) == 1
    status, v1 = live_server.post("/v1/getContact", {"token": live_tenant.token, "page": 1})
    assert (v1["count"], len(v1["contacts"])) == (1, 1)

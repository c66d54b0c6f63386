"""Racing writers: the unique (app, phone) constraint decides, never a read-then-write."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

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

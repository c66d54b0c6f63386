"""The control API against a real `contactd serve --stand-in`, as an integrator's parallel
tests use it: two apps on one server, each driven by a thread of its own at the same
time through seed, faults, the journal, the clock and reset. Neither ever sees the
other's contacts, faults, journal entries or clock, and the same fault seed gives both
the same injections however their requests interleave. Both backends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contactd.domain.tokens import TOKEN_TTL_MS
from tests.server_process import ServerProcess, create_app

ROUNDS = 40
PASSWORD = "pw"  # stand-in mode takes the vendor's passwords, however short


@pytest.fixture
def stand_in(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(database_url, tmp_path / "server.log", args=["--stand-in"]) as server:
        yield server


class Tenant:
    """One test's app, driven over HTTP like an integrator's suite would."""

    def __init__(self, server: ServerProcess, appid: int, secret: str, mark: int) -> None:
        self.http = httpx.Client(base_url=server.base_url, timeout=30)
        self.appid, self.secret, self.mark = appid, secret, mark
        self.token = ""

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.post(path, json=body)

    def control(self, operation: str, **body: Any) -> dict[str, Any]:
        answer = self.post(
            f"/_contactd/{operation}", {"appid": self.appid, "secret": self.secret, **body}
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def login(self) -> None:
        answer = self.post("/v2/user/login", {"id": f"1001_{self.appid}", "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        self.token = answer.json()["token"]

    def count(self) -> int:
        answer = self.post("/v3/contact/get", {"token": self.token})
        assert answer.status_code == 200, answer.text
        return int(answer.json()["count"])

    def run(self) -> list[int]:
        """Seed, fault, journal, clock and reset; the rounds a fault answered."""
        user = {"extension": 1001, "first_name": "Test", "last_name": f"App{self.mark}",
                "phone_number": "919800000000", "password": PASSWORD}  # fmt: skip
        seeds = [{"from": f"91980000{self.mark}{n:03d}", "name": f"Seeded {n}"} for n in range(3)]
        seeded = self.control("seed", principals=[user], contacts=seeds)
        assert len(seeded["contacts"]) == 3
        self.login()
        self.control(
            "faults", rules=[{"path": "/v3/contact/add", "probability": 0.3, "status": 503}], seed=7
        )
        faulted = []
        for n in range(ROUNDS):
            contact = {
                "phone_no": f"91970000{self.mark}{n:03d}",
                "first_name": "A",
                "last_name": "B",
            }
            answer = self.post("/v3/contact/add", {"token": self.token, "contacts": [contact]})
            assert answer.status_code in (200, 503), answer.text
            if answer.status_code == 503:
                faulted.append(n)
                assert answer.headers["retry-after"] == "1"
        assert self.count() == 3 + ROUNDS - len(faulted)
        journal = self.control("requests", path="/v3/contact/add")["requests"]
        assert [e["status"] == 503 for e in journal] == [n in faulted for n in range(ROUNDS)]
        assert all(e["request"]["token"] == "[redacted]" for e in journal)
        assert {e["request"]["contacts"][0]["phone_no"][8] for e in journal} == {str(self.mark)}
        self.control("clock", advance_ms=TOKEN_TTL_MS + 1)
        assert self.post("/v3/contact/get", {"token": self.token}).status_code == 404
        self.control("reset")
        assert self.control("requests")["requests"] == []
        assert (
            self.post(
                "/v2/user/login", {"id": f"1001_{self.appid}", "password": PASSWORD}
            ).status_code
            == 404
        )
        return faulted


def test_two_apps_driven_at_once_never_see_each_other(
    stand_in: ServerProcess, database_url: str
) -> None:
    tenants = [Tenant(stand_in, *create_app(database_url, f"App {mark}"), mark) for mark in (1, 2)]
    results: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def drive(tenant: Tenant) -> None:
        try:
            results[tenant.mark] = tenant.run()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=drive, args=(tenant,)) for tenant in tenants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    # One seed, one sequence of requests per app: the same injections in both.
    assert results[1] == results[2] and 0 < len(results[1]) < ROUNDS, results
    for tenant in tenants:
        tenant.http.close()

"""Durability under crashes: SIGKILL the server while clients add contacts.

After every kill and restart: each add acknowledged with 200 is stored, no batch is
partly stored, nothing appears that no client sent, and (SQLite) the file passes
`integrity_check`. `CONTACTD_RELIABILITY_ROUNDS` raises the number of kill rounds.
"""

from __future__ import annotations

import itertools
import os
import random
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from contactd.store import sqlite_path
from tests.server_process import ServerProcess, create_app, provision_user

pytestmark = pytest.mark.blackbox

ROUNDS = int(os.environ.get("CONTACTD_RELIABILITY_ROUNDS", "20"))
WRITERS = 4


@dataclass
class Ledger:
    """What the clients sent and what the server acknowledged, across all rounds."""

    sent: list[list[str]] = field(default_factory=list)
    acknowledged: list[list[str]] = field(default_factory=list)
    server_errors: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    phones: itertools.count[int] = field(default_factory=lambda: itertools.count(7_000_000_000))

    def next_request(self, size: int) -> list[str]:
        with self.lock:
            batch = [f"91{next(self.phones)}" for _ in range(size)]
            self.sent.append(batch)
        return batch


def _writer(base_url: str, token: str, ledger: Ledger, stop: threading.Event) -> None:
    rng = random.Random()
    with httpx.Client(base_url=base_url, timeout=5.0) as http:
        while not stop.is_set():
            batch = ledger.next_request(rng.choice((1, 5)))
            body = {
                "token": token,
                "contacts": [{"phone_no": p, "first_name": "K", "last_name": p} for p in batch],
            }
            try:
                response = http.post("/v3/contact/add", json=body)
            except httpx.TransportError:
                continue  # the server died mid-request: the outcome is unknown
            if response.status_code == 200:
                with ledger.lock:
                    ledger.acknowledged.append(batch)
            elif response.status_code >= 500 and response.status_code != 503:
                ledger.server_errors.append(response.status_code)


def _stored_phones(server: ServerProcess, token: str) -> list[str]:
    phones: list[str] = []
    page_state = None
    while True:
        status, body = server.post(
            "/v3/contact/get", {"token": token, "limit": 100, "page_state": page_state}
        )
        assert status == 200, body
        phones += [c["phone_no"] for c in body["contacts"]]
        page_state = body["page_state"]
        if page_state is None:
            return phones


def _assert_integrity(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        return
    with sqlite3.connect(sqlite_path(database_url)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_acknowledged_adds_survive_sigkill(database_url: str, tmp_path: Path) -> None:
    appid, secret = create_app(database_url)
    log = tmp_path / "server.log"
    server = ServerProcess(database_url, log)
    token = provision_user(server, appid, secret)
    ledger = Ledger()
    rng = random.Random(20261123)
    for _ in range(ROUNDS):
        stop = threading.Event()
        writers = [
            threading.Thread(target=_writer, args=(server.base_url, token, ledger, stop))
            for _ in range(WRITERS)
        ]
        for thread in writers:
            thread.start()
        stop.wait(rng.uniform(0.15, 0.5))
        server.kill()
        stop.set()
        for thread in writers:
            thread.join(timeout=30)
        _assert_integrity(database_url)
        server = ServerProcess(database_url, log)

    stored = _stored_phones(server, token)
    server.stop()
    stored_set = set(stored)
    sent_phones = {p for batch in ledger.sent for p in batch}
    assert len(stored) == len(stored_set), "a phone is stored twice"
    assert stored_set <= sent_phones, "a contact appeared that no client sent"
    lost = [p for batch in ledger.acknowledged for p in batch if p not in stored_set]
    assert not lost, f"acknowledged adds lost: {lost[:5]}"
    partial = [b for b in ledger.sent if 0 < len(stored_set.intersection(b)) < len(b)]
    assert not partial, f"batches partly stored: {partial[:3]}"
    assert not ledger.server_errors
    assert len(ledger.acknowledged) > ROUNDS, "too few writes were acknowledged to judge"

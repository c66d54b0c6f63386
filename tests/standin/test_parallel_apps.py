"""`contactd_app`: a fresh app per test on a server shared by the tests of one process,
so tests never share state: run for real under pytest-xdist (`-n 2`, in a subprocess),
and two apps driven by concurrent threads on one server, whose resets never touch each
other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from contactd.testing import ContactdServer, StandInServer

ROUNDS = 15


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """One client for the module: a client per call would build a TLS context each time."""
    with httpx.Client(timeout=10) as client:
        yield client


def count(http: httpx.Client, app: ContactdServer) -> int:
    answer = http.post(app.url("/v3/contact/get"), json={"token": app.token})
    assert answer.status_code == 200, answer.text
    return int(answer.json()["count"])


def add(http: httpx.Client, app: ContactdServer, first: int, how_many: int) -> None:
    # The same phones in both apps: an app's book is its own.
    contacts = [
        {"phone_no": f"91920000{i:04d}", "first_name": f"C{i}", "last_name": "Test"}
        for i in range(first, first + how_many)
    ]
    answer = http.post(app.url("/v3/contact/add"), json={"token": app.token, "contacts": contacts})
    assert answer.status_code == 200, answer.text


def test_each_test_gets_its_own_app_on_the_shared_server(
    contactd_app: ContactdServer, contactd_shared_server: StandInServer, http: httpx.Client
) -> None:
    assert contactd_app.base_url == contactd_shared_server.base_url
    assert count(http, contactd_app) == 0
    add(http, contactd_app, 0, 3)
    other = contactd_shared_server.new_app()
    assert other.appid != contactd_app.appid
    assert (count(http, other), count(http, contactd_app)) == (0, 3)
    other.reset()
    assert count(http, contactd_app) == 3


def test_concurrent_resets_of_one_app_never_touch_another(
    contactd_shared_server: StandInServer, http: httpx.Client
) -> None:
    resetting, accumulating = contactd_shared_server.new_app(), contactd_shared_server.new_app()
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def keeps_resetting() -> None:
        for round_ in range(ROUNDS):
            add(http, resetting, 0, 3)
            assert count(http, resetting) == 3, round_
            resetting.reset()
            assert count(http, resetting) == 0, round_

    def keeps_adding() -> None:
        for round_ in range(ROUNDS):
            add(http, accumulating, round_ * 2, 2)
            assert count(http, accumulating) == (round_ + 1) * 2, round_

    def run(work: Callable[[], None]) -> None:
        try:
            start.wait(10)
            work()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in (keeps_resetting, keeps_adding)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures
    assert (count(http, resetting), count(http, accumulating)) == (0, ROUNDS * 2)


_WORKER_TESTS = """
import json, os, pathlib

import httpx
import pytest

OUT = pathlib.Path(os.environ["CONTACTD_XDIST_OUT"])


@pytest.fixture(scope="module")
def http():
    with httpx.Client(timeout=10) as client:
        yield client


def count(http, app):
    answer = http.post(app.url("/v3/contact/get"), json={"token": app.token})
    assert answer.status_code == 200, answer.text
    return answer.json()["count"]


def add(http, app, how_many):
    contacts = [
        {"phone_no": f"9192000000{i:02d}", "first_name": f"C{i}", "last_name": "Test"}
        for i in range(how_many)
    ]
    answer = http.post(app.url("/v3/contact/add"), json={"token": app.token, "contacts": contacts})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("n", range(1, 9))
def test_own_data(contactd_app, worker_id, n, http):
    assert count(http, contactd_app) == 0
    add(http, contactd_app, n)
    assert count(http, contactd_app) == n
    contactd_app.reset()
    assert count(http, contactd_app) == 0
    add(http, contactd_app, 1)
    assert count(http, contactd_app) == 1
    record = {"worker": worker_id, "appid": contactd_app.appid, "base_url": contactd_app.base_url}
    (OUT / f"{n}.json").write_text(json.dumps(record))
"""


def test_under_xdist_each_worker_has_a_server_and_each_test_an_app(tmp_path: Path) -> None:
    module = tmp_path / "test_worker_apps.py"
    module.write_text(textwrap.dedent(_WORKER_TESTS))
    out = tmp_path / "out"
    out.mkdir()
    # The run must not think it is a worker of ours.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CONTACTD_"))}
    env["CONTACTD_XDIST_OUT"] = str(out)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", "-q", module.name],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "8 passed" in run.stdout, run.stdout
    records = [json.loads(path.read_text()) for path in sorted(out.glob("*.json"))]
    assert len(records) == 8
    servers: dict[str, set[str]] = {r["worker"]: set() for r in records}
    for record in records:
        servers[record["worker"]].add(record["base_url"])
    assert sorted(servers) == ["gw0", "gw1"]
    assert all(len(urls) == 1 for urls in servers.values()), servers
    assert servers["gw0"] != servers["gw1"]
    assert len({r["appid"] for r in records}) == 8

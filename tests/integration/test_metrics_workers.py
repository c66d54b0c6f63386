"""`/metrics` and the logs under `contactd serve --workers 2` (PostgreSQL): a scrape
answered by either worker counts the requests of both, every worker logs in the same
format, and the metrics directory `serve` made is gone once it stops."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.server_process import ServerProcess, create_app, provision_user

pytestmark = [pytest.mark.blackbox, pytest.mark.postgres]

REQUESTS = 40


def _page_count(base_url: str) -> float:
    # A new connection per scrape, so that scrapes too land on either worker.
    text = httpx.get(f"{base_url}/metrics", timeout=10.0).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "contactd_requests_total" and sample.labels == {
                "operation": "/v3/contact/get",
                "status": "200",
            }:
                return sample.value
    return 0.0


def test_a_scrape_adds_up_every_worker_and_the_directory_is_removed(
    pg_database_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    env = {"CONTACTD_WORKERS": "2", "CONTACTD_LOG_FORMAT": "json"}
    server = ServerProcess(pg_database_url, log, extra_env=env)
    try:
        appid, secret = create_app(pg_database_url)
        token = provision_user(server, appid, secret)
        for _ in range(REQUESTS):  # a new connection each: the kernel spreads them
            status, body = server.post("/v3/contact/get", {"token": token})
            assert status == 200, body
        scrapes = [_page_count(server.base_url) for _ in range(6)]
    finally:
        server.stop()
    records = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    answered_by = {
        str(r["pid"]) for r in records if r.get("path") == "/v3/contact/get" and r["status"] == 200
    }
    assert len(answered_by) == 2, "the requests did not reach both workers"
    assert scrapes == [REQUESTS] * len(scrapes)
    started = {r["pid"] for r in records if r["message"].startswith("Started server process")}
    assert len(started) == 2
    directory = next(
        m.group(1)
        for r in records
        if (m := re.fullmatch(r"metrics of the 2 workers in (\S+)", r["message"]))
    )
    assert not Path(directory).exists()

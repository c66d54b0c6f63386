"""`GET /metrics`: the Prometheus text format, parsed by prometheus-client's own parser."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from contactd.domain.throttle import MAX_FAILURES
from tests.helpers import USER_PASSWORD, Api, Tenant

FAMILIES = {
    "contactd_requests": "counter",
    "contactd_request_duration_seconds": "histogram",
    "contactd_store_duration_seconds": "histogram",
    "contactd_logins": "counter",
    "contactd_login_throttle_refusals": "counter",
    "contactd_postgres_pool_connections_in_use": "gauge",
    "contactd_postgres_pool_connections": "gauge",
    "contactd_postgres_pool_requests_waiting": "gauge",
}


def scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, keyed by its name and labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict[Any, float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_the_families_are_there_with_their_types(client: TestClient) -> None:
    response = client.get("/metrics")
    families = {f.name: f.type for f in text_string_to_metric_families(response.text)}
    assert FAMILIES.items() <= families.items()


def test_requests_latency_and_store_time_move_with_requests(
    client: TestClient, api: Api, tenant: Tenant
) -> None:
    before = scrape(client)
    for _ in range(3):
        assert api.post("/v3/contact/get", {"token": tenant.token})[0] == 200
    assert api.post("/v3/contact/get", {"token": "not-a-token"})[0] == 404
    after = scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    op = "/v3/contact/get"
    assert moved("contactd_requests_total", operation=op, status="200") == 3
    assert moved("contactd_requests_total", operation=op, status="404") == 1
    assert moved("contactd_request_duration_seconds_count", operation=op) == 4
    assert moved("contactd_request_duration_seconds_bucket", operation=op, le="+Inf") == 4
    assert moved("contactd_request_duration_seconds_sum", operation=op) > 0
    assert moved("contactd_store_duration_seconds_count", method="page_contacts") == 3
    assert moved("contactd_requests_total", operation="/metrics", status="200") == 1


def test_logins_count_by_outcome_and_throttle_refusals(
    client: TestClient, api: Api, tenant: Tenant
) -> None:
    before = scrape(client)
    api.login(tenant.user_id)
    assert api.post("/v2/user/login", {"id": "999_1", "password": "x"})[0] == 404
    for _ in range(MAX_FAILURES):
        body = {"id": tenant.user_id, "password": USER_PASSWORD + "-wrong"}
        assert api.post("/v2/user/login", body)[0] == 404
    assert api.post("/v1/agentLogin", {"id": tenant.user_id, "password": "x"})[0] == 429
    after = scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("contactd_logins_total", outcome="ok") == 1
    assert moved("contactd_logins_total", outcome="unknown") == 1
    assert moved("contactd_logins_total", outcome="bad_password") == MAX_FAILURES
    assert moved("contactd_logins_total", outcome="throttled") == 1
    assert moved("contactd_login_throttle_refusals_total") == 1


def test_the_pool_gauges_show_the_postgresql_pool(client: TestClient, database_url: str) -> None:
    samples = scrape(client)
    size = value(samples, "contactd_postgres_pool_connections")
    if database_url.startswith("sqlite"):
        assert size == 0
    else:
        assert size >= 1  # the pool keeps pool_min_size connections open
    assert value(samples, "contactd_postgres_pool_requests_waiting") == 0

"""Stand-in mode's fault rules (`POST /_contactd/faults`): injected error answers that
leave the store as it was, delays, expired tokens; when a rule fires (always, every
n-th, by a seeded chance, at most `times`); the same seed giving the same injections;
every injection marked in the journal; one app's rules never touching another's.
Both backends. The dropped connection is tested against a real server
(tests/integration/test_stand_in_drop.py)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from contactd.config import Settings
from tests.contract.agent_api import v1_get, v1_update
from tests.contract.wire import APP_AUTH_FAILED, AUTH_V3, assert_error
from tests.helpers import FAST_HASH, Api, Tenant, contact


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, stand_in=True, **FAST_HASH)


def set_faults(api: Api, tenant: Tenant, rules: list[dict[str, Any]], **more: Any) -> Any:
    status, body = api.post(
        "/_contactd/faults",
        {"appid": tenant.appid, "secret": tenant.secret, "rules": rules, **more},
    )
    assert status == 200, body
    return body


def journal(api: Api, tenant: Tenant, **query: Any) -> list[dict[str, Any]]:
    status, body = api.post(
        "/_contactd/requests", {"appid": tenant.appid, "secret": tenant.secret, **query}
    )
    assert status == 200, body
    return list(body["requests"])


def read(api: Api, tenant: Tenant) -> tuple[int, Any]:
    return api.post("/v3/contact/get", {"token": tenant.token})  # type: ignore[no-any-return]


def statuses(api: Api, tenant: Tenant, n: int) -> list[int]:
    return [read(api, tenant)[0] for _ in range(n)]


def test_an_injected_503_answers_at_once_and_leaves_the_store_as_it_was(
    api: Api, tenant: Tenant
) -> None:
    set_faults(api, tenant, [{"path": "/v3/contact/add", "status": 503}])
    response = api.client.post(
        "/v3/contact/add", json={"token": tenant.token, "contacts": [contact(1)]}
    )
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == 503 and body["status"] == "error"
    assert body["msg"].startswith("injected fault: 503 service unavailable")
    assert response.headers["retry-after"] == "1"
    assert response.headers["x-contactd-outcome"] == "not-applied"
    assert response.headers["x-request-id"]
    set_faults(api, tenant, [])
    status, page = read(api, tenant)
    assert status == 200 and page["contacts"] == [], page
    [entry] = journal(api, tenant, path="/v3/contact/add")
    assert entry["status"] == 503 and entry["response"] == body
    assert entry["fault"] == {"rule": 0, "action": "status", "status": 503}


@pytest.mark.parametrize(
    ("rule", "retry_after"),
    [
        ({"status": 429, "retry_after": 7}, "7"),
        ({"status": 429}, "1"),
        ({"status": 500}, None),
        ({"status": 503, "retry_after": 0}, "0"),
    ],
)
def test_each_status_comes_in_the_error_shape_with_its_retry_header(
    api: Api, tenant: Tenant, rule: dict[str, Any], retry_after: str | None
) -> None:
    set_faults(api, tenant, [{"path": "/v1/*", **rule}])
    response = api.client.post("/v1/getContact", json={"token": tenant.token})
    assert response.status_code == rule["status"]
    assert response.json()["code"] == rule["status"]
    assert response.headers.get("retry-after") == retry_after
    assert read(api, tenant)[0] == 200  # the glob matches v1 only


def test_an_injected_v1_write_does_not_write(api: Api, tenant: Tenant) -> None:
    set_faults(api, tenant, [{"path": "/v1/updateContact", "times": 1, "status": 500}])
    write = {"token": tenant.token, "name": "Ravi Kumar", "from": "919812345678"}
    status, body = api.post("/v1/updateContact", write)
    assert status == 500, body
    assert v1_get(api, tenant.token)["count"] == 0
    v1_update(api, tenant.token, "Ravi Kumar", "919812345678")  # the rule is spent
    assert v1_get(api, tenant.token)["count"] == 1


def test_every_nth_fires_on_each_nth_match(api: Api, tenant: Tenant) -> None:
    set_faults(api, tenant, [{"path": "/v3/contact/get", "every_nth": 3, "status": 500}])
    assert statuses(api, tenant, 7) == [200, 200, 500, 200, 200, 500, 200]
    api.post("/v1/getContact", {"token": tenant.token})  # no match: not counted
    assert statuses(api, tenant, 2) == [200, 500]


def test_times_bounds_the_firings_then_the_rule_is_spent(api: Api, tenant: Tenant) -> None:
    set_faults(api, tenant, [{"path": "/v3/*", "times": 2, "status": 429}])
    assert statuses(api, tenant, 4) == [429, 429, 200, 200]
    # Setting the rules again starts their counts again.
    set_faults(api, tenant, [{"path": "/v3/*", "times": 1, "every_nth": 2, "status": 429}])
    assert statuses(api, tenant, 5) == [200, 429, 200, 200, 200]


def test_the_first_rule_that_fires_wins(api: Api, tenant: Tenant) -> None:
    set_faults(
        api,
        tenant,
        [
            {"path": "/v3/contact/get", "times": 1, "status": 500},
            {"path": "/v3/contact/*", "every_nth": 2, "status": 503},
        ],
    )
    # The second rule is not tried while the first fires: its count starts after.
    assert statuses(api, tenant, 4) == [500, 200, 503, 200]
    faults = [e["fault"] for e in journal(api, tenant, path="/v3/contact/get")]
    assert faults == [
        {"rule": 0, "action": "status", "status": 500},
        None,
        {"rule": 1, "action": "status", "status": 503},
        None,
    ]


def _injected_at(api: Api, tenant: Tenant, **seed: Any) -> list[int]:
    set_faults(api, tenant, [{"path": "/v3/*", "probability": 0.3, "status": 503}], **seed)
    return [n for n, status in enumerate(statuses(api, tenant, 50)) if status == 503]


def test_the_same_seed_gives_the_same_injections(api: Api, tenant: Tenant) -> None:
    first = _injected_at(api, tenant, seed=7)
    second = _injected_at(api, tenant, seed=7)
    other = _injected_at(api, tenant, seed=8)
    assert first == second
    assert 0 < len(first) < 50 and other != first
    # Without a seed, a fixed one: runs repeat too.
    assert _injected_at(api, tenant) == _injected_at(api, tenant)


def test_a_delay_serves_the_request_late(api: Api, tenant: Tenant) -> None:
    set_faults(api, tenant, [{"path": "/v3/contact/add", "times": 1, "delay_ms": 300}])
    started = time.monotonic()
    api.add_contacts(tenant.token, [contact(1)])
    assert time.monotonic() - started >= 0.3
    assert len(read(api, tenant)[1]["contacts"]) == 1
    [entry] = journal(api, tenant, path="/v3/contact/add")
    assert entry["status"] == 200 and entry["duration_ms"] >= 300
    assert entry["fault"] == {"rule": 0, "action": "delay_ms", "delay_ms": 300}


def test_an_expired_token_is_refused_by_its_generation_and_stays_dead(
    api: Api, tenant: Tenant
) -> None:
    set_faults(api, tenant, [{"path": "*", "times": 2, "expire_token": True}])
    # An admin call carries no token: the rule does not match it.
    status, body = api.post("/v3/user/list", {"appid": tenant.appid, "secret": tenant.secret})
    assert status == 200, body
    assert_error(*read(api, tenant), 404, AUTH_V3)
    v1_token = api.login(tenant.user_id)
    status, body = api.post("/v1/getContact", {"token": v1_token, "page": 1})
    assert_error(status, body, 400, AUTH_V3)
    set_faults(api, tenant, [])
    assert_error(*read(api, tenant), 404, AUTH_V3)  # still dead
    assert api.post("/v1/getContact", {"token": v1_token, "page": 1})[0] == 400
    fresh = api.login(tenant.user_id)
    assert api.post("/v3/contact/get", {"token": fresh})[0] == 200
    marks = [e["fault"] for e in journal(api, tenant) if e["fault"] is not None]
    assert marks == [{"rule": 0, "action": "expire_token"}] * 2


def test_an_expired_token_stays_dead_when_the_clock_goes_back(api: Api, tenant: Tenant) -> None:
    admin = {"appid": tenant.appid, "secret": tenant.secret}
    api.post("/_contactd/clock", {**admin, "advance_ms": 24 * 60 * 60 * 1000})
    token = api.login(tenant.user_id)
    set_faults(api, tenant, [{"path": "/v3/contact/get", "times": 1, "expire_token": True}])
    assert api.post("/v3/contact/get", {"token": token})[0] == 404
    api.post("/_contactd/clock", {**admin, "reset": True})
    assert api.post("/v3/contact/get", {"token": token})[0] == 404


def test_an_empty_list_clears_the_rules(api: Api, tenant: Tenant) -> None:
    set_faults(api, tenant, [{"path": "/v3/*", "status": 500}])
    assert statuses(api, tenant, 1) == [500]
    answer = set_faults(api, tenant, [])
    assert answer["rules"] == []
    assert statuses(api, tenant, 3) == [200, 200, 200]


def test_the_answer_gives_the_rules_and_seed_back(api: Api, tenant: Tenant) -> None:
    rules = [
        {"path": "/v3/*", "probability": 0.5, "status": 503, "retry_after": 3},
        {"path": "/v1/*", "every_nth": 2, "times": 4, "drop_connection": True},
    ]
    answer = set_faults(api, tenant, rules, seed=42)
    assert answer["rules"] == rules and answer["seed"] == 42
    assert set_faults(api, tenant, rules)["seed"] == 0


def test_one_apps_rules_never_touch_another_app(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    set_faults(api, tenant, [{"path": "*", "status": 503}])
    assert read(api, tenant)[0] == 503
    assert read(api, other_tenant)[0] == 200
    assert all(e["fault"] is None for e in journal(api, other_tenant))


@pytest.mark.parametrize(
    ("rules", "named"),
    [
        ([{"path": "/v3/*", "status": 404}], "rules[0].status must be one of 429, 500, 503"),
        (
            [{"path": "/v3/*", "status": 500}, {"path": "/v1/*", "status": 418}],
            "rules[1].status must be one of 429, 500, 503",
        ),
        ([{"path": "/v3/*"}], "rules[0] takes exactly one action of status, delay_ms,"),
        (
            [{"path": "/v3/*", "status": 500, "delay_ms": 10}],
            "rules[0] takes exactly one action of status, delay_ms, drop_connection: true or"
            " expire_token: true; got status, delay_ms",
        ),
        ([{"path": "/v3/*", "drop_connection": False}], "rules[0] takes exactly one action"),
        (
            [{"path": "/v3/*", "probability": 0.5, "every_nth": 2, "status": 500}],
            "rules[0] takes at most one of probability or every_nth",
        ),
        (
            [{"path": "/v3/*", "probability": 0, "status": 500}],
            "rules[0].probability must be > 0 and <= 1",
        ),
        (
            [{"path": "/v3/*", "probability": 1.5, "status": 500}],
            "rules[0].probability must be > 0 and <= 1",
        ),
        (
            [{"path": "/v3/*", "every_nth": 0, "status": 500}],
            "rules[0].every_nth must be between 1 and 1000000000",
        ),
        (
            [{"path": "/v3/*", "times": 0, "status": 500}],
            "rules[0].times must be between 1 and 1000000000",
        ),
        ([{"path": "/v3/*", "delay_ms": 0}], "rules[0].delay_ms must be between 1 and 60000"),
        (
            [{"path": "/v3/*", "delay_ms": 60_001}],
            "rules[0].delay_ms must be between 1 and 60000",
        ),
        (
            [{"path": "/v3/*", "status": 500, "retry_after": 5}],
            "rules[0].retry_after applies only to status 429 or 503",
        ),
        ([{"status": 500}], "rules[0].path is required"),
        ([{"path": "v3/*", "status": 500}], "rules[0].path must be a glob of paths starting"),
        ([{"path": "/v3/*", "status": "503"}], "rules[0].status must be"),
        ([{"path": "/v3/*", "status": 500}] * 101, "rules must hold at most 100 items"),
    ],
)
def test_a_bad_rule_is_400_naming_it_and_replaces_nothing(
    api: Api, tenant: Tenant, rules: list[dict[str, Any]], named: str
) -> None:
    set_faults(api, tenant, [{"path": "/v3/contact/get", "status": 500}])
    status, body = api.post(
        "/_contactd/faults", {"appid": tenant.appid, "secret": tenant.secret, "rules": rules}
    )
    assert status == 400 and named in body["msg"], body
    assert read(api, tenant)[0] == 500  # the rules in force are still the old ones


def test_rules_are_required(api: Api, tenant: Tenant) -> None:
    status, body = api.post("/_contactd/faults", {"appid": tenant.appid, "secret": tenant.secret})
    assert status == 400 and body["msg"] == "rules is required", body


def test_wrong_app_credentials_are_401_and_set_nothing(api: Api, tenant: Tenant) -> None:
    status, body = api.post(
        "/_contactd/faults",
        {"appid": tenant.appid, "secret": "not-it", "rules": [{"path": "*", "status": 500}]},
    )
    assert_error(status, body, 401, APP_AUTH_FAILED)
    assert read(api, tenant)[0] == 200


def test_the_control_api_is_never_faulted(api: Api, tenant: Tenant) -> None:
    set_faults(api, tenant, [{"path": "*", "status": 503}])
    assert len(journal(api, tenant)) >= 2
    assert set_faults(api, tenant, [])["rules"] == []


@pytest.mark.parametrize("path", ["/_contactd/faults", "/_contactd/requests"])
def test_the_calls_are_documented_with_examples_that_work(
    api: Api, tenant: Tenant, path: str
) -> None:
    post = api.client.get("/openapi.json").json()["paths"][path]["post"]
    assert post["tags"] == ["stand-in"]
    example = post["requestBody"]["content"]["application/json"]["example"]
    status, body = api.post(path, {**example, "appid": tenant.appid, "secret": tenant.secret})
    assert status == 200, body

"""`POST /_contactd/reset` (the store's `reset_app`): every row of the app goes but its
`apps` row, in one transaction, with what the store derives from them and remembers of
them, and its fault rules and journal with them; its secret and clock stay. Another
app's answers, faults and journal do not change. Both backends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from contactd.config import Settings
from contactd.domain.throttle import MAX_FAILURES
from contactd.store.timed import timed_store
from contactd.testing import app_services
from tests.contract.stand_in_book import KEY, KEYED_PHONE, answers, counts, fill
from tests.contract.wire import APP_AUTH_FAILED, AUTH_V3, assert_error
from tests.helpers import (
    FAST_HASH,
    USER_PASSWORD,
    Api,
    Tenant,
    contact,
    name_index_differences_at,
)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, stand_in=True, **FAST_HASH)


def reset(api: Api, tenant: Tenant) -> None:
    status, body = api.post("/_contactd/reset", {"appid": tenant.appid, "secret": tenant.secret})
    assert (status, body) == (200, {"code": 200, "status": "success"}), body


def throttle(api: Api, user_id: str) -> None:
    """Fail the id's logins until its throttle refuses even the right password."""
    for _ in range(MAX_FAILURES):
        api.post("/v2/user/login", {"id": user_id, "password": "wrong-one"})
    status, body = api.post("/v2/user/login", {"id": user_id, "password": USER_PASSWORD})
    assert status == 429, body


def test_a_reset_empties_one_app_and_leaves_the_other_as_it_was(
    api: Api, tenant: Tenant, other_tenant: Tenant, database_url: str
) -> None:
    fill(api, tenant)
    fill(api, other_tenant)
    full = counts(api, tenant.token)
    assert answers(api, tenant, tenant.token) != answers(api, other_tenant, other_tenant.token)
    before = answers(api, other_tenant, other_tenant.token)
    # Listings of the reset app remembered by the store before it (store/listing_memo.py).
    assert full == counts(api, tenant.token)
    throttle(api, tenant.user_id)
    throttle(api, other_tenant.user_id)

    reset(api, tenant)

    assert answers(api, other_tenant, other_tenant.token) == before
    # The other app's throttle still holds its failures.
    status, _ = api.post("/v2/user/login", {"id": other_tenant.user_id, "password": USER_PASSWORD})
    assert status == 429
    # The reset app's tokens are gone with its principals; its secret still works.
    status, body = api.post("/v3/contact/get", {"token": tenant.token})
    assert_error(status, body, 404, AUTH_V3)
    status, body = api.post("/v3/user/list", {"appid": tenant.appid, "secret": tenant.secret})
    assert (status, body["count"]) == (200, 0), body
    assert name_index_differences_at(database_url) == []

    # The same extension, phones and idempotency key again: nothing of the old rows is in
    # the way, and the new book counts as the first did.
    user_id = api.add_user(tenant.appid, tenant.secret, extension=1001)
    assert user_id == tenant.user_id
    token = api.login(user_id)  # the throttle's failures went with the reset
    assert set(counts(api, token).values()) == {0}
    status, body = api.post("/v2/user/tags/get", {"token": token})
    assert body["tags"] == []
    again = Tenant(tenant.appid, tenant.secret, user_id, token)
    fill(api, again)
    assert counts(api, token) == full
    assert answers(api, other_tenant, other_tenant.token) == before
    assert name_index_differences_at(database_url) == []


def test_a_reset_takes_the_apps_idempotency_keys(api: Api, tenant: Tenant) -> None:
    body = {
        "token": tenant.token,
        "contacts": [{"phone_no": KEYED_PHONE, "first_name": "Kay", "last_name": "Lee"}],
    }
    first = api.client.post("/v3/contact/add", json=body, headers={KEY: "k-1"})
    assert first.status_code == 200, first.text
    reset(api, tenant)
    token = api.login(api.add_user(tenant.appid, tenant.secret, extension=1001))
    again = api.client.post("/v3/contact/add", json={**body, "token": token}, headers={KEY: "k-1"})
    assert again.status_code == 200, again.text
    assert "idempotent-replayed" not in again.headers
    assert again.json()["contact_ids"] != first.json()["contact_ids"]


def test_the_timing_wrapper_passes_a_reset_through(client: TestClient, tenant: Tenant) -> None:
    services = app_services(client.app)
    timed_calls: list[str] = []

    def observer(method: str) -> Callable[[float], None]:
        return lambda elapsed: timed_calls.append(method)

    timed = timed_store(services.store, observer)
    assert client.portal is not None
    client.portal.call(timed.reset_app, tenant.appid)
    assert timed_calls == ["reset_app"]
    status, body = Api(client).post(
        "/v3/user/list", {"appid": tenant.appid, "secret": tenant.secret}
    )
    assert (status, body["count"]) == (200, 0)


def control(api: Api, tenant: Tenant, call: str, **body: object) -> dict[str, Any]:
    status, answer = api.post(
        f"/_contactd/{call}", {"appid": tenant.appid, "secret": tenant.secret, **body}
    )
    assert status == 200, answer
    return dict(answer)


def test_a_reset_takes_the_apps_faults_and_journal_and_keeps_its_clock(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    rule = {"path": "/v3/contact/add", "status": 503}
    for each in (tenant, other_tenant):
        control(api, each, "faults", rules=[rule])
        control(api, each, "clock", advance_ms=60_000)
        assert api.post("/v3/contact/get", {"token": each.token})[0] == 200
    reset(api, tenant)
    assert control(api, tenant, "requests")["requests"] == []
    assert len(control(api, other_tenant, "requests", path="/v3/contact/get")["requests"]) == 1
    assert control(api, tenant, "clock", advance_ms=0)["offset_ms"] == 60_000
    token = api.login(api.add_user(tenant.appid, tenant.secret))
    assert api.add_contacts(token, [contact(1)])  # no fault rule left to refuse it
    status, body = api.post(
        "/v3/contact/add", {"token": other_tenant.token, "contacts": [contact(2)]}
    )
    assert status == 503, body


def test_a_reset_with_a_wrong_secret_is_401_and_resets_nothing(api: Api, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(1)])
    status, body = api.post("/_contactd/reset", {"appid": tenant.appid, "secret": "not-it"})
    assert_error(status, body, 401, APP_AUTH_FAILED)
    assert api.post("/v3/contact/get", {"token": tenant.token})[1]["count"] == 1

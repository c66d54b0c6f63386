"""Stand-in mode's clock (`POST /_contactd/clock`) and its switch: each app's "now" moves
alone, and moves what the contract times by it — token expiry, a new contact's `time`,
the due list's default window, the login throttle's window. Without stand-in mode the
control API is not there. Both backends."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings
from contactd.domain.clock import now_ms
from contactd.domain.throttle import MAX_FAILURES, WINDOW_MS
from contactd.domain.tokens import TOKEN_TTL_MS
from tests.contract.agent_api import v1_update
from tests.contract.wire import APP_AUTH_FAILED, AUTH_V3, assert_error
from tests.helpers import FAST_HASH, Api, Tenant, contact

DAY_MS = 24 * 60 * 60 * 1000


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, stand_in=True, **FAST_HASH)


def clock(api: Api, tenant: Tenant, **change: Any) -> tuple[int, Any]:
    return api.post(  # type: ignore[no-any-return]
        "/_contactd/clock", {"appid": tenant.appid, "secret": tenant.secret, **change}
    )


def contacts_of(api: Api, token: str) -> tuple[int, Any]:
    return api.post("/v3/contact/get", {"token": token})  # type: ignore[no-any-return]


def book(api: Api, token: str) -> list[dict[str, Any]]:
    """Every contact, with every field of both generations (`time` among them)."""
    status, body = api.post("/x/contacts/search", {"token": token})
    assert status == 200, body
    return list(body["contacts"])


def test_advancing_one_apps_clock_expires_its_tokens_only(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    status, body = clock(api, tenant, advance_ms=TOKEN_TTL_MS - 60_000)
    assert status == 200, body
    assert contacts_of(api, tenant.token)[0] == 200  # a minute of the 30 days is left
    status, body = clock(api, tenant, advance_ms=31 * DAY_MS - TOKEN_TTL_MS + 60_000)
    assert status == 200 and body["offset_ms"] == 31 * DAY_MS, body
    assert_error(*contacts_of(api, tenant.token), 404, AUTH_V3)
    assert contacts_of(api, other_tenant.token)[0] == 200
    # A login after the move is valid from the app's new now.
    assert contacts_of(api, api.login(tenant.user_id))[0] == 200


def test_a_new_contact_is_timed_by_its_apps_clock(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    at = 1_900_000_000_000
    status, body = clock(api, tenant, set_ms=at)
    assert status == 200 and at <= body["now_ms"] < at + 60_000, body
    # Years ahead, the app's tokens have expired: a login on its new now.
    assert_error(*contacts_of(api, tenant.token), 404, AUTH_V3)
    token = api.login(tenant.user_id)
    api.add_contacts(token, [contact(1)])
    api.add_contacts(other_tenant.token, [contact(2)])
    [moved] = book(api, token)
    [unmoved] = book(api, other_tenant.token)
    assert at <= moved["time"] < at + 60_000
    assert abs(unmoved["time"] - now_ms()) < 60_000


def test_the_due_list_default_window_follows_the_apps_clock(api: Api, tenant: Tenant) -> None:
    soon = now_ms() + 3 * DAY_MS
    v1_update(api, tenant.token, "Ravi Kumar", "919812345678", remindme=soon)

    def due_count() -> int:
        status, body = api.post("/x/contacts/due", {"token": tenant.token})
        assert status == 200, body
        return int(body["count"])

    assert due_count() == 0  # three days off: not within the next 24 hours
    clock(api, tenant, advance_ms=2 * DAY_MS + 60_000)
    assert due_count() == 1


def test_the_login_throttle_window_follows_the_apps_clock(api: Api, tenant: Tenant) -> None:
    for _ in range(MAX_FAILURES):
        status, _body = api.post("/v2/user/login", {"id": tenant.user_id, "password": "wrong!"})
        assert status == 404
    assert api.post("/v2/user/login", {"id": tenant.user_id, "password": "x"})[0] == 429
    clock(api, tenant, advance_ms=WINDOW_MS)
    assert api.login(tenant.user_id)


def test_reset_puts_the_app_back_on_the_servers_time(api: Api, tenant: Tenant) -> None:
    clock(api, tenant, advance_ms=DAY_MS)
    status, body = clock(api, tenant, reset=True)
    assert status == 200 and body["offset_ms"] == 0, body
    assert abs(body["now_ms"] - now_ms()) < 60_000


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({}, "clock takes exactly one of advance_ms, set_ms or reset: true"),
        ({"advance_ms": 1, "set_ms": 2}, "; got advance_ms, set_ms"),
        ({"advance_ms": -1}, "advance_ms"),
        ({"set_ms": "soon"}, "set_ms"),
    ],
)
def test_a_bad_clock_change_is_400_naming_the_field(
    api: Api, tenant: Tenant, change: dict[str, Any], named: str
) -> None:
    status, body = clock(api, tenant, **change)
    assert status == 400 and named in body["msg"], body
    assert clock(api, tenant, reset=True)[1]["offset_ms"] == 0


def test_wrong_app_credentials_are_401(api: Api, tenant: Tenant) -> None:
    status, body = api.post(
        "/_contactd/clock", {"appid": tenant.appid, "secret": "not-it", "advance_ms": 1}
    )
    assert_error(status, body, 401, APP_AUTH_FAILED)


def test_the_control_api_is_in_the_openapi_document_under_its_tag(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/_contactd/clock"]["post"]["tags"] == ["stand-in"]


def test_a_short_password_is_taken_as_the_vendor_takes_it(api: Api, tenant: Tenant) -> None:
    status, body = api.post(
        "/v3/user/add",
        {
            "appid": tenant.appid, "secret": tenant.secret, "extension": 1201,
            "first_name": "Short", "last_name": "Password",
            "phone_number": "919800000001", "password": "abc",
        },
    )  # fmt: skip
    assert status == 200, body


def test_without_stand_in_mode_there_is_no_control_api(database_url: str) -> None:
    with TestClient(create_app(Settings(database_url=database_url, **FAST_HASH))) as plain:
        response = plain.post("/_contactd/clock", json={"appid": 1, "secret": "s", "reset": True})
        assert response.status_code == 404
        assert not [p for p in plain.get("/openapi.json").json()["paths"] if "_contactd" in p]


def test_an_explicit_password_minimum_holds_in_stand_in_mode() -> None:
    assert Settings(stand_in=True).password_minimum() == 1
    assert Settings(stand_in=True, min_password_length=8).password_minimum() == 8
    assert Settings().password_minimum() == 8


@pytest.mark.parametrize(
    "flags", [{"seed": "s.json"}, {"snapshot": "s.json"}, {"save_on_exit": True}]
)
def test_stand_in_flags_without_stand_in_mode_are_refused(flags: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="only in stand-in mode"):
        Settings(**flags)

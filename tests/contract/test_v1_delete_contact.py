"""`/v1/deleteContact` (docs/api.md, "v1 contacts"): remove the app's contact with a phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.agent_api import AUTH_FAILED, REMOVED, v1_get, v1_update, v3_count
from tests.contract.wire import assert_error
from tests.helpers import Api, Tenant, contact

DELETE = "/v1/deleteContact"


@pytest.mark.parametrize("mobile", [9100000000, "9100000000", "919100000000", 919100000000])
def test_the_contact_with_the_phone_is_removed(api: Api, tenant: Tenant, mobile: Any) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000)
    v1_update(api, tenant.token, "Harvey", 9100000001)
    status, body = api.post(DELETE, {"token": tenant.token, "mobile": mobile})
    assert (status, body) == (200, REMOVED)
    assert [c["name"] for c in v1_get(api, tenant.token)["contacts"]] == ["Harvey"]
    assert v3_count(api, tenant.token) == 1


def test_a_v3_contact_is_removed_by_its_phone(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])  # phone_no "919000000001"
    status, body = api.post(DELETE, {"token": tenant.token, "mobile": 9000000001})
    assert (status, body) == (200, REMOVED)
    status, body = api.post("/v3/contact/get", {"token": tenant.token, "contact_id": contact_id})
    assert (status, body["contacts"], body["count"]) == (200, [], 0)


def test_an_unknown_number_is_400_contact_not_found(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000)
    status, body = api.post(DELETE, {"token": tenant.token, "mobile": 9100000001})
    assert_error(status, body, 400, "contact not found")
    assert v1_get(api, tenant.token)["count"] == 1


def test_a_second_delete_is_400(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000)
    assert api.post(DELETE, {"token": tenant.token, "mobile": 9100000000}) == (200, REMOVED)
    status, body = api.post(DELETE, {"token": tenant.token, "mobile": 9100000000})
    assert_error(status, body, 400, "contact not found")


def test_another_apps_contact_cannot_be_removed(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    v1_update(api, other_tenant.token, "Theirs", 9100000000)
    status, body = api.post(DELETE, {"token": tenant.token, "mobile": 9100000000})
    assert_error(status, body, 400, "contact not found")
    assert v1_get(api, other_tenant.token)["count"] == 1


def test_a_removed_phone_can_be_saved_again(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000, info="old")
    api.post(DELETE, {"token": tenant.token, "mobile": 9100000000})
    v1_update(api, tenant.token, "Mike Again", 9100000000)
    [found] = v1_get(api, tenant.token)["contacts"]
    assert (found["name"], found["info"], found["notes"]) == ("Mike Again", "", [])


@pytest.mark.parametrize(
    ("mobile", "msg"),
    [
        ("91000abc00", "mobile must contain digits only"),
        (12, "mobile is not a possible phone number (wrong length)"),
        (None, "mobile must be an integer or a string"),
        (9.5, "mobile must be an integer or a string"),
        (-1, "mobile must be >= 0"),
    ],
)
def test_an_invalid_mobile_is_400_and_removes_nothing(
    api: Api, tenant: Tenant, mobile: Any, msg: str
) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000)
    status, body = api.post(DELETE, {"token": tenant.token, "mobile": mobile})
    assert_error(status, body, 400, msg)
    assert v1_get(api, tenant.token)["count"] == 1


def test_mobile_is_required(api: Api, tenant: Tenant) -> None:
    status, body = api.post(DELETE, {"token": tenant.token})
    assert_error(status, body, 400, "mobile is required")


@pytest.mark.parametrize("token", [None, "", "garbage"])
def test_an_invalid_token_is_400_and_removes_nothing(
    api: Api, tenant: Tenant, token: str | None
) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000)
    body: dict[str, Any] = {"mobile": 9100000000}
    if token is not None:
        body["token"] = token
    status, error = api.post(DELETE, body)
    assert_error(status, error, 400, AUTH_FAILED)
    assert v1_get(api, tenant.token)["count"] == 1

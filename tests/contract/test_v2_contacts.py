"""`/v2/user/contact/get`, `/v2/user/contact/update` and `/v2/user/contact/delete`
(docs/api.md, "v2 contacts"): v1's contacts with v2's names, bounds and statuses."""

from __future__ import annotations

import pytest

from tests.contract.agent_api import AUTH_FAILED, REMOVED, V1_CONTACT_KEYS, v3_count
from tests.contract.v2_api import V2_DELETE, V2_GET, V2_UPDATE, v2_get, v2_one, v2_update
from tests.contract.wire import Post, assert_error
from tests.helpers import Api, Tenant, contact

# -- get ----------------------------------------------------------------------------------


def test_a_contact_shows_the_v1_fields_with_email_info_and_notes(api: Api, tenant: Tenant) -> None:
    v2_update(
        api,
        tenant.token,
        "John Doe",
        19170000001,
        remindme=1630056656976,
        email="john.doe@example.com",
        status="Hot Lead",
        tag="Sales",
        info="Sales",
    )
    [found] = v2_get(api, tenant.token)["contacts"]
    assert set(found) == V1_CONTACT_KEYS
    assert found == {
        "agent": tenant.user_id,
        "inet_no": tenant.appid,
        "name": "John Doe",
        "mobile": 19170000001,
        "tag": "Sales",
        "time": found["time"],
        "remindme": 1630056656976,
        "status": "Hot Lead",
        "email": "john.doe@example.com",
        "info": "Sales",
        "notes": [{"msg": "Sales", "date": found["time"], "agent": tenant.user_id}],
    }


def test_page_defaults_to_1_and_limit_to_10(api: Api, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(n) for n in range(12)])
    body = v2_get(api, tenant.token)
    assert body["count"] == 12
    assert [c["name"] for c in body["contacts"]] == [f"First{n} Last{n}" for n in range(10)]
    second = v2_get(api, tenant.token, page=2, limit=None)["contacts"]
    assert [c["name"] for c in second] == ["First10 Last10", "First11 Last11"]
    assert v2_get(api, tenant.token, page=3)["contacts"] == []


def test_the_name_filter_is_v1s(api: Api, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(1, first_name="Zoë"), contact(2), contact(3)])
    body = v2_get(api, tenant.token, name="ZOË", limit=1)
    assert body["count"] == 1
    assert [c["name"] for c in body["contacts"]] == ["Zoë Last1"]
    assert body["contacts"][0]["notes"] == []


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"limit": 11}, "limit must be between 1 and 10"),
        ({"limit": 0}, "limit must be between 1 and 10"),
        ({"page": 0}, "page must be between 1 and 1000000000"),
        ({"page": "one"}, "page must be an integer"),
    ],
)
def test_a_bad_page_or_limit_is_a_400(post: Post, tenant: Tenant, fields: dict, msg: str) -> None:
    status, body = post(V2_GET, {"token": tenant.token, **fields})
    assert_error(status, body, 400, msg)


def test_a_bad_or_missing_token_is_a_404(post: Post) -> None:
    for sent in ({"token": "garbage"}, {}):
        status, body = post(V2_GET, sent)
        assert_error(status, body, 404, AUTH_FAILED)
    status, body = post(V2_GET, {"token": 12345})
    assert_error(status, body, 400, "token must be a string")


# -- update -------------------------------------------------------------------------------


def test_update_creates_then_changes_only_what_it_sends(api: Api, tenant: Tenant) -> None:
    v2_update(api, tenant.token, "Mike Ross", "919100000000", tag="callback", status="open")
    assert v3_count(api, tenant.token) == 1
    # The same contact by its national number: the app's country code makes it one.
    v2_update(api, tenant.token, "Mike J Ross", 9100000000, email="mike@example.com")
    assert v3_count(api, tenant.token) == 1
    found = v2_one(api, tenant.token, 919100000000)
    assert {k: found[k] for k in ("name", "tag", "status", "email", "info")} == {
        "name": "Mike J Ross",
        "tag": "callback",
        "status": "open",
        "email": "mike@example.com",
        "info": "",
    }


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"phone_number": 1.5}, "phone_number must be an integer or a string"),
        ({"phone_number": "91-abc"}, "phone_number must contain digits only"),
        ({"name": "   "}, "name must not be empty"),
        (
            {"email": "not-an-email"},
            "email is not a valid email address: An email address must have an @-sign.",
        ),
        ({"remindme": -1}, "remindme must be between 0 and 253402300799999"),
    ],
)
def test_a_bad_update_is_a_400_and_changes_nothing(
    api: Api, post: Post, tenant: Tenant, fields: dict, msg: str
) -> None:
    v2_update(api, tenant.token, "Mike Ross", 919100000000, tag="callback")
    before = v2_get(api, tenant.token)
    sent = {"token": tenant.token, "name": "Harvey", "phone_number": 919100000000, **fields}
    status, body = post(V2_UPDATE, sent)
    assert_error(status, body, 400, msg)
    assert v2_get(api, tenant.token) == before


def test_update_names_a_missing_field(post: Post, tenant: Tenant) -> None:
    status, body = post(V2_UPDATE, {"token": tenant.token, "name": "Mike"})
    assert_error(status, body, 400, "phone_number is required")
    status, body = post(V2_UPDATE, {"token": tenant.token, "phone_number": 919100000000})
    assert_error(status, body, 400, "name is required")
    status, body = post(V2_UPDATE, {"token": "x", "name": "Mike", "phone_number": 919100000000})
    assert_error(status, body, 404, AUTH_FAILED)


# -- delete -------------------------------------------------------------------------------


def test_delete_removes_the_contact_with_the_phone(api: Api, post: Post, tenant: Tenant) -> None:
    v2_update(api, tenant.token, "Mike Ross", 919100000000)
    v2_update(api, tenant.token, "Rachel Zane", 919100000001)
    status, body = post(V2_DELETE, {"token": tenant.token, "phone_number": 9100000000})
    assert (status, body) == (200, REMOVED)
    assert [c["name"] for c in v2_get(api, tenant.token)["contacts"]] == ["Rachel Zane"]


def test_deleting_a_phone_the_app_does_not_hold_is_a_404(
    api: Api, post: Post, tenant: Tenant
) -> None:
    v2_update(api, tenant.token, "Mike Ross", 919100000000)
    status, body = post(V2_DELETE, {"token": tenant.token, "phone_number": 919100000009})
    assert_error(status, body, 404, "contact not found")
    status, body = post(V2_DELETE, {"token": tenant.token, "phone_number": "12ab"})
    assert_error(status, body, 400, "phone_number must contain digits only")
    status, body = post(V2_DELETE, {"token": tenant.token})
    assert_error(status, body, 400, "phone_number is required")
    status, body = post(V2_DELETE, {"token": "x", "phone_number": 919100000000})
    assert_error(status, body, 404, AUTH_FAILED)
    assert v2_get(api, tenant.token)["count"] == 1


def test_another_apps_contacts_are_out_of_reach(
    api: Api, post: Post, tenant: Tenant, other_tenant: Tenant
) -> None:
    v2_update(api, tenant.token, "Mike Ross", 919100000000)
    status, body = post(V2_DELETE, {"token": other_tenant.token, "phone_number": 919100000000})
    assert_error(status, body, 404, "contact not found")
    assert v2_get(api, other_tenant.token)["count"] == 0
    assert v2_get(api, tenant.token)["count"] == 1

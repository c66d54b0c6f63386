"""Tenancy (docs/api.md, "Apps and tenancy"): nothing of one app is visible to, or
changeable by, another."""

from __future__ import annotations

from tests.contract.wire import INVALID_PAGE_STATE, Post, assert_error
from tests.helpers import USER_PASSWORD, Api, Tenant, contact


def test_other_app_cannot_see_a_contact_by_id(
    api: Api, post: Post, tenant: Tenant, other_tenant: Tenant
) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    status, body = post("/v3/contact/get", {"token": other_tenant.token, "contact_id": contact_id})
    assert (status, body) == (200, {"code": 200, "contacts": [], "count": 0, "page_state": None})


def test_pages_and_counts_are_per_app(
    api: Api, post: Post, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = api.add_contacts(tenant.token, [contact(1), contact(2)])
    theirs = api.add_contacts(other_tenant.token, [contact(3)])
    for token, ids in ((tenant.token, mine), (other_tenant.token, theirs)):
        status, body = post("/v3/contact/get", {"token": token})
        assert status == 200
        assert [c["contact_id"] for c in body["contacts"]] == ids
        assert body["count"] == len(ids)


def test_other_app_cannot_change_a_contact(
    api: Api, post: Post, tenant: Tenant, other_tenant: Tenant
) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    change = {"contact_id": contact_id, "company": "Hijacked"}
    status, body = post("/v3/contact/update", {"token": other_tenant.token, "contacts": [change]})
    assert_error(status, body, 400, f"contact_id {contact_id} not found")
    status, body = post("/v3/contact/get", {"token": tenant.token, "contact_id": contact_id})
    assert body["contacts"][0]["company"] == ""


def test_other_app_cannot_delete_a_contact(
    api: Api, post: Post, tenant: Tenant, other_tenant: Tenant
) -> None:
    ids = api.add_contacts(tenant.token, [contact(1)])
    status, body = post("/v3/contact/delete", {"token": other_tenant.token, "contact_ids": ids})
    assert (status, body["deleted"]) == (200, 0)
    status, body = post("/v3/contact/get", {"token": tenant.token})
    assert [c["contact_id"] for c in body["contacts"]] == ids
    assert body["count"] == 1


def test_page_state_of_another_app_is_refused(
    api: Api, post: Post, tenant: Tenant, other_tenant: Tenant
) -> None:
    api.add_contacts(tenant.token, [contact(1), contact(2)])
    api.add_contacts(other_tenant.token, [contact(1), contact(2)])
    status, body = post("/v3/contact/get", {"token": tenant.token, "limit": 1})
    state = body["page_state"]
    assert state
    status, body = post("/v3/contact/get", {"token": other_tenant.token, "page_state": state})
    assert_error(status, body, 400, INVALID_PAGE_STATE)


def test_same_phone_may_live_in_two_apps(
    api: Api, post: Post, tenant: Tenant, other_tenant: Tenant
) -> None:
    api.add_contacts(tenant.token, [contact(1)])
    assert api.add_contacts(other_tenant.token, [contact(1)])


def test_duplicate_check_does_not_name_other_apps_phones(
    api: Api, post: Post, tenant: Tenant, other_tenant: Tenant
) -> None:
    api.add_contacts(other_tenant.token, [contact(1), contact(2)])
    api.add_contacts(tenant.token, [contact(1)])
    batch = [contact(1), contact(2)]
    status, body = post("/v3/contact/add", {"token": tenant.token, "contacts": batch})
    assert status == 409
    assert body["duplicates"] == ["919000000001"]


def test_users_of_two_apps_are_apart(api: Api, post: Post, tenant: Tenant) -> None:
    appid, secret = api.create_app("Third")
    same_extension = int(tenant.user_id.split("_")[0])
    user_id = api.add_user(appid, secret, extension=same_extension)
    assert user_id != tenant.user_id
    status, body = post("/v2/user/login", {"id": user_id, "password": USER_PASSWORD})
    assert (status, body["agent"]["inet_no"]) == (200, appid)

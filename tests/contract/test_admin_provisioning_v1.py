"""v1 admin provisioning (docs/api.md, "Admin provisioning"): `/v1/agent/list`, `/v1/agent/update`,
`/v1/agent/remove`. Success codes are strings, every failure is 400, no password is
ever returned."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.agent_api import APP_AUTH_FAILED, AUTH_FAILED, v1_get, v1_update
from tests.contract.wire import assert_error
from tests.helpers import USER_PASSWORD, Api, Tenant

LIST = "/v1/agent/list"
UPDATE = "/v1/agent/update"
REMOVE = "/v1/agent/remove"
NEW_PASSWORD = "new-password"


def admin(tenant: Tenant, **fields: Any) -> dict[str, Any]:
    return {"appid": tenant.appid, "secret": tenant.secret, **fields}


def add_agent(api: Api, tenant: Tenant, extension: int, name: str, **fields: Any) -> str:
    status, body = api.post(
        "/v1/agent/add",
        admin(
            tenant,
            extension=extension,
            name=name,
            phone_number=9100000000 + extension,
            password=USER_PASSWORD,
            **fields,
        ),
    )
    assert status == 200, body
    return str(body["agent"]["agent_id"])


def update_body(tenant: Tenant, agent_id: str, **fields: Any) -> dict[str, Any]:
    """A valid update of `agent_id`; `fields` override its values."""
    body = admin(
        tenant, id=agent_id, name="Harvey Specter", phone_number=9200000000, password=NEW_PASSWORD
    )
    return {**body, **fields}


# -- /v1/agent/list ----------------------------------------------------------------------------


def test_list_shows_each_agent_without_its_password(api: Api, tenant: Tenant) -> None:
    add_agent(api, tenant, 101, "Mike J Ross", start_time=9, end_time=18, sms_alert=True)
    status, body = api.post(LIST, admin(tenant, page=1, limit=10))
    assert status == 200
    assert body == {
        "code": "cmi-2000",
        "status": "success",
        "count": 2,
        "agents": [
            {
                "agent_id": f"101_{tenant.appid}",
                "name": "Mike J Ross",
                "extension": 101,
                "notify": True,
                "phone": "9100000101",
                "start_time": 9,
                "end_time": 18,
            },
            {
                "agent_id": tenant.user_id,
                "name": "Asha Rao",
                "extension": 1001,
                "notify": False,
                "phone": "919800000000",
                "start_time": None,
                "end_time": None,
            },
        ],
    }


def test_list_pages_in_extension_order_with_the_total_count(api: Api, tenant: Tenant) -> None:
    for extension in range(110, 100, -1):  # added in reverse: the order is the extension's
        add_agent(api, tenant, extension, f"Agent {extension}")
    pages = []
    for page in (1, 2, 3, 4):
        status, body = api.post(LIST, admin(tenant, page=page, limit=4))
        assert (status, body["count"]) == (200, 11)
        pages.append([a["extension"] for a in body["agents"]])
    assert pages == [[101, 102, 103, 104], [105, 106, 107, 108], [109, 110, 1001], []]


def test_list_shows_only_the_apps_agents(api: Api, tenant: Tenant, other_tenant: Tenant) -> None:
    add_agent(api, other_tenant, 101, "Theirs")
    status, body = api.post(LIST, admin(tenant, page=1, limit=10))
    assert (status, body["count"]) == (200, 1)
    assert [a["agent_id"] for a in body["agents"]] == [tenant.user_id]


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"limit": 11}, "limit must be between 1 and 10"),
        ({"limit": 0}, "limit must be between 1 and 10"),
        ({"limit": "5"}, "limit must be an integer"),
        ({"page": 0}, "page must be between 1 and 1000000000"),
        ({"page": None}, "page must be an integer"),
    ],
)
def test_list_bounds_are_400(api: Api, tenant: Tenant, fields: dict[str, Any], msg: str) -> None:
    status, body = api.post(LIST, {**admin(tenant, page=1, limit=10), **fields})
    assert_error(status, body, 400, msg)


@pytest.mark.parametrize("missing", ["page", "limit"])
def test_list_page_and_limit_are_required(api: Api, tenant: Tenant, missing: str) -> None:
    body = admin(tenant, page=1, limit=10)
    del body[missing]
    status, error = api.post(LIST, body)
    assert_error(status, error, 400, f"{missing} is required")


@pytest.mark.parametrize("path", [LIST, UPDATE, REMOVE])
def test_a_wrong_secret_is_400(api: Api, tenant: Tenant, path: str) -> None:
    body = {**update_body(tenant, tenant.user_id), "page": 1, "limit": 10, "secret": "wrong"}
    status, error = api.post(path, body)
    assert_error(status, error, 400, APP_AUTH_FAILED)
    status, _ = api.post("/v1/agentLogin", {"id": tenant.user_id, "password": USER_PASSWORD})
    assert status == 200  # neither updated nor removed


# -- /v1/agent/update --------------------------------------------------------------------------


def test_update_replaces_name_phone_and_password(api: Api, tenant: Tenant) -> None:
    agent_id = add_agent(api, tenant, 101, "Mike Ross", start_time=9, end_time=18)
    status, body = api.post(UPDATE, update_body(tenant, agent_id))
    assert (status, body) == (
        200,
        {
            "code": "cmi-200",
            "status": "success",
            "msg": "Saved successfully",
            "agent": {
                "name": "Harvey Specter",
                "notify": False,
                "phone": "9200000000",
                "start_time": 9,
                "end_time": 18,
            },
        },
    )
    status, _ = api.post("/v1/agentLogin", {"id": agent_id, "password": USER_PASSWORD})
    assert status == 404
    status, login = api.post("/v1/agentLogin", {"id": agent_id, "password": NEW_PASSWORD})
    assert (status, login["agent"]["name"]) == (200, "Harvey Specter")


def test_update_changes_the_optional_fields_when_sent(api: Api, tenant: Tenant) -> None:
    agent_id = add_agent(api, tenant, 101, "Mike Ross")
    body = update_body(tenant, agent_id, start_time=8, end_time=20, sms_alert="true")
    status, updated = api.post(UPDATE, body)
    assert status == 200
    assert updated["agent"] | {"name": "", "phone": ""} == {
        "name": "",
        "phone": "",
        "notify": True,
        "start_time": 8,
        "end_time": 20,
    }
    status, updated = api.post(UPDATE, update_body(tenant, agent_id, sms_alert=False))
    assert (updated["agent"]["notify"], updated["agent"]["start_time"]) == (False, 8)


def test_an_updated_agent_keeps_its_tokens(api: Api, tenant: Tenant) -> None:
    status, _ = api.post(UPDATE, update_body(tenant, tenant.user_id))
    assert status == 200
    assert v1_get(api, tenant.token)["count"] == 0


def test_update_of_another_apps_agent_looks_like_an_unknown_one(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    status, body = api.post(UPDATE, update_body(tenant, other_tenant.user_id))
    assert_error(status, body, 400, f"id {other_tenant.user_id} not found")
    unknown = f"999_{tenant.appid}"
    status, body = api.post(UPDATE, update_body(tenant, unknown))
    assert_error(status, body, 400, f"id {unknown} not found")
    status, _ = api.post("/v1/agentLogin", {"id": other_tenant.user_id, "password": USER_PASSWORD})
    assert status == 200


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"id": "mike"}, "id must be of the form {extension}_{appid}"),
        ({"phone_number": "91abc"}, "phone_number must contain digits only"),
        ({"phone_number": 12}, "phone_number is not a possible phone number (wrong length)"),
        ({"password": ""}, "password must be at least 8 characters"),
        ({"password": "1234567"}, "password must be at least 8 characters"),
        ({"start_time": 25}, "start_time must be between 0 and 24"),
        ({"name": 5}, "name must be a string"),
    ],
)
def test_update_errors_are_400_and_change_nothing(
    api: Api, tenant: Tenant, fields: dict[str, Any], msg: str
) -> None:
    status, body = api.post(UPDATE, update_body(tenant, tenant.user_id, **fields))
    assert_error(status, body, 400, msg)
    status, listed = api.post(LIST, admin(tenant, page=1, limit=10))
    assert listed["agents"][0]["name"] == "Asha Rao"
    status, _ = api.post("/v1/agentLogin", {"id": tenant.user_id, "password": USER_PASSWORD})
    assert status == 200


@pytest.mark.parametrize("missing", ["id", "name", "phone_number", "password"])
def test_update_fields_are_required(api: Api, tenant: Tenant, missing: str) -> None:
    body = update_body(tenant, tenant.user_id)
    del body[missing]
    status, error = api.post(UPDATE, body)
    assert_error(status, error, 400, f"{missing} is required")


# -- /v1/agent/remove --------------------------------------------------------------------------


def test_remove_deletes_the_agent_and_revokes_its_tokens_at_once(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000)
    status, v1_login = api.post("/v1/agentLogin", {"id": tenant.user_id, "password": USER_PASSWORD})
    assert status == 200
    status, body = api.post(REMOVE, admin(tenant, id=tenant.user_id))
    # "cmi-200", not the vendor page's "cmi-2000" (docs/api.md, "v1 remove's code").
    assert (status, body) == (200, {"code": "cmi-200", "status": "success"})
    for token in (tenant.token, v1_login["token"]):
        status, error = api.post("/v1/getContact", {"token": token, "page": 1})
        assert_error(status, error, 400, AUTH_FAILED)
        status, error = api.post("/v3/contact/get", {"token": token})
        assert_error(status, error, 404, AUTH_FAILED)
    status, _ = api.post("/v1/agentLogin", {"id": tenant.user_id, "password": USER_PASSWORD})
    assert status == 404
    status, listed = api.post(LIST, admin(tenant, page=1, limit=10))
    assert (listed["count"], listed["agents"]) == (0, [])


def test_removing_an_agent_keeps_the_contacts_it_saved(api: Api, tenant: Tenant) -> None:
    colleague_id = add_agent(api, tenant, 101, "Mike Ross")
    status, login = api.post("/v1/agentLogin", {"id": colleague_id, "password": USER_PASSWORD})
    assert status == 200
    v1_update(api, login["token"], "Saved By Mike", 9100000000)
    assert api.post(REMOVE, admin(tenant, id=colleague_id))[0] == 200
    [found] = v1_get(api, tenant.token)["contacts"]
    assert (found["name"], found["agent"]) == ("Saved By Mike", colleague_id)


def test_remove_leaves_other_agents_tokens_alone(api: Api, tenant: Tenant) -> None:
    colleague_id = add_agent(api, tenant, 101, "Mike Ross")
    assert api.post(REMOVE, admin(tenant, id=colleague_id))[0] == 200
    assert v1_get(api, tenant.token)["count"] == 0


def test_remove_of_an_unknown_or_removed_agent_is_400(api: Api, tenant: Tenant) -> None:
    assert api.post(REMOVE, admin(tenant, id=tenant.user_id))[0] == 200
    status, body = api.post(REMOVE, admin(tenant, id=tenant.user_id))
    assert_error(status, body, 400, f"id {tenant.user_id} not found")
    status, body = api.post(REMOVE, admin(tenant, id="x_y"))
    assert_error(status, body, 400, "id must be of the form {extension}_{appid}")


def test_remove_of_another_apps_agent_looks_like_an_unknown_one(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    status, body = api.post(REMOVE, admin(tenant, id=other_tenant.user_id))
    assert_error(status, body, 400, f"id {other_tenant.user_id} not found")
    assert v1_get(api, other_tenant.token)["count"] == 0  # its token still works


def test_remove_id_is_required(api: Api, tenant: Tenant) -> None:
    status, body = api.post(REMOVE, admin(tenant))
    assert_error(status, body, 400, "id is required")

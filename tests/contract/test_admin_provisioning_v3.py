"""v3 admin provisioning: `/v3/user/get`, `/v3/user/list`, `/v3/user/update`,
`/v3/user/remove` (docs/api.md, "Admin provisioning"). A bad appid/secret is 401, an
unknown agent_id 404, no password is ever returned."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.agent_api import APP_AUTH_FAILED, AUTH_FAILED, v1_get
from tests.contract.wire import assert_error
from tests.helpers import USER_PASSWORD, Api, Tenant

GET = "/v3/user/get"
LIST = "/v3/user/list"
UPDATE = "/v3/user/update"
REMOVE = "/v3/user/remove"
NEW_PASSWORD = "a-brand-new-password"
DOCUMENTED_USER_KEYS = {
    "agent_id",
    "first_name",
    "last_name",
    "extension",
    "phone",
    "start_time",
    "end_time",
    "followme",
}


def admin(tenant: Tenant, **fields: Any) -> dict[str, Any]:
    return {"appid": tenant.appid, "secret": tenant.secret, **fields}


def add_user(api: Api, tenant: Tenant, extension: int, first: str, last: str, **f: Any) -> str:
    status, body = api.post(
        "/v3/user/add",
        admin(
            tenant,
            extension=extension,
            first_name=first,
            last_name=last,
            phone_number=f"91910000{extension:04d}",
            password=USER_PASSWORD,
            **f,
        ),
    )
    assert status == 200, body
    return str(body["agent"]["agent_id"])


def get_user(api: Api, tenant: Tenant, agent_id: str) -> dict[str, Any]:
    status, body = api.post(GET, admin(tenant, agent_id=agent_id))
    assert status == 200, body
    return dict(body["agent"])


def listed(api: Api, tenant: Tenant, **fields: Any) -> tuple[int, list[str]]:
    status, body = api.post(LIST, admin(tenant, **fields))
    assert (status, body["code"], body["status"]) == (200, 200, "success"), body
    return body["count"], [f"{a['first_name']} {a['last_name']}" for a in body["agents"]]


# -- /v3/user/get ------------------------------------------------------------------------------


def test_get_shows_the_user_without_its_password(api: Api, tenant: Tenant) -> None:
    agent_id = add_user(
        api,
        tenant,
        1234,
        "Mike",
        "Ross",
        start_time=9,
        end_time=18,
        followme=True,
        email_id="john.doe@example.com",
    )
    status, body = api.post(GET, admin(tenant, agent_id=agent_id))
    assert (status, body["code"], body["status"]) == (200, 200, "success")
    agent = body["agent"]
    assert set(agent) >= DOCUMENTED_USER_KEYS
    assert not any("password" in key for key in agent)
    assert {k: agent[k] for k in DOCUMENTED_USER_KEYS} == {
        "agent_id": f"1234_{tenant.appid}",
        "first_name": "Mike",
        "last_name": "Ross",
        "extension": 1234,
        "phone": "919100001234",
        "start_time": 9,
        "end_time": 18,
        "followme": True,
    }
    assert agent["email_id"] == "john.doe@example.com"  # an extension


def test_get_of_an_unknown_user_is_404(api: Api, tenant: Tenant) -> None:
    unknown = f"9999_{tenant.appid}"
    status, body = api.post(GET, admin(tenant, agent_id=unknown))
    assert_error(status, body, 404, f"agent_id {unknown} not found")


def test_another_apps_user_looks_exactly_like_an_unknown_one(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = other_tenant.user_id
    missing = f"9999_{tenant.appid}"
    for path in (GET, UPDATE, REMOVE):
        for agent_id in (theirs, missing):
            status, body = api.post(path, admin(tenant, agent_id=agent_id, first_name="X"))
            assert_error(status, body, 404, f"agent_id {agent_id} not found")
    assert get_user(api, other_tenant, theirs)["first_name"] == "Asha"


@pytest.mark.parametrize("agent_id", ["mike", "1001", "_1111112", "1001_", "x_1111112"])
def test_a_malformed_agent_id_is_400(api: Api, tenant: Tenant, agent_id: str) -> None:
    status, body = api.post(GET, admin(tenant, agent_id=agent_id))
    assert_error(status, body, 400, "agent_id must be of the form {extension}_{appid}")


@pytest.mark.parametrize("path", [GET, LIST, UPDATE, REMOVE])
def test_a_wrong_secret_or_appid_is_401(
    api: Api, tenant: Tenant, other_tenant: Tenant, path: str
) -> None:
    for credentials in (
        {"secret": "wrong"},
        {"secret": other_tenant.secret},
        {"appid": other_tenant.appid},
    ):
        body = {**admin(tenant, agent_id=tenant.user_id, first_name="X"), **credentials}
        status, error = api.post(path, body)
        assert_error(status, error, 401, APP_AUTH_FAILED)
    assert get_user(api, tenant, tenant.user_id)["first_name"] == "Asha"


@pytest.mark.parametrize("path", [GET, UPDATE, REMOVE])
def test_agent_id_is_required(api: Api, tenant: Tenant, path: str) -> None:
    status, body = api.post(path, admin(tenant))
    # A remove may name the user by `extension` instead (docs/api.md, "Leniencies").
    alternative = " (or extension)" if path == REMOVE else ""
    assert_error(status, body, 400, f"agent_id is required{alternative}")


# -- /v3/user/list -----------------------------------------------------------------------------


def test_list_defaults_to_the_first_ten_in_extension_order(api: Api, tenant: Tenant) -> None:
    for extension in range(2012, 2000, -1):
        add_user(api, tenant, extension, "User", str(extension))
    count, names = listed(api, tenant)
    assert count == 13
    assert names == ["Asha Rao", *[f"User {e}" for e in range(2001, 2010)]]
    assert listed(api, tenant, page=2) == (13, [f"User {e}" for e in range(2010, 2013)])
    assert listed(api, tenant, page=3) == (13, [])
    assert listed(api, tenant, page=1, limit=100)[1][-1] == "User 2012"


def test_list_entries_have_the_documented_fields_and_no_password(api: Api, tenant: Tenant) -> None:
    status, body = api.post(LIST, admin(tenant))
    assert status == 200
    [agent] = body["agents"]
    assert set(agent) >= DOCUMENTED_USER_KEYS
    assert not any("password" in key for key in agent)
    assert agent == get_user(api, tenant, tenant.user_id)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ross", ["Mike Ross"]),
        ("MIKE", ["Mike Ross", "Mike Wazowski"]),
        ("e r", ["Mike Ross"]),
        ("zoë", ["Zoë Saldana"]),
        ("ZOË", ["Zoë Saldana"]),
        ("PRIYĀ", ["Priyā Sharma"]),
        ("ā", ["Priyā Sharma"]),
        ("%", []),
        ("_", []),
        ("", ["Asha Rao", "Mike Ross", "Zoë Saldana", "Priyā Sharma", "Mike Wazowski"]),
    ],
)
def test_list_filters_by_name_in_any_case(
    api: Api, tenant: Tenant, name: str, expected: list[str]
) -> None:
    for extension, (first, last) in enumerate(
        [("Mike", "Ross"), ("Zoë", "Saldana"), ("Priyā", "Sharma"), ("Mike", "Wazowski")],
        start=2001,
    ):
        add_user(api, tenant, extension, first, last)
    assert listed(api, tenant, name=name, limit=100) == (len(expected), expected)


def test_list_shows_only_the_apps_users(api: Api, tenant: Tenant, other_tenant: Tenant) -> None:
    add_user(api, other_tenant, 2001, "Mike", "Ross")
    assert listed(api, tenant) == (1, ["Asha Rao"])


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"limit": 101}, "limit must be between 1 and 100"),
        ({"limit": 0}, "limit must be between 1 and 100"),
        ({"page": 0}, "page must be between 1 and 1000000000"),
        ({"page": "2"}, "page must be an integer"),
        ({"name": 1}, "name must be a string"),
    ],
)
def test_list_bounds_are_400(api: Api, tenant: Tenant, fields: dict[str, Any], msg: str) -> None:
    status, body = api.post(LIST, admin(tenant, **fields))
    assert_error(status, body, 400, msg)


# -- /v3/user/update ---------------------------------------------------------------------------


def test_update_changes_only_the_given_fields(api: Api, tenant: Tenant) -> None:
    before = get_user(api, tenant, tenant.user_id)
    status, body = api.post(UPDATE, admin(tenant, agent_id=tenant.user_id, last_name="Iyer"))
    assert (status, body) == (200, {"code": 200, "status": "success", "msg": "Saved successfully"})
    assert get_user(api, tenant, tenant.user_id) == {**before, "last_name": "Iyer"}


def test_update_can_change_every_field(api: Api, tenant: Tenant) -> None:
    change = {
        "first_name": "Zoë",
        "last_name": "Saldana",
        "email_id": "john.doe@example.com",
        "phone_number": "919200000000",
        "password": NEW_PASSWORD,
        "start_time": 7,
        "end_time": 19,
    }
    status, _ = api.post(UPDATE, admin(tenant, agent_id=tenant.user_id, **change))
    assert status == 200
    user = get_user(api, tenant, tenant.user_id)
    assert (user["first_name"], user["last_name"], user["email_id"]) == (
        "Zoë",
        "Saldana",
        "john.doe@example.com",
    )
    assert (user["phone"], user["start_time"], user["end_time"]) == ("919200000000", 7, 19)
    status, _ = api.post("/v2/user/login", {"id": tenant.user_id, "password": USER_PASSWORD})
    assert status == 404
    status, login = api.post("/v2/user/login", {"id": tenant.user_id, "password": NEW_PASSWORD})
    assert (status, login["agent"]["name"]) == (200, "Zoë Saldana")
    assert listed(api, tenant, name="saldana") == (1, ["Zoë Saldana"])


def test_an_update_with_no_fields_changes_nothing_and_succeeds(api: Api, tenant: Tenant) -> None:
    before = get_user(api, tenant, tenant.user_id)
    status, _ = api.post(UPDATE, admin(tenant, agent_id=tenant.user_id))
    assert status == 200
    assert get_user(api, tenant, tenant.user_id) == before


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"password": "short"}, "password must be at least 8 characters"),
        ({"phone_number": "91abc"}, "phone_number must contain digits only"),
        ({"phone_number": "12"}, "phone_number is not a possible phone number (wrong length)"),
        ({"end_time": -1}, "end_time must be between 0 and 24"),
        ({"first_name": 5}, "first_name must be a string"),
        ({"first_name": "x" * 101}, "first_name must be at most 100 characters"),
    ],
)
def test_update_errors_are_400_and_change_nothing(
    api: Api, tenant: Tenant, fields: dict[str, Any], msg: str
) -> None:
    before = get_user(api, tenant, tenant.user_id)
    body = admin(tenant, agent_id=tenant.user_id, last_name="Changed", **fields)
    status, error = api.post(UPDATE, body)
    assert_error(status, error, 400, msg)
    assert get_user(api, tenant, tenant.user_id) == before


def test_an_invalid_email_is_400_and_changes_nothing(api: Api, tenant: Tenant) -> None:
    before = get_user(api, tenant, tenant.user_id)
    body = admin(tenant, agent_id=tenant.user_id, email_id="nope", last_name="Changed")
    status, error = api.post(UPDATE, body)
    assert status == 400
    assert error["msg"].startswith("email_id is not a valid email address"), error
    assert get_user(api, tenant, tenant.user_id) == before


# -- /v3/user/remove ---------------------------------------------------------------------------


def test_remove_revokes_every_token_of_the_user_at_once(api: Api, tenant: Tenant) -> None:
    second_token = api.login(tenant.user_id)
    colleague = api.login(api.add_user(tenant.appid, tenant.secret))
    status, body = api.post(REMOVE, admin(tenant, agent_id=tenant.user_id))
    assert (status, body) == (200, {"code": 200, "status": "success"})
    for token in (tenant.token, second_token):
        status, error = api.post("/v3/contact/get", {"token": token})
        assert_error(status, error, 404, AUTH_FAILED)
        status, error = api.post("/v1/getContact", {"token": token, "page": 1})
        assert_error(status, error, 400, AUTH_FAILED)
    assert v1_get(api, colleague)["count"] == 0  # another user's token still works
    status, _ = api.post("/v2/user/login", {"id": tenant.user_id, "password": USER_PASSWORD})
    assert status == 404


def test_remove_of_a_removed_user_is_404(api: Api, tenant: Tenant) -> None:
    assert api.post(REMOVE, admin(tenant, agent_id=tenant.user_id))[0] == 200
    for path in (GET, UPDATE, REMOVE):
        status, body = api.post(path, admin(tenant, agent_id=tenant.user_id))
        assert_error(status, body, 404, f"agent_id {tenant.user_id} not found")
    assert listed(api, tenant) == (0, [])


def test_a_removed_extension_can_be_added_again(api: Api, tenant: Tenant) -> None:
    assert api.post(REMOVE, admin(tenant, agent_id=tenant.user_id))[0] == 200
    assert add_user(api, tenant, 1001, "New", "Person") == tenant.user_id
    status, error = api.post("/v3/contact/get", {"token": tenant.token})
    assert_error(status, error, 404, AUTH_FAILED)  # the old token stays revoked

"""v2 administration (docs/api.md, "v2 administration"): `/v2/user/{add,list,update,remove}`
and the admin token `/v2/token`. Codes are numeric; wrong app credentials are 401 (404 at
`/v2/token`); an unknown id is 404; no password is ever returned."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from contactd.domain.errors import AuthFailed
from contactd.testing import app_services
from tests.contract.agent_api import APP_AUTH_FAILED, AUTH_FAILED
from tests.contract.wire import assert_error
from tests.helpers import USER_PASSWORD, Api, Tenant

ADD = "/v2/user/add"
LIST = "/v2/user/list"
UPDATE = "/v2/user/update"
REMOVE = "/v2/user/remove"
TOKEN = "/v2/token"
NEW_PASSWORD = "new-password"


def admin(tenant: Tenant, **fields: Any) -> dict[str, Any]:
    return {"appid": tenant.appid, "secret": tenant.secret, **fields}


def add_body(tenant: Tenant, **fields: Any) -> dict[str, Any]:
    """The body of the vendor's sample add; `fields` override its values."""
    body = admin(
        tenant,
        extension=103,
        name="Mike J Ross",
        phone_number="919200000000",
        password=USER_PASSWORD,
        start_time=9,
        end_time=18,
        sms_alert=True,
    )
    return {**body, **fields}


def update_body(tenant: Tenant, user_id: str, **fields: Any) -> dict[str, Any]:
    body = admin(
        tenant,
        id=user_id,
        name="Harvey Specter",
        phone_number="919200000009",
        password=NEW_PASSWORD,
    )
    return {**body, **fields}


def listed(api: Api, tenant: Tenant) -> list[dict[str, Any]]:
    status, body = api.post(LIST, admin(tenant))
    assert status == 200, body
    return list(body["agents"])


# -- /v2/user/add ------------------------------------------------------------------------------


def test_add_splits_the_name_and_answers_the_new_id(api: Api, tenant: Tenant) -> None:
    status, body = api.post(ADD, add_body(tenant))
    assert (status, body) == (
        200,
        {
            "code": 200,
            "status": "success",
            "msg": "Saved successfully",
            "agent": {"agent_id": f"103_{tenant.appid}", "name": "Mike J Ross", "extension": 103},
        },
    )
    status, user = api.post(
        "/v3/user/get",
        {"appid": tenant.appid, "secret": tenant.secret, "agent_id": f"103_{tenant.appid}"},
    )
    assert status == 200, user
    assert (user["agent"]["first_name"], user["agent"]["last_name"]) == ("Mike", "J Ross")
    assert "password" not in user["agent"]
    # The new user logs in with its password, and its token reads contacts.
    status, login = api.post(
        "/v2/user/login", {"id": f"103_{tenant.appid}", "password": USER_PASSWORD}
    )
    assert status == 200, login
    assert api.post("/v3/contact/get", {"token": login["token"]})[0] == 200


@pytest.mark.parametrize(
    ("fields", "code", "msg"),
    [
        ({"extension": 1001}, 400, "Extension Already Exists"),
        ({"extension": 99}, 400, "extension must be between 100 and 9999"),
        ({"password": "abc123"}, 400, "password must be at least 8 characters"),
        ({"phone_number": "91abc"}, 400, "phone_number must contain digits only"),
        ({"start_time": 25}, 400, "start_time must be between 0 and 24"),
        ({"name": 5}, 400, "name must be a string"),
        ({"secret": "wrong"}, 401, APP_AUTH_FAILED),
    ],
)
def test_add_errors_change_nothing(
    api: Api, tenant: Tenant, fields: dict[str, Any], code: int, msg: str
) -> None:
    status, body = api.post(ADD, add_body(tenant, **fields))
    assert_error(status, body, code, msg)
    assert [agent["agent_id"] for agent in listed(api, tenant)] == [tenant.user_id]


@pytest.mark.parametrize(
    "missing", ["appid", "secret", "extension", "name", "phone_number", "password"]
)
def test_add_fields_are_required(api: Api, tenant: Tenant, missing: str) -> None:
    body = add_body(tenant)
    del body[missing]
    status, error = api.post(ADD, body)
    assert_error(status, error, 400, f"{missing} is required")


# -- /v2/user/list -----------------------------------------------------------------------------


def test_list_defaults_to_the_first_ten_and_never_shows_a_password(
    api: Api, tenant: Tenant
) -> None:
    for extension in range(101, 111):
        assert api.post(ADD, add_body(tenant, extension=extension))[0] == 200
    status, body = api.post(LIST, admin(tenant))
    assert status == 200, body
    assert (body["code"], body["status"], body["count"]) == (200, "success", 11)
    assert [a["extension"] for a in body["agents"]] == list(range(101, 111))
    assert body["agents"][0] == {
        "agent_id": f"101_{tenant.appid}",
        "name": "Mike J Ross",
        "extension": 101,
        "notify": True,
        "phone": "919200000000",
        "start_time": 9,
        "end_time": 18,
    }
    status, second = api.post(LIST, admin(tenant, page=2, limit=10))
    assert [a["agent_id"] for a in second["agents"]] == [tenant.user_id]


@pytest.mark.parametrize(
    ("fields", "code", "msg"),
    [
        ({"limit": 11}, 400, "limit must be between 1 and 10"),
        ({"page": 0}, 400, "page must be between 1 and 1000000000"),
        ({"secret": "wrong"}, 401, APP_AUTH_FAILED),
    ],
)
def test_list_errors(api: Api, tenant: Tenant, fields: dict[str, Any], code: int, msg: str) -> None:
    status, body = api.post(LIST, admin(tenant, **fields))
    assert_error(status, body, code, msg)


# -- /v2/user/update ---------------------------------------------------------------------------


def test_update_replaces_name_phone_and_password(api: Api, tenant: Tenant) -> None:
    status, body = api.post(UPDATE, update_body(tenant, tenant.user_id, sms_alert=True))
    assert (status, body) == (
        200,
        {
            "code": 200,
            "status": "success",
            "msg": "Saved successfully",
            "agent": {
                "name": "Harvey Specter",
                "notify": True,
                "phone": "919200000009",
                "start_time": None,
                "end_time": None,
            },
        },
    )
    old = api.post("/v2/user/login", {"id": tenant.user_id, "password": USER_PASSWORD})
    assert old[0] == 404
    assert api.post("/v2/user/login", {"id": tenant.user_id, "password": NEW_PASSWORD})[0] == 200


@pytest.mark.parametrize(
    ("fields", "code", "msg"),
    [
        ({"password": "short"}, 400, "password must be at least 8 characters"),
        ({"id": "mike"}, 400, "id must be of the form {extension}_{appid}"),
        ({"secret": "wrong"}, 401, APP_AUTH_FAILED),
    ],
)
def test_update_errors_change_nothing(
    api: Api, tenant: Tenant, fields: dict[str, Any], code: int, msg: str
) -> None:
    status, body = api.post(UPDATE, update_body(tenant, tenant.user_id, **fields))
    assert_error(status, body, code, msg)
    assert listed(api, tenant)[0]["name"] == "Asha Rao"
    assert api.post("/v2/user/login", {"id": tenant.user_id, "password": USER_PASSWORD})[0] == 200


def test_update_of_an_unknown_or_another_apps_user_is_404(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    for user_id in (f"999_{tenant.appid}", other_tenant.user_id):
        status, body = api.post(UPDATE, update_body(tenant, user_id))
        assert_error(status, body, 404, f"id {user_id} not found")


# -- /v2/user/remove ---------------------------------------------------------------------------


def test_remove_deletes_the_user_and_revokes_its_tokens(api: Api, tenant: Tenant) -> None:
    status, body = api.post(REMOVE, admin(tenant, id=tenant.user_id))
    assert (status, body) == (200, {"code": 200, "status": "success"})
    status, error = api.post("/v3/contact/get", {"token": tenant.token})
    assert_error(status, error, 404, AUTH_FAILED)
    assert listed(api, tenant) == []
    status, again = api.post(REMOVE, admin(tenant, id=tenant.user_id))
    assert_error(status, again, 404, f"id {tenant.user_id} not found")


@pytest.mark.parametrize(
    ("fields", "code", "msg"),
    [
        ({}, 400, "id is required"),
        ({"id": "mike"}, 400, "id must be of the form {extension}_{appid}"),
        ({"id": "1001_1", "secret": "wrong"}, 401, APP_AUTH_FAILED),
    ],
)
def test_remove_errors_change_nothing(
    api: Api, tenant: Tenant, fields: dict[str, Any], code: int, msg: str
) -> None:
    status, body = api.post(REMOVE, admin(tenant, **fields))
    assert_error(status, body, code, msg)
    assert [a["agent_id"] for a in listed(api, tenant)] == [tenant.user_id]


# -- /v2/token ---------------------------------------------------------------------------------


def test_token_is_an_admin_token_contactd_verifies_never_the_app_secret(
    client: TestClient, api: Api, tenant: Tenant
) -> None:
    status, body = api.post(TOKEN, admin(tenant))
    assert status == 200, body
    assert set(body) == {"secret", "expiresIn", "code"}
    assert (body["expiresIn"], body["code"]) == ("30d", 200)
    token = body["secret"]
    assert token != tenant.secret
    assert tenant.secret not in token
    apps = app_services(client.app).apps
    portal = client.portal
    assert portal is not None
    assert portal.call(apps.verify_admin_token, token).app_id == tenant.appid
    # Neither a login token nor a token altered in any part is one.
    for forged in (tenant.token, token[:-1] + ("A" if token[-1] != "A" else "B"), token + "x"):
        with pytest.raises(AuthFailed, match="Invalid admin token"):
            portal.call(apps.verify_admin_token, forged)
    # Nor is an admin token accepted where a login token is.
    status, error = api.post("/v3/contact/get", {"token": token})
    assert_error(status, error, 404, AUTH_FAILED)


def test_rotating_the_app_secret_revokes_its_admin_tokens(
    client: TestClient, api: Api, tenant: Tenant
) -> None:
    token = api.post(TOKEN, admin(tenant))[1]["secret"]
    apps = app_services(client.app).apps
    portal = client.portal
    assert portal is not None
    portal.call(apps.rotate_secret, tenant.appid)
    with pytest.raises(AuthFailed, match="Invalid admin token"):
        portal.call(apps.verify_admin_token, token)


@pytest.mark.parametrize(
    ("fields", "code", "msg"),
    [
        ({"secret": "wrong"}, 404, APP_AUTH_FAILED),
        ({"appid": 1_000_000}, 404, APP_AUTH_FAILED),
        ({"appid": None}, 400, "appid must be an integer"),
    ],
)
def test_token_errors(
    api: Api, tenant: Tenant, fields: dict[str, Any], code: int, msg: str
) -> None:
    status, body = api.post(TOKEN, admin(tenant, **fields))
    assert_error(status, body, code, msg)


@pytest.mark.parametrize("missing", ["appid", "secret"])
def test_token_fields_are_required(api: Api, tenant: Tenant, missing: str) -> None:
    body = admin(tenant)
    del body[missing]
    status, error = api.post(TOKEN, body)
    assert_error(status, error, 400, f"{missing} is required")

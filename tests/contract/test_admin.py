"""Admin provisioning with appid + secret: `/v3/user/add`, `/v1/agent/add`
(docs/api.md, "Admin provisioning")."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.scenarios import AppCredentials
from tests.contract.wire import APP_AUTH_FAILED, Post, assert_error
from tests.helpers import Api

PASSWORD = "a-secret-password"


def user(app: AppCredentials, **fields: Any) -> dict[str, Any]:
    return {
        "appid": app.appid,
        "secret": app.secret,
        "extension": 1234,
        "first_name": "Mike",
        "last_name": "Ross",
        "phone_number": "919100000000",
        "password": PASSWORD,
        **fields,
    }


def agent(app: AppCredentials, **fields: Any) -> dict[str, Any]:
    return {
        "appid": app.appid,
        "secret": app.secret,
        "extension": 101,
        "name": "Mike J Ross",
        "phone_number": 9100000000,
        "password": PASSWORD,
        **fields,
    }


# -- /v3/user/add ---------------------------------------------------------------------------


def test_user_add_body_is_the_vendors_without_the_password(
    post: Post, fresh_app: AppCredentials
) -> None:
    status, body = post("/v3/user/add", user(fresh_app))
    assert (status, body) == (
        200,
        {
            "code": 200,
            "status": "success",
            "msg": "Saved successfully",
            "agent": {"agent_id": f"1234_{fresh_app.appid}", "extension": 1234},
        },
    )


def test_added_user_logs_in_with_its_name(post: Post, fresh_app: AppCredentials) -> None:
    post("/v3/user/add", user(fresh_app, email_id="john.doe@example.com"))
    status, body = post("/v2/user/login", {"id": f"1234_{fresh_app.appid}", "password": PASSWORD})
    assert status == 200
    assert body["agent"]["name"] == "Mike Ross"


def test_user_add_with_a_wrong_secret_is_401(post: Post, fresh_app: AppCredentials) -> None:
    status, body = post("/v3/user/add", user(fresh_app, secret=fresh_app.secret + "x"))
    assert_error(status, body, 401, APP_AUTH_FAILED)


def test_user_add_with_an_unknown_appid_is_401(post: Post, fresh_app: AppCredentials) -> None:
    unknown = 1_000_000 if fresh_app.appid != 1_000_000 else 1_000_001
    status, body = post("/v3/user/add", user(fresh_app, appid=unknown))
    assert_error(status, body, 401, APP_AUTH_FAILED)


def test_user_add_with_another_apps_secret_is_401(
    api: Api, post: Post, fresh_app: AppCredentials
) -> None:
    _, other_secret = api.create_app("Other")
    status, body = post("/v3/user/add", user(fresh_app, secret=other_secret))
    assert_error(status, body, 401, APP_AUTH_FAILED)


def test_user_add_of_an_existing_extension_is_400(post: Post, fresh_app: AppCredentials) -> None:
    assert post("/v3/user/add", user(fresh_app))[0] == 200
    status, body = post("/v3/user/add", user(fresh_app, first_name="Harvey"))
    assert_error(status, body, 400, "Extension Already Exists")


def test_same_extension_in_two_apps_is_fine(
    api: Api, post: Post, fresh_app: AppCredentials
) -> None:
    appid, secret = api.create_app("Other")
    assert post("/v3/user/add", user(fresh_app))[0] == 200
    assert post("/v3/user/add", user(AppCredentials(appid, secret)))[0] == 200


@pytest.mark.parametrize("password", ["", "1234567"])
def test_user_password_under_eight_characters_is_400(
    post: Post, fresh_app: AppCredentials, password: str
) -> None:
    status, body = post("/v3/user/add", user(fresh_app, password=password))
    assert_error(status, body, 400, "password must be at least 8 characters")


def test_user_password_of_eight_characters_is_accepted(
    post: Post, fresh_app: AppCredentials
) -> None:
    assert post("/v3/user/add", user(fresh_app, password="12345678"))[0] == 200


def test_extension_out_of_range_is_400(post: Post, fresh_app: AppCredentials) -> None:
    for extension in (99, 10000, -1):
        status, body = post("/v3/user/add", user(fresh_app, extension=extension))
        assert_error(status, body, 400, "extension must be between 100 and 9999")


@pytest.mark.parametrize("extension", [100, 9999])
def test_extension_bounds_are_accepted(
    post: Post, fresh_app: AppCredentials, extension: int
) -> None:
    assert post("/v3/user/add", user(fresh_app, extension=extension))[0] == 200


def test_user_with_an_impossible_phone_is_400(post: Post, fresh_app: AppCredentials) -> None:
    status, body = post("/v3/user/add", user(fresh_app, phone_number="12"))
    assert_error(status, body, 400, "phone_number is not a possible phone number (wrong length)")


def test_user_with_an_invalid_email_is_400(post: Post, fresh_app: AppCredentials) -> None:
    status, body = post("/v3/user/add", user(fresh_app, email_id="nope"))
    assert status == 400
    assert body["msg"].startswith("email_id is not a valid email address")


# `first_name` may be replaced by `name` (docs/api.md, "Leniencies"): the message says so.
ALTERNATIVE = {"first_name": " (or name)"}


def test_user_add_missing_field_is_400(post: Post, fresh_app: AppCredentials) -> None:
    for missing in ("appid", "secret", "extension", "first_name", "last_name", "password"):
        body = user(fresh_app)
        del body[missing]
        status, error = post("/v3/user/add", body)
        assert_error(status, error, 400, f"{missing} is required{ALTERNATIVE.get(missing, '')}")


# -- /v1/agent/add --------------------------------------------------------------------------


def test_agent_add_body_is_the_vendors_without_the_password(
    post: Post, fresh_app: AppCredentials
) -> None:
    status, body = post("/v1/agent/add", agent(fresh_app))
    assert (status, body) == (
        200,
        {
            "code": "cmi-200",
            "status": "success",
            "msg": "Saved successfully",
            "agent": {
                "agent_id": f"101_{fresh_app.appid}",
                "name": "Mike J Ross",
                "extension": 101,
            },
        },
    )


def test_added_agent_logs_in_with_its_v1_name(post: Post, fresh_app: AppCredentials) -> None:
    post("/v1/agent/add", agent(fresh_app, sms_alert="true", start_time=9, end_time=18))
    status, body = post("/v1/agentLogin", {"id": f"101_{fresh_app.appid}", "password": PASSWORD})
    assert status == 200
    assert body["agent"]["name"] == "Mike J Ross"


def test_agent_add_with_a_wrong_secret_is_400(post: Post, fresh_app: AppCredentials) -> None:
    status, body = post("/v1/agent/add", agent(fresh_app, secret="wrong"))
    assert_error(status, body, 400, APP_AUTH_FAILED)


def test_agent_add_with_an_unknown_appid_is_400(post: Post, fresh_app: AppCredentials) -> None:
    unknown = 1_000_000 if fresh_app.appid != 1_000_000 else 1_000_001
    status, body = post("/v1/agent/add", agent(fresh_app, appid=unknown))
    assert_error(status, body, 400, APP_AUTH_FAILED)


def test_agent_add_of_an_existing_extension_is_400(post: Post, fresh_app: AppCredentials) -> None:
    assert post("/v1/agent/add", agent(fresh_app))[0] == 200
    status, body = post("/v1/agent/add", agent(fresh_app, name="Harvey"))
    assert_error(status, body, 400, "Extension Already Exists")


def test_agent_and_user_share_one_extension_space(post: Post, fresh_app: AppCredentials) -> None:
    assert post("/v3/user/add", user(fresh_app, extension=101))[0] == 200
    status, body = post("/v1/agent/add", agent(fresh_app, extension=101))
    assert_error(status, body, 400, "Extension Already Exists")


def test_agent_phone_may_be_a_string_of_digits(post: Post, fresh_app: AppCredentials) -> None:
    assert post("/v1/agent/add", agent(fresh_app, phone_number="919100000000"))[0] == 200


def test_passwords_appear_in_no_admin_or_login_response(
    post: Post, fresh_app: AppCredentials
) -> None:
    responses = [
        post("/v3/user/add", user(fresh_app)),
        post("/v1/agent/add", agent(fresh_app)),
        post("/v2/user/login", {"id": f"1234_{fresh_app.appid}", "password": PASSWORD}),
        post("/v1/agentLogin", {"id": f"101_{fresh_app.appid}", "password": PASSWORD}),
    ]
    for status, body in responses:
        assert status == 200
        assert PASSWORD not in repr(body)
        assert "password" not in repr(body).lower()

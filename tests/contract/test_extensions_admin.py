"""`/x/admin/unlock` over HTTP (docs/api.md, "Extensions"): an app's admin lifts the
login throttle of its agents and users, as `contactd users unlock` does; refused with
the v3 admin errors."""

from __future__ import annotations

from typing import Any

from contactd.domain.throttle import MAX_FAILURES, TOO_MANY_ATTEMPTS
from tests.contract.agent_api import APP_AUTH_FAILED
from tests.contract.extensions_api import add_agent
from tests.contract.wire import assert_error
from tests.helpers import USER_PASSWORD, Api, Tenant

UNLOCK = "/x/admin/unlock"


def throttle(api: Api, login: str, principal_id: str) -> None:
    """Fail `MAX_FAILURES` logins of the id; then even the right password is refused."""
    for _ in range(MAX_FAILURES):
        status, _body = api.post(login, {"id": principal_id, "password": "wrong-password"})
        assert status == 404
    status, body = api.post(login, {"id": principal_id, "password": USER_PASSWORD})
    assert (status, body["msg"]) == (429, TOO_MANY_ATTEMPTS), body


def unlock(api: Api, tenant: Tenant, principal_id: Any) -> tuple[int, Any]:
    return api.post(UNLOCK, {"appid": tenant.appid, "secret": tenant.secret, "id": principal_id})


def test_a_throttled_user_and_agent_log_in_again_once_unlocked(api: Api, tenant: Tenant) -> None:
    agent_id, _ = add_agent(api, tenant)
    for login, principal_id in (("/v2/user/login", tenant.user_id), ("/v1/agentLogin", agent_id)):
        throttle(api, login, principal_id)
        status, body = unlock(api, tenant, principal_id)
        assert (status, body) == (
            200,
            {
                "code": 200,
                "msg": f"id {principal_id} unlocked ({MAX_FAILURES} failed logins cleared)",
            },
        )
        status, body = api.post(login, {"id": principal_id, "password": USER_PASSWORD})
        assert status == 200, body


def test_unlocking_an_id_that_is_not_throttled_clears_nothing(api: Api, tenant: Tenant) -> None:
    status, body = unlock(api, tenant, f" {tenant.user_id} ")
    assert (status, body["msg"]) == (200, f"id {tenant.user_id} unlocked (0 failed logins cleared)")


def test_unlock_refusals(api: Api, tenant: Tenant, other_tenant: Tenant) -> None:
    throttle(api, "/v2/user/login", other_tenant.user_id)
    for principal_id in (other_tenant.user_id, f"9999_{tenant.appid}"):
        assert_error(*unlock(api, tenant, principal_id), 404, f"id {principal_id} not found")
    assert_error(*unlock(api, tenant, "garbage"), 400, "id must be of the form {extension}_{appid}")
    assert_error(*unlock(api, tenant, 1001), 400, "id must be a string")
    wrong = {"appid": tenant.appid, "secret": "wrong", "id": tenant.user_id}
    assert_error(*api.post(UNLOCK, wrong), 401, APP_AUTH_FAILED)
    # The other app's id is still throttled: no app lifts another's throttle.
    status, body = api.post(
        "/v2/user/login", {"id": other_tenant.user_id, "password": USER_PASSWORD}
    )
    assert status == 429, body

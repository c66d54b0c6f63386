"""`/v1/agentLogin` and `/v2/user/login`, and the tokens they issue (docs/api.md, "Logins",
"Principals and tokens")."""

from __future__ import annotations

import uuid

import pytest
from starlette.testclient import TestClient

from contactd.domain.clock import now_ms
from contactd.domain.errors import AuthFailed
from contactd.domain.passwords import PasswordHasher
from contactd.domain.principals import PrincipalService
from contactd.domain.tokens import TOKEN_TTL_MS
from contactd.testing import app_services
from tests.contract.wire import AUTH_V3, Post, assert_error, assert_error_shape
from tests.helpers import USER_PASSWORD, Api, Tenant, contact

LOGINS = ["/v1/agentLogin", "/v2/user/login"]
HOUR_MS = 3600 * 1000


def test_user_login_body_is_the_vendors(post: Post, tenant: Tenant) -> None:
    status, body = post("/v2/user/login", {"id": tenant.user_id, "password": USER_PASSWORD})
    assert status == 200
    assert set(body) == {"code", "msg", "token", "agent"}
    assert (body["code"], body["msg"]) == (200, "User loged in successfully")
    assert body["agent"] == {
        "category": "inr",
        "id": tenant.user_id,
        "inet_no": tenant.appid,
        "name": "Asha Rao",
    }
    assert isinstance(body["token"], str)
    assert body["token"]


def test_agent_login_body_is_the_vendors(post: Post, tenant: Tenant) -> None:
    status, body = post("/v1/agentLogin", {"id": tenant.user_id, "password": USER_PASSWORD})
    assert status == 200
    assert set(body) == {"code", "msg", "token", "agent"}
    assert (body["code"], body["msg"]) == (200, "Agent loged in successfully")
    assert body["agent"] == {"id": tenant.user_id, "inet_no": tenant.appid, "name": "Asha Rao"}


@pytest.mark.parametrize("path", LOGINS)
def test_login_token_is_accepted_by_v3(post: Post, tenant: Tenant, path: str) -> None:
    status, body = post(path, {"id": tenant.user_id, "password": USER_PASSWORD})
    assert status == 200
    status, page = post("/v3/contact/get", {"token": body["token"]})
    assert (status, page["count"]) == (200, 0)


def test_every_login_issues_a_new_token_and_all_stay_live(
    api: Api, post: Post, tenant: Tenant
) -> None:
    tokens = {tenant.token, api.login(tenant.user_id), api.login(tenant.user_id)}
    assert len(tokens) == 3
    for token in tokens:
        assert post("/v3/contact/get", {"token": token})[0] == 200


@pytest.mark.parametrize("path", LOGINS)
def test_wrong_password_is_404(post: Post, tenant: Tenant, path: str) -> None:
    status, body = post(path, {"id": tenant.user_id, "password": "wrong-password"})
    assert_error_shape(status, body)
    assert status == 404


@pytest.mark.parametrize("path", LOGINS)
def test_unknown_or_malformed_id_is_404(post: Post, tenant: Tenant, path: str) -> None:
    for user_id in ("9999_{appid}", "1001_1000000", "1001", "abc", "", "1001_", "_{appid}"):
        body = {"id": user_id.format(appid=tenant.appid), "password": USER_PASSWORD}
        status, error = post(path, body)
        assert_error_shape(status, error)
        assert (user_id, status) == (user_id, 404)


@pytest.mark.parametrize("path", LOGINS)
def test_user_of_another_app_with_the_same_extension_is_404(
    post: Post, tenant: Tenant, other_tenant: Tenant, path: str
) -> None:
    extension = tenant.user_id.split("_")[0]
    other_id = f"{extension}_{other_tenant.appid}"
    status, _ = post(path, {"id": other_id, "password": "not-the-other-password"})
    assert status == 404


@pytest.mark.parametrize("path", LOGINS)
@pytest.mark.parametrize("missing", ["id", "password"])
def test_missing_field_is_400(post: Post, tenant: Tenant, path: str, missing: str) -> None:
    body = {"id": tenant.user_id, "password": USER_PASSWORD}
    del body[missing]
    status, error = post(path, body)
    assert_error(status, error, 400, f"{missing} is required")


@pytest.mark.parametrize("path", LOGINS)
def test_id_of_wrong_type_is_400(post: Post, path: str) -> None:
    status, body = post(path, {"id": 1001, "password": USER_PASSWORD})
    assert_error(status, body, 400, "id must be a string")


def test_unknown_token_is_404_on_v3(post: Post, tenant: Tenant) -> None:
    tokens = ["", " ", "nonsense", "1234567.forged", "1.2.3", ".x", "x" * 300, "\u0661\u0662.abc"]
    for token in tokens:
        status, body = post("/v3/contact/get", {"token": token})
        assert (token, status, body["msg"]) == (token, 404, AUTH_V3)
        assert_error(status, body, 404, AUTH_V3)


def test_token_of_another_app_prefix_is_404(
    post: Post, tenant: Tenant, other_tenant: Tenant
) -> None:
    _, secret_part = tenant.token.split(".", 1)
    status, body = post("/v3/contact/get", {"token": f"{other_tenant.appid}.{secret_part}"})
    assert_error(status, body, 404, AUTH_V3)


def test_token_of_wrong_type_is_400_on_v3(post: Post) -> None:
    status, body = post("/v3/contact/get", {"token": 12345})
    assert_error(status, body, 400, "token must be a string")


TOKENLESS_BODIES = {
    "/v3/contact/get": {},
    "/v3/contact/add": {"contacts": [contact(1)]},
    "/v3/contact/update": {"contacts": [{"contact_id": str(uuid.uuid4())}]},
    "/v3/contact/delete": {"contact_ids": [str(uuid.uuid4())]},
}


@pytest.mark.parametrize("path", TOKENLESS_BODIES.keys())
def test_missing_token_is_404_on_v3(post: Post, path: str) -> None:
    status, body = post(path, TOKENLESS_BODIES[path])
    assert_error(status, body, 404, AUTH_V3)


# -- expiry: tokens issued by a service whose clock is set back -------------------------------


def token_issued_at(client: TestClient, user_id: str, issued_at: int) -> str:
    """Log in through a PrincipalService over the app's own store, with a fixed clock."""
    services = app_services(client.app)
    hasher = PasswordHasher(time_cost=1, memory_kib=1024)
    principals = PrincipalService(services.store, hasher, clock=lambda app_id: issued_at)
    result = client.portal.call(principals.login, user_id, USER_PASSWORD)  # type: ignore[union-attr]
    token, _ = result.granted()
    return str(token)


def test_token_older_than_thirty_days_is_404(
    client: TestClient, post: Post, tenant: Tenant
) -> None:
    token = token_issued_at(client, tenant.user_id, now_ms() - TOKEN_TTL_MS - 1)
    status, body = post("/v3/contact/get", {"token": token})
    assert_error(status, body, 404, AUTH_V3)


def test_token_younger_than_thirty_days_is_live(
    client: TestClient, post: Post, tenant: Tenant
) -> None:
    token = token_issued_at(client, tenant.user_id, now_ms() - TOKEN_TTL_MS + HOUR_MS)
    assert post("/v3/contact/get", {"token": token})[0] == 200


def test_token_expires_exactly_thirty_days_after_login(client: TestClient, tenant: Tenant) -> None:
    services = app_services(client.app)
    hasher = PasswordHasher(time_cost=1, memory_kib=1024)
    now = [1_700_000_000_000]
    principals = PrincipalService(services.store, hasher, clock=lambda app_id: now[0])
    result = client.portal.call(principals.login, tenant.user_id, USER_PASSWORD)  # type: ignore[union-attr]
    token, _ = result.granted()
    now[0] += TOKEN_TTL_MS - 1
    client.portal.call(principals.authenticate, token)  # type: ignore[union-attr]
    now[0] += 1
    with pytest.raises(AuthFailed, match=AUTH_V3):
        client.portal.call(principals.authenticate, token)  # type: ignore[union-attr]


def test_token_of_a_removed_user_is_404_at_once(post: Post, tenant: Tenant) -> None:
    removal = {"appid": tenant.appid, "secret": tenant.secret, "agent_id": tenant.user_id}
    status, body = post("/v3/user/remove", removal)
    assert status == 200, body
    status, body = post("/v3/contact/get", {"token": tenant.token})
    assert_error(status, body, 404, AUTH_V3)


def test_no_token_is_kept_for_a_user_removed_during_its_login(
    client: TestClient, post: Post, tenant: Tenant
) -> None:
    # The race: the password check passed, then an admin removed the user before the
    # token was stored. The store must refuse the token rather than fail or keep it.
    store = app_services(client.app).store
    removal = {"appid": tenant.appid, "secret": tenant.secret, "agent_id": tenant.user_id}
    assert post("/v3/user/remove", removal)[0] == 200
    extension = int(tenant.user_id.split("_")[0])
    kept = client.portal.call(  # type: ignore[union-attr]
        store.add_token, tenant.appid, b"\x01" * 32, extension, now_ms() + TOKEN_TTL_MS
    )
    assert kept is False

"""Stand-in mode's journal (`POST /_contactd/requests`): each app's requests to the
vendor's API and their answers, oldest first, in a ring buffer of `journal_size`
entries, with every token, secret and password redacted in requests and answers.
Both backends."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings
from contactd.domain.clock import now_ms
from contactd.testing import app_services
from tests.contract.wire import APP_AUTH_FAILED, TOO_LARGE, assert_error
from tests.helpers import FAST_HASH, USER_PASSWORD, Api, Tenant, contact

REDACTED = "[redacted]"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, stand_in=True, **FAST_HASH)


def journal(api: Api, tenant: Tenant, **query: Any) -> dict[str, Any]:
    status, body = api.post(
        "/_contactd/requests", {"appid": tenant.appid, "secret": tenant.secret, **query}
    )
    assert status == 200, body
    return body  # type: ignore[no-any-return]


def entries(api: Api, tenant: Tenant, **query: Any) -> list[dict[str, Any]]:
    return list(journal(api, tenant, **query)["requests"])


def test_each_request_and_its_answer_is_kept_oldest_first(api: Api, tenant: Tenant) -> None:
    before = journal(api, tenant)
    # The tenant's own making: its user added, then logged in.
    assert [e["path"] for e in before["requests"]] == ["/v3/user/add", "/v2/user/login"]
    mark = before["last_seq"]
    response = api.client.post(
        "/v3/contact/add",
        json={"token": tenant.token, "contacts": [contact(1)]},
        headers={"Idempotency-Key": "add-once"},
    )
    assert response.status_code == 200
    api.post("/v3/contact/get", {"token": tenant.token, "limit": 5})
    added, listed = entries(api, tenant, since=mark)
    assert [added["seq"], listed["seq"]] == [mark + 1, mark + 2]
    assert added["method"] == "POST" and added["path"] == "/v3/contact/add"
    assert added["request"] == {"token": REDACTED, "contacts": [contact(1)]}
    assert added["status"] == 200 and added["response"] == response.json()
    assert added["idempotency_key"] == "add-once" and listed["idempotency_key"] is None
    assert added["fault"] is None and added["duration_ms"] >= 0
    assert abs(added["at_ms"] - now_ms()) < 60_000
    assert listed["request"] == {"token": REDACTED, "limit": 5}
    assert listed["response"]["contacts"][0]["phone_no"] == contact(1)["phone_no"]


def test_an_entry_is_timed_by_its_apps_clock(api: Api, tenant: Tenant) -> None:
    at = 1_900_000_000_000
    api.post("/_contactd/clock", {"appid": tenant.appid, "secret": tenant.secret, "set_ms": at})
    api.post("/v3/contact/get", {"token": tenant.token})
    [entry] = entries(api, tenant, path="/v3/contact/get")
    assert at <= entry["at_ms"] < at + 60_000


def test_tokens_secrets_and_passwords_are_redacted_at_any_depth(api: Api, tenant: Tenant) -> None:
    admin = {"appid": tenant.appid, "secret": tenant.secret}
    status, answer = api.post("/v2/token", admin)  # answers an admin token as `secret`
    assert status == 200, answer
    extras = {
        "new_password": "hunter2-new",
        "meta": {"Admin_Token": "adm.1.2.3", "notes": [{"API_SECRET": "s3cr3t-deep"}]},
    }
    api.post("/v3/contact/get", {"token": tenant.token, **extras})
    fresh = api.login(tenant.user_id)
    kept = entries(api, tenant)
    token_answer = next(e for e in kept if e["path"] == "/v2/token")
    assert token_answer["request"] == {"appid": tenant.appid, "secret": REDACTED}
    assert token_answer["response"]["secret"] == REDACTED
    assert token_answer["response"]["expiresIn"] == answer["expiresIn"]
    read = next(e for e in kept if e["path"] == "/v3/contact/get")
    assert read["request"] == {
        "token": REDACTED,
        "new_password": REDACTED,
        "meta": {"Admin_Token": REDACTED, "notes": [{"API_SECRET": REDACTED}]},
    }
    logins = [e for e in kept if e["path"] == "/v2/user/login"]
    assert [e["request"]["password"] for e in logins] == [REDACTED, REDACTED]
    assert [e["response"]["token"] for e in logins] == [REDACTED, REDACTED]
    text = json.dumps(kept)
    for credential in (
        tenant.secret, tenant.token, fresh, answer["secret"], USER_PASSWORD,
        "hunter2-new", "adm.1.2.3", "s3cr3t-deep",
    ):  # fmt: skip
        assert credential not in text


def test_a_form_body_and_a_body_that_does_not_decode_are_redacted_too(
    api: Api, tenant: Tenant
) -> None:
    form = api.client.post(
        "/v2/user/login",
        content=f"id={tenant.user_id}&password={USER_PASSWORD}".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 200
    # Cut short: not JSON, but the token still names the app.
    broken = f'{{"token": "{tenant.token}", "secret": \'{tenant.secret}\', "limit": '
    api.client.post("/v3/contact/get", content=broken.encode())
    kept = entries(api, tenant)
    assert kept[-2]["request"] == {"id": tenant.user_id, "password": REDACTED}
    assert kept[-2]["response"]["token"] == REDACTED
    assert kept[-1]["path"] == "/v3/contact/get" and kept[-1]["status"] == 400
    text = kept[-1]["request"]
    assert text.startswith('{"token": "[redacted]"') and tenant.secret not in text
    assert tenant.token not in text and text.endswith('"limit": ')


def test_the_bound_keeps_the_newest_and_counts_the_dropped(database_url: str) -> None:
    settings = Settings(database_url=database_url, stand_in=True, journal_size=5, **FAST_HASH)
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        tenant = api.tenant()  # two entries
        for limit in range(1, 7):
            api.post("/v3/contact/get", {"token": tenant.token, "limit": limit})
        answer = journal(api, tenant)
        assert [e["seq"] for e in answer["requests"]] == [4, 5, 6, 7, 8]
        assert [e["request"]["limit"] for e in answer["requests"]] == [2, 3, 4, 5, 6]
        assert (answer["dropped"], answer["last_seq"]) == (3, 8)
        # `since` a dropped entry: what is kept after it.
        assert [e["seq"] for e in entries(api, tenant, since=1)] == [4, 5, 6, 7, 8]
        assert [e["seq"] for e in entries(api, tenant, since=6)] == [7, 8]
        assert entries(api, tenant, since=8) == []


def test_path_since_and_limit_choose_the_entries(api: Api, tenant: Tenant) -> None:
    mark = journal(api, tenant)["last_seq"]
    api.add_contacts(tenant.token, [contact(1)])
    api.post("/v3/contact/get", {"token": tenant.token})
    api.post("/v1/getContact", {"token": tenant.token})
    api.post("/v3/contact/get", {"token": tenant.token})
    paths = [e["path"] for e in entries(api, tenant, since=mark, path="/v3/contact/*")]
    assert paths == ["/v3/contact/add", "/v3/contact/get", "/v3/contact/get"]
    gets = entries(api, tenant, path="/v3/contact/get")
    assert [e["seq"] for e in gets] == [mark + 2, mark + 4]
    first_two = entries(api, tenant, since=mark, limit=2)
    assert [e["seq"] for e in first_two] == [mark + 1, mark + 2]
    answer = journal(api, tenant, path="/v1/*", limit=1)
    assert [e["path"] for e in answer["requests"]] == ["/v1/getContact"]
    assert answer["last_seq"] == mark + 4  # the newest entry's, matching or not


def test_each_app_has_a_journal_of_its_own(api: Api, tenant: Tenant, other_tenant: Tenant) -> None:
    api.post("/v3/contact/get", {"token": tenant.token, "limit": 7})
    # Another app's appid with a wrong secret is that app's request: in its journal.
    api.post("/v3/user/list", {"appid": other_tenant.appid, "secret": "wrong"})
    mine = entries(api, tenant, path="/v3/*")
    theirs = entries(api, other_tenant, path="/v3/*")
    assert [e["path"] for e in mine] == ["/v3/user/add", "/v3/contact/get"]
    assert [e["path"] for e in theirs] == ["/v3/user/add", "/v3/user/list"]
    assert theirs[-1]["status"] == 401


def test_the_app_is_told_by_login_id_and_admin_token_too(api: Api, tenant: Tenant) -> None:
    api.post("/v1/agentLogin", {"id": tenant.user_id, "password": "not-it"})
    api.post("/v3/contact/get", {"token": f"adm.{tenant.appid}.1.mac"})
    last_two = entries(api, tenant)[-2:]
    assert [(e["path"], e["status"]) for e in last_two] == [
        ("/v1/agentLogin", 404),
        ("/v3/contact/get", 404),
    ]


def test_control_calls_other_paths_and_unknown_apps_are_not_journaled(
    api: Api, tenant: Tenant
) -> None:
    mark = journal(api, tenant)["last_seq"]
    api.post("/_contactd/clock", {"appid": tenant.appid, "secret": tenant.secret, "reset": True})
    api.client.get("/healthz")
    api.client.get("/openapi.json")
    api.post("/v3/contact/get", {"token": "999999.not-an-app"})
    api.post("/v3/contact/get", {"token": "no-app-at-all"})
    assert journal(api, tenant)["last_seq"] == mark
    stand_in = app_services(api.client.app).stand_in
    assert stand_in is not None and 999999 not in stand_in.journals


def test_a_body_over_the_limit_is_refused_as_without_stand_in_mode(
    api: Api, tenant: Tenant
) -> None:
    padding = "x" * (1024 * 1024)
    body = json.dumps({"token": tenant.token, "pad": padding}).encode()
    response = api.client.post("/v3/contact/get", content=body)
    assert_error(response.status_code, response.json(), 413, TOO_LARGE)
    assert entries(api, tenant)[-1]["path"] == "/v2/user/login"  # not journaled


def test_a_large_body_is_noted_by_its_size(api: Api, tenant: Tenant) -> None:
    body = json.dumps({"token": tenant.token, "pad": "x" * 70_000}).encode()
    response = api.client.post("/v3/contact/get", content=body)
    assert response.status_code == 200
    [read] = entries(api, tenant, path="/v3/contact/get")
    assert read["request"] == f"[{len(body)} bytes: over the 65536 the journal keeps of a body]"
    assert read["response"] == response.json()


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"limit": 0}, "limit must be between 1 and 10000"),
        ({"limit": 10_001}, "limit must be between 1 and 10000"),
        ({"since": -1}, "since must be"),
        ({"path": ""}, "path must be at least 1 character"),
    ],
)
def test_a_bad_query_is_400_naming_the_field(
    api: Api, tenant: Tenant, query: dict[str, Any], named: str
) -> None:
    status, body = api.post(
        "/_contactd/requests", {"appid": tenant.appid, "secret": tenant.secret, **query}
    )
    assert status == 400 and named in body["msg"], body


def test_wrong_app_credentials_are_401(api: Api, tenant: Tenant) -> None:
    status, body = api.post("/_contactd/requests", {"appid": tenant.appid, "secret": "no"})
    assert_error(status, body, 401, APP_AUTH_FAILED)


@pytest.fixture
def every_log_line(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.DEBUG):
        yield caplog


def test_nothing_of_a_body_reaches_the_logs(
    api: Api, tenant: Tenant, every_log_line: pytest.LogCaptureFixture
) -> None:
    token = api.login(tenant.user_id)
    api.post("/v3/contact/get", {"token": token, "new_password": "log-me-not"})
    api.post("/v3/contact/get", {"token": "999.unknown", "secret": "nor-me"})
    journal(api, tenant)
    logged = every_log_line.text
    for text in (token, USER_PASSWORD, "log-me-not", "nor-me", tenant.secret):
        assert text not in logged


@pytest.mark.parametrize(
    "body",
    [
        b'{"appid": true, "secret": "s"}',
        b'{"appid": 99999999999999999999999, "secret": "s"}',
        b'{"appid": 1.5, "token": ["1.x"], "id": 101}',
        b'{"token": {"a": 1}, "id": "101_"}',
        b'{"id": "101_99999999999"}',
        b"[1, 2, 3]",
        b'"just a string"',
        b"",
        b"\xff\xfe{not utf-8",
        b'{"token": "' + b"9" * 300 + b'.x"}',
        b'{"a":' * 5000 + b"1" + b"}" * 5000,
        b"appid=abc&token=%zz&id=%%%",
    ],
)
def test_odd_bodies_are_answered_as_client_errors(api: Api, tenant: Tenant, body: bytes) -> None:
    for path in ("/v3/contact/get", "/v2/user/login", "/v3/user/list"):
        for content_type in ("application/json", "application/x-www-form-urlencoded"):
            response = api.client.post(path, content=body, headers={"content-type": content_type})
            assert 400 <= response.status_code < 500, (path, response.text)
            assert response.json()["status"] == "error"

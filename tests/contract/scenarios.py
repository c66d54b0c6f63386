"""End-to-end scenarios over the wire, shared by the in-process and black-box tiers.

Each scenario takes a `post` callable and a freshly created app (appid + secret), builds
what it needs through the public API, and checks the contract. `test_scenarios.py` runs
them in-process; `tests/integration/test_blackbox.py` runs them against a real process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.contract.wire import (
    APP_AUTH_FAILED,
    AUTH_V3,
    NOT_JSON,
    NOT_OBJECT,
    Post,
    assert_duplicates,
    assert_error,
    assert_error_shape,
)

PASSWORD = "scenario-password"


@dataclass(frozen=True)
class AppCredentials:
    appid: int
    secret: str


Scenario = Callable[[Post, AppCredentials], None]


def person(n: int, **fields: Any) -> dict[str, Any]:
    """A valid v3 contact whose phone (`9191000000nn`) is unique for each n."""
    return {
        "phone_no": f"9191{n:08d}",
        "first_name": f"Given{n}",
        "last_name": f"Family{n}",
        **fields,
    }


def add_user(post: Post, app: AppCredentials, extension: int = 2001) -> str:
    status, body = post(
        "/v3/user/add",
        {
            "appid": app.appid,
            "secret": app.secret,
            "extension": extension,
            "first_name": "Scenario",
            "last_name": "User",
            "phone_number": "919812345678",
            "password": PASSWORD,
        },
    )
    assert status == 200, body
    return str(body["agent"]["agent_id"])


def login(post: Post, user_id: str) -> str:
    status, body = post("/v2/user/login", {"id": user_id, "password": PASSWORD})
    assert status == 200, body
    return str(body["token"])


def new_token(post: Post, app: AppCredentials) -> str:
    return login(post, add_user(post, app))


def add(post: Post, token: str, contacts: list[dict[str, Any]]) -> list[str]:
    status, body = post("/v3/contact/add", {"token": token, "contacts": contacts})
    assert status == 200, body
    assert body["msg"] == "Contact added successfully"
    return list(body["contact_ids"])


def get_page(post: Post, token: str, **fields: Any) -> dict[str, Any]:
    status, body = post("/v3/contact/get", {"token": token, **fields})
    assert status == 200, body
    return dict(body)


def walk(post: Post, token: str, limit: int) -> list[dict[str, Any]]:
    """Every page from the first until `page_state` is null; the pages' bodies."""
    pages = [get_page(post, token, limit=limit)]
    while pages[-1]["page_state"] is not None:
        pages.append(get_page(post, token, limit=limit, page_state=pages[-1]["page_state"]))
        assert len(pages) < 1000
    return pages


# -- scenarios -----------------------------------------------------------------------------


def users_log_in_with_both_generations(post: Post, app: AppCredentials) -> None:
    user_id = add_user(post, app, extension=2002)
    assert user_id == f"2002_{app.appid}"
    status, v2 = post("/v2/user/login", {"id": user_id, "password": PASSWORD})
    assert status == 200
    assert v2["msg"] == "User loged in successfully"
    assert v2["agent"] == {
        "category": "inr",
        "id": user_id,
        "inet_no": app.appid,
        "name": "Scenario User",
    }
    status, v1 = post("/v1/agentLogin", {"id": user_id, "password": PASSWORD})
    assert status == 200
    assert v1["msg"] == "Agent loged in successfully"
    assert v1["token"] != v2["token"]
    for token in (v1["token"], v2["token"]):
        assert get_page(post, token)["count"] == 0
    status, body = post("/v2/user/login", {"id": user_id, "password": "wrong-password"})
    assert status == 404
    assert_error_shape(status, body)


def contact_round_trip(post: Post, app: AppCredentials) -> None:
    token = new_token(post, app)
    ids = add(post, token, [person(1), person(2, email_id="john.doe@example.com"), person(3)])
    body = get_page(post, token, contact_id=ids[1])
    assert body["count"] == 3
    assert body["contacts"] == [
        {
            "contact_id": ids[1],
            "phone_no": "919100000002",
            "first_name": "Given2",
            "last_name": "Family2",
            "email_id": "john.doe@example.com",
            "company": "",
            "job_title": "",
        }
    ]
    change = {"contact_id": ids[1], "company": "Acme Corp", "job_title": "Software Engineer"}
    status, body = post("/v3/contact/update", {"token": token, "contacts": [change]})
    assert (status, body) == (200, {"code": 200, "msg": "Contacts updated successfully"})
    [updated] = get_page(post, token, contact_id=ids[1])["contacts"]
    assert (updated["company"], updated["job_title"]) == ("Acme Corp", "Software Engineer")
    assert updated["first_name"] == "Given2"
    status, body = post("/v3/contact/delete", {"token": token, "contact_ids": ids[:2]})
    assert (status, body) == (
        200,
        {"code": 200, "msg": "Contacts Deleted Successfully", "deleted": 2},
    )
    remaining = get_page(post, token)
    assert remaining["count"] == 1
    assert [c["contact_id"] for c in remaining["contacts"]] == [ids[2]]


def pages_walk_to_the_end(post: Post, app: AppCredentials) -> None:
    token = new_token(post, app)
    ids = add(post, token, [person(n) for n in range(15)])
    ids += add(post, token, [person(n) for n in range(15, 25)])
    pages = walk(post, token, limit=10)
    assert [len(page["contacts"]) for page in pages] == [10, 10, 5]
    assert [c["contact_id"] for page in pages for c in page["contacts"]] == ids
    assert {page["count"] for page in pages} == {25}


def duplicates_are_refused_whole(post: Post, app: AppCredentials) -> None:
    token = new_token(post, app)
    add(post, token, [person(1)])
    status, body = post("/v3/contact/add", {"token": token, "contacts": [person(1), person(2)]})
    assert_duplicates(status, body, ["919100000001"])
    twice = [person(3), person(4, phone_no="+919100000003")]
    status, body = post("/v3/contact/add", {"token": token, "contacts": twice})
    assert status == 409
    assert_error_shape(status, body)
    assert get_page(post, token)["count"] == 1


def errors_have_one_shape(post: Post, app: AppCredentials) -> None:
    token = new_token(post, app)
    status, body = post("/v3/contact/get", b'{"token": ')
    assert_error(status, body, 400, NOT_JSON)
    status, body = post("/v3/contact/add", [])
    assert_error(status, body, 400, NOT_OBJECT)
    status, body = post("/v3/contact/get", {"token": token, "limit": 101})
    assert_error(status, body, 400, "limit must be between 1 and 100")
    status, body = post("/v3/contact/get", {"token": token + "x"})
    assert_error(status, body, 404, AUTH_V3)
    status, body = post("/v3/contact/get", {"token": token, "page_state": "forged"})
    assert_error(status, body, 400, "invalid page_state")
    bad_phone = person(1, phone_no="91abc")
    status, body = post("/v3/contact/add", {"token": token, "contacts": [bad_phone]})
    assert_error(status, body, 400, "contacts[0].phone_no must contain digits only")
    user = {
        "appid": app.appid,
        "secret": app.secret + "x",
        "extension": 2003,
        "first_name": "Wrong",
        "last_name": "Secret",
        "phone_number": "919812345678",
        "password": PASSWORD,
    }
    status, body = post("/v3/user/add", user)
    assert_error(status, body, 401, APP_AUTH_FAILED)


SCENARIOS: dict[str, Scenario] = {
    scenario.__name__: scenario
    for scenario in (
        users_log_in_with_both_generations,
        contact_round_trip,
        pages_walk_to_the_end,
        duplicates_are_refused_whole,
        errors_have_one_shape,
    )
}

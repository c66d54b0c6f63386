"""The `contactd_server` fixture, used exactly as an integrator's test suite would.

No import from contactd: the fixture arrives through the `pytest11` entry point, and
the test talks to it with plain httpx, as any TeleCMI client would.
"""

from __future__ import annotations

from typing import Any

import httpx


def post(base_url: str, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(base_url + path, json=body, timeout=10.0)


def test_a_telecmi_client_runs_against_the_fixture(contactd_server: Any) -> None:
    base_url, token = contactd_server.base_url, contactd_server.token
    added = post(
        base_url,
        "/v3/contact/add",
        {
            "token": token,
            "contacts": [
                {"phone_no": "919200000000", "first_name": "John", "last_name": "Doe",
                 "email_id": "john.doe@example.com"},
                {"phone_no": "919200000001", "first_name": "Jane", "last_name": "Roe"},
            ],
        },
    )  # fmt: skip
    assert added.status_code == 200, added.text
    assert added.json()["msg"] == "Contact added successfully"

    first = post(base_url, "/v3/contact/get", {"token": token, "limit": 1}).json()
    assert (first["count"], first["contacts"][0]["first_name"]) == (2, "John")
    rest = post(
        base_url, "/v3/contact/get", {"token": token, "page_state": first["page_state"]}
    ).json()
    assert ([c["first_name"] for c in rest["contacts"]], rest["page_state"]) == (["Jane"], None)


def test_the_fixture_gives_working_credentials(contactd_server: Any) -> None:
    login = post(
        contactd_server.base_url,
        "/v1/agentLogin",
        {"id": contactd_server.user_id, "password": contactd_server.password},
    )
    assert (login.status_code, login.json()["msg"]) == (200, "Agent loged in successfully")
    admin = post(
        contactd_server.base_url,
        "/v3/user/add",
        {
            "appid": contactd_server.appid, "secret": contactd_server.secret,
            "extension": 1002, "first_name": "B", "last_name": "C",
            "phone_number": "919800000001", "password": "another-password",
        },
    )  # fmt: skip
    assert admin.status_code == 200, admin.text


def test_each_test_gets_a_fresh_store(contactd_server: Any) -> None:
    page = post(contactd_server.base_url, "/v3/contact/get", {"token": contactd_server.token})
    assert page.json()["count"] == 0

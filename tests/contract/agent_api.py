"""Helpers for the v1 agent contact API and the admin provisioning tests: thin wrappers
over `post` that assert the call succeeded, so each test reads as the rule it checks."""

from __future__ import annotations

from typing import Any

from tests.helpers import Api

UPDATED = {"code": 200, "msg": "Contact updated"}
REMOVED = {"code": 200, "msg": "Contact Removed"}
AUTH_FAILED = "Authenticated user record not found"
APP_AUTH_FAILED = "Invalid appid or secret"
V1_CONTACT_KEYS = {
    "agent",
    "inet_no",
    "name",
    "mobile",
    "tag",
    "time",
    "remindme",
    "status",
    "email",
    "info",
    "notes",
}


def v1_update(api: Api, token: str, name: str, phone: Any, **fields: Any) -> None:
    status, body = api.post(
        "/v1/updateContact", {"token": token, "name": name, "from": phone, **fields}
    )
    assert (status, body) == (200, UPDATED), body


def v1_get(api: Api, token: str, page: int = 1, **fields: Any) -> dict[str, Any]:
    status, body = api.post("/v1/getContact", {"token": token, "page": page, **fields})
    assert status == 200, body
    assert body["code"] == 200
    return dict(body)


def v1_names(api: Api, token: str, name: str = "", **fields: Any) -> tuple[int, list[str]]:
    """The count and the names on one page of a name search."""
    body = v1_get(api, token, name=name, **fields)
    return body["count"], [c["name"] for c in body["contacts"]]


def v1_one(api: Api, token: str, phone: int) -> dict[str, Any]:
    """The v1 view of the contact with that `mobile` (the app must hold < 1000)."""
    found = [c for c in v1_get(api, token, limit=1000)["contacts"] if c["mobile"] == phone]
    assert len(found) == 1, found
    return dict(found[0])


def v3_read(api: Api, token: str, contact_id: str) -> dict[str, Any]:
    status, body = api.post("/v3/contact/get", {"token": token, "contact_id": contact_id})
    assert status == 200, body
    [found] = body["contacts"]
    return dict(found)


def v3_all(api: Api, token: str) -> list[dict[str, Any]]:
    status, body = api.post("/v3/contact/get", {"token": token, "limit": 100})
    assert status == 200, body
    assert body["page_state"] is None, "the test app holds more than one v3 page"
    return list(body["contacts"])


def v3_count(api: Api, token: str) -> int:
    status, body = api.post("/v3/contact/get", {"token": token, "limit": 1})
    assert status == 200, body
    return int(body["count"])

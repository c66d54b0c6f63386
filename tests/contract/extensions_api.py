"""Helpers for the extensions' tests (`/x/contacts/search`, `/x/contacts/due`): a call
that asserts it succeeded, a walk over every page, and a second principal (a v1 agent)
of a tenant."""

from __future__ import annotations

from typing import Any

from tests.helpers import USER_PASSWORD, Api, Tenant

SEARCH = "/x/contacts/search"
DUE = "/x/contacts/due"
X_CONTACT_KEYS = [
    "contact_id",
    "phone_no",
    "mobile",
    "name",
    "first_name",
    "last_name",
    "email_id",
    "company",
    "job_title",
    "tag",
    "status",
    "remindme",
    "time",
    "agent",
    "info",
]


def x_page(api: Api, path: str, token: str, **fields: Any) -> dict[str, Any]:
    status, body = api.post(path, {"token": token, **fields})
    assert status == 200, body
    assert list(body) == ["code", "count", "contacts", "page_state"], body
    assert body["code"] == 200
    for found in body["contacts"]:
        assert list(found) == X_CONTACT_KEYS
    return dict(body)


def x_walk(
    api: Api, path: str, token: str, *, limit: int, **fields: Any
) -> tuple[list[int], list[dict[str, Any]]]:
    """Every page from the first to the one without a next: the count each page gave,
    and the contacts of all pages in order. Every page but the last is full."""
    counts: list[int] = []
    found: list[dict[str, Any]] = []
    page_state: str | None = None
    while True:
        body = x_page(api, path, token, limit=limit, page_state=page_state, **fields)
        counts.append(body["count"])
        found += body["contacts"]
        page_state = body["page_state"]
        if page_state is None:
            assert len(body["contacts"]) <= limit
            return counts, found
        assert len(body["contacts"]) == limit, "only the last page may be short"
        assert len(counts) <= 1000


def add_agent(api: Api, tenant: Tenant, extension: int = 101) -> tuple[str, str]:
    """A v1 agent of the tenant's app, logged in through v1: its id and token."""
    status, body = api.post(
        "/v1/agent/add",
        {
            "appid": tenant.appid,
            "secret": tenant.secret,
            "extension": extension,
            "name": "Mike Ross",
            "phone_number": 9100000000 + extension,
            "password": USER_PASSWORD,
        },
    )
    assert status == 200, body
    agent_id = str(body["agent"]["agent_id"])
    status, body = api.post("/v1/agentLogin", {"id": agent_id, "password": USER_PASSWORD})
    assert status == 200, body
    return agent_id, str(body["token"])

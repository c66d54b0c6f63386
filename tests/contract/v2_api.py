"""Helpers for the v2 contact, notes and tags tests: thin wrappers over `api.post` that
assert the call succeeded, so each test reads as the rule it checks."""

from __future__ import annotations

from typing import Any

from tests.helpers import Api

V2_GET = "/v2/user/contact/get"
V2_UPDATE = "/v2/user/contact/update"
V2_DELETE = "/v2/user/contact/delete"
NOTES_ADD = "/v2/user/notes/add"
NOTES_GET = "/v2/user/notes/get"
TAGS_GET = "/v2/user/tags/get"
ADMIN_TAGS = "/x/admin/tags"
NOTE_ADDED = {"status": "success", "code": 200}
# Past every date a test sends: notes/get with it answers every note.
LATER = 4_000_000_000_000


def v2_get(api: Api, token: str, **fields: Any) -> dict[str, Any]:
    status, body = api.post(V2_GET, {"token": token, **fields})
    assert status == 200, body
    assert list(body) == ["count", "contacts", "code"], body
    assert body["code"] == 200
    return dict(body)


def v2_one(api: Api, token: str, phone: int) -> dict[str, Any]:
    """The v2 view of the contact with that `mobile`, walking every page of 10."""
    found: list[dict[str, Any]] = []
    page = 1
    while contacts := v2_get(api, token, page=page)["contacts"]:
        found += [c for c in contacts if c["mobile"] == phone]
        page += 1
    assert len(found) == 1, found
    return found[0]


def v2_update(api: Api, token: str, name: str, phone: Any, **fields: Any) -> None:
    status, body = api.post(
        V2_UPDATE, {"token": token, "name": name, "phone_number": phone, **fields}
    )
    assert (status, body) == (200, {"code": 200, "msg": "Contact updated"}), body


def add_note(api: Api, token: str, phone: Any, msg: str, date: int, name: str = "Asha") -> None:
    status, body = api.post(
        NOTES_ADD, {"token": token, "name": name, "from": phone, "date": date, "msg": msg}
    )
    assert (status, body) == (200, NOTE_ADDED), body


def notes_of(api: Api, token: str, phone: Any, date: int = LATER) -> dict[str, Any]:
    status, body = api.post(NOTES_GET, {"token": token, "phone_number": phone, "date": date})
    assert status == 200, body
    assert list(body) == ["notes", "code", "name", "tag"], body
    assert body["code"] == 200
    return dict(body)


def tags_of(api: Api, token: str) -> list[str]:
    status, body = api.post(TAGS_GET, {"token": token})
    assert status == 200, body
    assert list(body) == ["code", "tags", "sucess"], body
    assert (body["code"], body["sucess"]) == (200, True)
    return list(body["tags"])

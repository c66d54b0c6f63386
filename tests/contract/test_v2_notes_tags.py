"""`/v2/user/notes/add`, `/v2/user/notes/get`, `/v2/user/tags/get` and the admin's tag
catalogue `/x/admin/tags` (docs/api.md, "v2 contacts")."""

from __future__ import annotations

import pytest

from tests.contract.agent_api import APP_AUTH_FAILED, AUTH_FAILED, v1_update, v3_count
from tests.contract.v2_api import (
    ADMIN_TAGS,
    NOTES_ADD,
    NOTES_GET,
    TAGS_GET,
    add_note,
    notes_of,
    tags_of,
    v2_get,
    v2_one,
    v2_update,
)
from tests.contract.wire import Post, assert_error
from tests.helpers import Api, Tenant

PHONE = 19170000001

# -- notes/add ----------------------------------------------------------------------------


def test_a_note_for_a_new_number_creates_the_contact_with_that_name(
    api: Api, tenant: Tenant
) -> None:
    add_note(api, tenant.token, PHONE, "Called about the plan", 1629980029850, name="John Doe")
    assert v3_count(api, tenant.token) == 1
    found = v2_one(api, tenant.token, PHONE)
    assert (found["name"], found["info"], found["tag"]) == ("John Doe", "", "")
    assert found["notes"] == [
        {"msg": "Called about the plan", "date": 1629980029850, "agent": tenant.user_id}
    ]


def test_a_note_for_a_stored_number_is_appended_and_takes_the_name(
    api: Api, tenant: Tenant
) -> None:
    v2_update(api, tenant.token, "John", PHONE, tag="Sales", info="First call")
    add_note(api, tenant.token, PHONE, "Second call", 1629980029850, name="John Doe")
    found = v2_one(api, tenant.token, PHONE)
    assert (found["name"], found["tag"], found["info"]) == ("John Doe", "Sales", "First call")
    assert [n["msg"] for n in found["notes"]] == ["First call", "Second call"]
    assert v3_count(api, tenant.token) == 1


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"msg": "  "}, "msg must not be empty"),
        ({"name": ""}, "name must not be empty"),
        ({"from": "91x"}, "from must contain digits only"),
        ({"date": -1}, "date must be between 0 and 253402300799999"),
        ({"date": "today"}, "date must be an integer"),
        ({"msg": "m" * 2001}, "msg must be at most 2000 characters"),
    ],
)
def test_a_bad_note_is_a_400_and_stores_nothing(
    api: Api, post: Post, tenant: Tenant, fields: dict, msg: str
) -> None:
    sent = {"token": tenant.token, "name": "John", "from": PHONE, "date": 1, "msg": "hi"}
    status, body = post(NOTES_ADD, {**sent, **fields})
    assert_error(status, body, 400, msg)
    assert v3_count(api, tenant.token) == 0


@pytest.mark.parametrize("missing", ["name", "from", "date", "msg"])
def test_each_field_of_a_note_is_required(post: Post, tenant: Tenant, missing: str) -> None:
    sent = {"token": tenant.token, "name": "John", "from": PHONE, "date": 1, "msg": "hi"}
    del sent[missing]
    status, body = post(NOTES_ADD, sent)
    assert_error(status, body, 400, f"{missing} is required")


def test_notes_refuse_a_bad_token_with_a_404(post: Post) -> None:
    note = {"token": "x", "name": "John", "from": PHONE, "date": 1, "msg": "hi"}
    assert_error(*post(NOTES_ADD, note), 404, AUTH_FAILED)
    assert_error(
        *post(NOTES_GET, {"token": "x", "phone_number": PHONE, "date": 1}), 404, AUTH_FAILED
    )
    assert_error(*post(TAGS_GET, {"token": "x"}), 404, AUTH_FAILED)


# -- notes/get ----------------------------------------------------------------------------


def test_notes_up_to_a_date_come_oldest_first(api: Api, tenant: Tenant) -> None:
    v2_update(api, tenant.token, "John Doe", PHONE, tag="Sales")
    # Added out of date order: a client's clock is its own.
    for msg, date in [("b", 2000), ("a", 1000), ("c", 3000), ("b2", 2000)]:
        add_note(api, tenant.token, PHONE, msg, date, name="John Doe")
    body = notes_of(api, tenant.token, PHONE, date=2000)
    assert (body["name"], body["tag"]) == ("John Doe", "Sales")
    assert body["notes"] == [
        {"msg": "a", "date": 1000, "agent": tenant.user_id},
        {"msg": "b", "date": 2000, "agent": tenant.user_id},
        {"msg": "b2", "date": 2000, "agent": tenant.user_id},
    ]
    assert notes_of(api, tenant.token, PHONE, date=999)["notes"] == []
    assert [n["msg"] for n in notes_of(api, tenant.token, PHONE)["notes"]] == ["a", "b", "b2", "c"]


def test_notes_of_a_number_the_app_does_not_hold_are_a_404(post: Post, tenant: Tenant) -> None:
    status, body = post(NOTES_GET, {"token": tenant.token, "phone_number": PHONE, "date": 1})
    assert_error(status, body, 404, "contact not found")
    status, body = post(NOTES_GET, {"token": tenant.token, "phone_number": PHONE})
    assert_error(status, body, 400, "date is required")
    status, body = post(NOTES_GET, {"token": tenant.token, "date": 1})
    assert_error(status, body, 400, "phone_number is required")


# -- tags ---------------------------------------------------------------------------------


def test_tags_are_the_catalogue_then_the_other_tags_in_use(
    api: Api, post: Post, tenant: Tenant
) -> None:
    assert tags_of(api, tenant.token) == []
    for n, tag in enumerate(["Support", "callback", "Spam", "", "Support", "Zeta"]):
        v1_update(api, tenant.token, f"C{n}", 9100000000 + n, tag=tag)
    assert tags_of(api, tenant.token) == ["Spam", "Support", "Zeta", "callback"]
    admin = {"appid": tenant.appid, "secret": tenant.secret}
    status, body = post(ADMIN_TAGS, {**admin, "tags": [" Sales ", "Support", "Sales", "Spam"]})
    assert (status, body) == (200, {"code": 200, "tags": ["Sales", "Support", "Spam"]})
    assert tags_of(api, tenant.token) == ["Sales", "Support", "Spam", "Zeta", "callback"]
    # A tag no contact carries any more leaves the list; the catalogue's stay.
    v1_update(api, tenant.token, "C5", 9100000005, tag="")
    v1_update(api, tenant.token, "C2", 9100000002, tag="")
    assert tags_of(api, tenant.token) == ["Sales", "Support", "Spam", "callback"]
    status, body = post(ADMIN_TAGS, {**admin, "tags": []})
    assert (status, body) == (200, {"code": 200, "tags": []})
    assert tags_of(api, tenant.token) == ["Support", "callback"]


def test_each_app_has_its_own_tags(
    api: Api, post: Post, tenant: Tenant, other_tenant: Tenant
) -> None:
    v1_update(api, tenant.token, "C", 9100000000, tag="Mine")
    admin = {"appid": other_tenant.appid, "secret": other_tenant.secret}
    assert post(ADMIN_TAGS, {**admin, "tags": ["Theirs"]})[0] == 200
    assert tags_of(api, tenant.token) == ["Mine"]
    assert tags_of(api, other_tenant.token) == ["Theirs"]


@pytest.mark.parametrize(
    ("tags", "code", "msg"),
    [
        (["Sales", "  "], 400, "tags[1] must not be empty"),
        (["t"] * 101, 400, "tags must hold at most 100 items"),
        (["x" * 201], 400, "tags[0] must be at most 200 characters"),
        ("Sales", 400, "tags must be an array"),
    ],
)
def test_a_bad_catalogue_is_a_400_and_keeps_the_old_one(
    api: Api, post: Post, tenant: Tenant, tags: object, code: int, msg: str
) -> None:
    admin = {"appid": tenant.appid, "secret": tenant.secret}
    assert post(ADMIN_TAGS, {**admin, "tags": ["Sales"]})[0] == 200
    assert_error(*post(ADMIN_TAGS, {**admin, "tags": tags}), code, msg)
    assert tags_of(api, tenant.token) == ["Sales"]


def test_the_catalogue_takes_the_apps_credentials(api: Api, post: Post, tenant: Tenant) -> None:
    status, body = post(ADMIN_TAGS, {"appid": tenant.appid, "secret": "wrong", "tags": ["S"]})
    assert_error(status, body, 401, APP_AUTH_FAILED)
    status, body = post(ADMIN_TAGS, {"appid": tenant.appid, "secret": tenant.secret})
    assert_error(status, body, 400, "tags is required")
    assert tags_of(api, tenant.token) == []
    assert v2_get(api, tenant.token)["count"] == 0

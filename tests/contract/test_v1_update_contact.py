"""`/v1/updateContact`: change the contact with a phone, or create it (docs/api.md,
"v1 contacts")."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.contract.agent_api import (
    AUTH_FAILED,
    UPDATED,
    v1_get,
    v1_one,
    v1_update,
    v3_all,
    v3_count,
)
from tests.contract.wire import assert_error
from tests.helpers import Api, Tenant, contact

UPDATE = "/v1/updateContact"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


# -- creating --------------------------------------------------------------------------------


def test_an_unknown_phone_creates_the_contact(api: Api, tenant: Tenant) -> None:
    before = now_ms()
    v1_update(api, tenant.token, "Mike J Ross", 9100000000, tag="callback")
    after = now_ms()
    found = v1_one(api, tenant.token, 9100000000)
    assert found == {
        "agent": tenant.user_id,
        "inet_no": tenant.appid,
        "name": "Mike J Ross",
        "mobile": 9100000000,
        "tag": "callback",
        "time": found["time"],
        "remindme": None,
        "status": "",
        "email": "",
        "info": "",
        "notes": [],
    }
    assert before <= found["time"] <= after
    assert v3_count(api, tenant.token) == 1


def test_every_field_is_kept_on_creation(api: Api, tenant: Tenant) -> None:
    v1_update(
        api,
        tenant.token,
        "John Doe",
        9100000000,
        remindme=1630056656976,
        email="john.doe@example.com",
        status="hotlead",
        tag="Not Interested",
        info="Followup date added",
    )
    found = v1_one(api, tenant.token, 9100000000)
    assert {k: found[k] for k in ("remindme", "email", "status", "tag", "info")} == {
        "remindme": 1630056656976,
        "email": "john.doe@example.com",
        "status": "hotlead",
        "tag": "Not Interested",
        "info": "Followup date added",
    }
    [note] = found["notes"]
    assert note == {"msg": "Followup date added", "date": note["date"], "agent": tenant.user_id}
    assert note["date"] == found["time"]


def test_the_name_is_split_at_the_first_space(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike J Ross", 9100000001)
    v1_update(api, tenant.token, "Mike", 9100000002)
    v1_update(api, tenant.token, "  Zoë   Saldana ", 9100000003)
    split = [(c["first_name"], c["last_name"]) for c in v3_all(api, tenant.token)]
    assert split == [("Mike", "J Ross"), ("Mike", ""), ("Zoë", "Saldana")]
    assert [c["name"] for c in v1_get(api, tenant.token)["contacts"]] == [
        "Mike J Ross",
        "Mike",
        "Zoë Saldana",
    ]


# -- updating ----------------------------------------------------------------------------------


def test_fields_not_sent_are_left_as_they_are(api: Api, tenant: Tenant) -> None:
    v1_update(
        api,
        tenant.token,
        "Mike",
        9100000000,
        tag="callback",
        status="close",
        remindme=1630056656976,
        email="john.doe@example.com",
        info="first call",
    )
    before = v1_one(api, tenant.token, 9100000000)
    v1_update(api, tenant.token, "Mike Ross", 9100000000, status="hotlead")
    after = v1_one(api, tenant.token, 9100000000)
    assert after == {**before, "name": "Mike Ross", "status": "hotlead"}
    assert v3_count(api, tenant.token) == 1


def test_every_field_can_change(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000, tag="a", status="b", remindme=1, email="")
    v1_update(
        api,
        tenant.token,
        "Harvey Specter",
        9100000000,
        tag="Not Interested",
        status="hotlead",
        remindme=1630056656976,
        email="john.doe@example.com",
    )
    found = v1_one(api, tenant.token, 9100000000)
    assert (found["name"], found["tag"], found["status"]) == (
        "Harvey Specter",
        "Not Interested",
        "hotlead",
    )
    assert (found["remindme"], found["email"]) == (1630056656976, "john.doe@example.com")


def test_strings_can_be_cleared_and_null_means_not_sent(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000, tag="callback", remindme=5, email="a@b.in")
    v1_update(api, tenant.token, "Mike", 9100000000, tag="", email="", remindme=None, status=None)
    found = v1_one(api, tenant.token, 9100000000)
    assert (found["tag"], found["email"], found["remindme"]) == ("", "", 5)


def test_time_and_saved_by_are_those_of_the_creation(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000)
    created = v1_one(api, tenant.token, 9100000000)
    colleague = api.login(api.add_user(tenant.appid, tenant.secret))
    time.sleep(0.002)
    v1_update(api, colleague, "Mike Ross", 9100000000, info="called back")
    found = v1_one(api, tenant.token, 9100000000)
    assert (found["agent"], found["time"]) == (tenant.user_id, created["time"])
    assert found["notes"][0]["agent"] == f"1002_{tenant.appid}"


def test_info_replaces_the_text_and_appends_a_note(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000, info="first call")
    colleague = api.login(api.add_user(tenant.appid, tenant.secret))
    before = now_ms()
    v1_update(api, colleague, "Mike", 9100000000, info="Followup date added")
    after = now_ms()
    v1_update(api, tenant.token, "Mike", 9100000000, tag="no info: no note")
    found = v1_one(api, tenant.token, 9100000000)
    assert found["info"] == "Followup date added"
    first, second = found["notes"]
    assert first == {"msg": "first call", "date": first["date"], "agent": tenant.user_id}
    assert second == {
        "msg": "Followup date added",
        "date": second["date"],
        "agent": f"1002_{tenant.appid}",
    }
    assert before <= second["date"] <= after
    assert first["date"] <= second["date"]


def test_an_empty_info_clears_the_text_and_adds_no_note(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000, info="first call")
    v1_update(api, tenant.token, "Mike", 9100000000, info="")
    found = v1_one(api, tenant.token, 9100000000)
    assert found["info"] == ""
    assert [n["msg"] for n in found["notes"]] == ["first call"]


def test_notes_keep_any_text_verbatim(api: Api, tenant: Tenant) -> None:
    texts = ['say "hi"', "back\\slash", "ünïcödé ✓", "line\nbreak", "[1, 2]", "{}"]
    for text in texts:
        v1_update(api, tenant.token, "Mike", 9100000000, info=text)
    found = v1_one(api, tenant.token, 9100000000)
    assert [n["msg"] for n in found["notes"]] == texts


@pytest.mark.parametrize("phone", [9100000000, "9100000000", "919100000000", "+91 91000 00000"])
def test_the_phone_may_be_a_number_or_digits_in_either_form(
    api: Api, tenant: Tenant, phone: Any
) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000)
    v1_update(api, tenant.token, "Mike Ross", phone)
    assert v1_get(api, tenant.token)["count"] == 1
    assert v1_one(api, tenant.token, 9100000000)["name"] == "Mike Ross"


def test_the_phone_is_kept_as_first_sent(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", "919100000000")
    v1_update(api, tenant.token, "Mike", 9100000000, tag="x")
    [found] = v1_get(api, tenant.token)["contacts"]
    assert found["mobile"] == 919100000000


def test_another_apps_contact_with_the_same_phone_is_not_touched(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    v1_update(api, other_tenant.token, "Theirs", 9100000000, tag="keep")
    v1_update(api, tenant.token, "Mine", 9100000000, tag="mine")
    theirs = v1_one(api, other_tenant.token, 9100000000)
    assert (theirs["name"], theirs["tag"], theirs["agent"]) == (
        "Theirs",
        "keep",
        other_tenant.user_id,
    )
    assert v1_one(api, tenant.token, 9100000000)["name"] == "Mine"


# -- errors: 400 naming the field, nothing stored -------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"from": "91000abc00"}, "from must contain digits only"),
        ({"from": 123}, "from is not a possible phone number (wrong length)"),
        ({"from": -9100000000}, "from must be >= 0"),
        ({"from": 9100000000.5}, "from must be an integer or a string"),
        ({"from": None}, "from must be an integer or a string"),
        ({"from": "9" * 33}, "from must be at most 32 characters"),
        ({"name": ""}, "name must not be empty"),
        ({"name": "   "}, "name must not be empty"),
        ({"name": None}, "name must be a string"),
        ({"name": "x" * 101}, "name must be at most 100 characters"),
        ({"remindme": -1}, "remindme must be between 0 and 253402300799999"),
        ({"remindme": "tomorrow"}, "remindme must be an integer"),
        ({"remindme": 1.5}, "remindme must be an integer"),
        ({"email": 5}, "email must be a string"),
        ({"status": 5}, "status must be a string"),
        ({"tag": ["a"]}, "tag must be a string"),
        ({"info": "x" * 2001}, "info must be at most 2000 characters"),
        ({"tag": "x" * 201}, "tag must be at most 200 characters"),
    ],
)
def test_invalid_fields_are_400_and_store_nothing(
    api: Api, tenant: Tenant, fields: dict[str, Any], msg: str
) -> None:
    body = {"token": tenant.token, "name": "Mike", "from": 9100000000, **fields}
    status, error = api.post(UPDATE, body)
    assert_error(status, error, 400, msg)
    assert v1_get(api, tenant.token)["count"] == 0


def test_an_invalid_email_is_400_and_changes_nothing(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000, email="john.doe@example.com")
    before = v1_one(api, tenant.token, 9100000000)
    body = {"token": tenant.token, "name": "Other", "from": 9100000000, "email": "not-an-email"}
    status, error = api.post(UPDATE, body)
    assert status == 400
    assert error["msg"].startswith("email is not a valid email address"), error
    assert v1_one(api, tenant.token, 9100000000) == before


@pytest.mark.parametrize("missing", ["name", "from"])
def test_a_missing_field_is_400(api: Api, tenant: Tenant, missing: str) -> None:
    body = {"token": tenant.token, "name": "Mike", "from": 9100000000}
    del body[missing]
    status, error = api.post(UPDATE, body)
    assert_error(status, error, 400, f"{missing} is required")


@pytest.mark.parametrize("token", [None, "", "garbage", "1234567.unknown"])
def test_an_invalid_token_is_400_and_stores_nothing(
    api: Api, tenant: Tenant, token: str | None
) -> None:
    body: dict[str, Any] = {"name": "Mike", "from": 9100000000}
    if token is not None:
        body["token"] = token
    status, error = api.post(UPDATE, body)
    assert_error(status, error, 400, AUTH_FAILED)
    assert v1_get(api, tenant.token)["count"] == 0


def test_the_success_body_is_the_vendors(api: Api, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(1)])
    status, body = api.post(UPDATE, {"token": tenant.token, "name": "X", "from": 919000000001})
    assert (status, body) == (200, UPDATED)

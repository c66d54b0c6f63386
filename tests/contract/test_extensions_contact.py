"""The console's contact page over HTTP (docs/api.md, "Extensions"): `/x/contacts/get`
shows one contact with its notes, `/x/contacts/update` changes its v1 and v3 fields in
one call; both with either generation's token, and every refusal leaves the store as
it was."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.contract.agent_api import AUTH_FAILED, v1_one, v1_update, v3_read
from tests.contract.extensions_api import SEARCH, X_CONTACT_KEYS, add_agent, x_page
from tests.contract.wire import assert_error
from tests.helpers import Api, Tenant, contact, name_index_differences_at

GET = "/x/contacts/get"
UPDATE = "/x/contacts/update"
NOT_FOUND = "contact not found"
REMINDER = 1_767_258_000_000


def x_get(api: Api, token: str, contact_id: str) -> dict[str, Any]:
    status, body = api.post(GET, {"token": token, "contact_id": contact_id})
    assert status == 200, body
    assert list(body) == ["code", "contact"]
    assert list(body["contact"]) == [*X_CONTACT_KEYS, "notes"]
    return dict(body["contact"])


def x_update(api: Api, token: str, contact_id: str, **fields: Any) -> dict[str, Any]:
    status, body = api.post(UPDATE, {"token": token, "contact_id": contact_id, **fields})
    assert status == 200, body
    assert list(body) == ["code", "contact"] and body["code"] == 200
    return dict(body["contact"])


# -- get ------------------------------------------------------------------------------------


def test_get_shows_the_listed_view_and_the_notes_oldest_first(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1, first_name="Meera")])
    agent_id, agent_token = add_agent(api, tenant)
    v1_update(api, tenant.token, "Meera Last1", "919000000001", info="first", tag="lead")
    v1_update(api, agent_token, "Meera Last1", "919000000001", info="second", remindme=REMINDER)
    shown = x_get(api, tenant.token, contact_id)
    [listed] = x_page(api, SEARCH, tenant.token, q="meera")["contacts"]
    notes = shown.pop("notes")
    assert shown == listed
    assert notes == v1_one(api, tenant.token, 919000000001)["notes"]
    assert [(n["msg"], n["agent"]) for n in notes] == [
        ("first", tenant.user_id),
        ("second", agent_id),
    ]
    assert x_get(api, agent_token, contact_id) == {**shown, "notes": notes}  # a v1 token


def test_a_contact_without_notes_shows_an_empty_list(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    shown = x_get(api, tenant.token, contact_id)
    assert (shown["notes"], shown["info"], shown["remindme"]) == ([], "", None)


def test_get_accepts_any_spelling_of_the_uuid(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    spelled = "{" + contact_id.upper() + "}"
    assert x_get(api, tenant.token, spelled)["contact_id"] == contact_id


def test_get_refusals(api: Api, tenant: Tenant, other_tenant: Tenant) -> None:
    [theirs] = api.add_contacts(other_tenant.token, [contact(1)])
    for contact_id, code, msg in (
        ("not-a-uuid", 400, "contact_id must be a UUID"),
        (str(uuid.uuid4()), 404, NOT_FOUND),
        (theirs, 404, NOT_FOUND),  # another app's: answered as one that does not exist
    ):
        assert_error(*api.post(GET, {"token": tenant.token, "contact_id": contact_id}), code, msg)
    assert_error(*api.post(GET, {"token": "0" * 43, "contact_id": theirs}), 404, AUTH_FAILED)
    assert_error(
        *api.post(GET, {"token": tenant.token, "contact_id": "x" * 65}),
        400,
        "contact_id must be at most 64 characters",
    )
    assert_error(*api.post(GET, {"token": tenant.token}), 400, "contact_id is required")


# -- update ---------------------------------------------------------------------------------


def test_update_changes_every_field_and_answers_the_contact_after(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1, company="Old Co")])
    changed = x_update(
        api,
        tenant.token,
        contact_id,
        first_name="  Asha ",
        last_name="Rao",
        email_id="asha@example.com",
        company="New Co",
        job_title="Director",
        tag="lead",
        status="hot",
        remindme=REMINDER,
    )
    assert changed == x_get(api, tenant.token, contact_id)
    assert v3_read(api, tenant.token, contact_id) == {
        "contact_id": contact_id,
        "phone_no": "919000000001",
        "first_name": "Asha",
        "last_name": "Rao",
        "email_id": "asha@example.com",
        "company": "New Co",
        "job_title": "Director",
    }
    v1_view = v1_one(api, tenant.token, 919000000001)
    assert (v1_view["name"], v1_view["tag"], v1_view["status"], v1_view["remindme"]) == (
        "Asha Rao",
        "lead",
        "hot",
        REMINDER,
    )
    assert (changed["info"], changed["notes"]) == ("", [])


def test_a_field_not_sent_or_null_keeps_its_value_but_a_null_remindme_clears(
    api: Api, tenant: Tenant
) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1, job_title="CTO")])
    x_update(api, tenant.token, contact_id, tag="lead", remindme=REMINDER)
    before = x_get(api, tenant.token, contact_id)
    kept = x_update(api, tenant.token, contact_id, status="warm", tag=None, job_title=None)
    assert kept == {**before, "status": "warm"}
    assert x_update(api, tenant.token, contact_id) == kept  # nothing sent: nothing changes
    cleared = x_update(api, tenant.token, contact_id, remindme=None)
    assert cleared == {**kept, "remindme": None}
    due = x_page(api, "/x/contacts/due", tenant.token, after=0, before=REMINDER + 1)
    assert due["count"] == 0


def test_a_note_is_appended_and_kept_as_info(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    agent_id, agent_token = add_agent(api, tenant)
    v1_update(api, tenant.token, "First1 Last1", "919000000001", info="by v1")
    x_update(api, agent_token, contact_id, note="  called, no answer ")
    after = x_update(api, tenant.token, contact_id, note="called back", tag="done")
    assert after["info"] == "called back"
    notes = after["notes"]
    assert [(n["msg"], n["agent"]) for n in notes] == [
        ("by v1", tenant.user_id),
        ("called, no answer", agent_id),
        ("called back", tenant.user_id),
    ]
    assert notes[0]["date"] <= notes[1]["date"] <= notes[2]["date"]
    assert v1_one(api, tenant.token, 919000000001)["notes"] == notes
    # An empty note (or blanks) adds nothing and keeps info.
    assert x_update(api, tenant.token, contact_id, note="   ") == after
    assert x_update(api, tenant.token, contact_id, note="") == after


def test_a_rename_keeps_the_name_search_right(api: Api, tenant: Tenant, database_url: str) -> None:
    ids = api.add_contacts(
        tenant.token, [contact(1, first_name="Zara", last_name="Khan"), contact(2)]
    )
    x_update(api, tenant.token, ids[0], first_name="Priya")
    x_update(api, tenant.token, ids[1], last_name="Khanna", tag="x")
    assert name_index_differences_at(database_url) == []
    assert [c["name"] for c in x_page(api, SEARCH, tenant.token, q="khan")["contacts"]] == [
        "Priya Khan",
        "First2 Khanna",
    ]
    assert x_page(api, SEARCH, tenant.token, q="zara")["count"] == 0


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"contact_id": "nope"}, "contact_id must be a UUID"),
        ({"email_id": "not-an-email"}, None),  # the v3 email rule's own words, below
        ({"first_name": "x" * 101}, "first_name must be at most 100 characters"),
        ({"last_name": 7}, "last_name must be a string"),
        ({"company": "x" * 201}, "company must be at most 200 characters"),
        ({"job_title": "x" * 201}, "job_title must be at most 200 characters"),
        ({"tag": "x" * 201}, "tag must be at most 200 characters"),
        ({"status": "x" * 201}, "status must be at most 200 characters"),
        ({"remindme": -1}, "remindme must be between 0 and 253402300799999"),
        ({"remindme": "soon"}, "remindme must be an integer"),
        ({"note": "x" * 2001}, "note must be at most 2000 characters"),
    ],
)
def test_update_refusals_name_the_field_and_change_nothing(
    api: Api, tenant: Tenant, fields: dict[str, Any], msg: str | None
) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    x_update(api, tenant.token, contact_id, tag="kept", note="kept")
    before = x_get(api, tenant.token, contact_id)
    body = {"token": tenant.token, "contact_id": contact_id, "tag": "changed", **fields}
    status, answer = api.post(UPDATE, body)
    if msg is None:
        assert status == 400 and answer["msg"].startswith("email_id is not a valid email"), answer
    else:
        assert_error(status, answer, 400, msg)
    assert x_get(api, tenant.token, contact_id) == before


def test_update_of_an_unknown_or_foreign_contact_is_404(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    [theirs] = api.add_contacts(other_tenant.token, [contact(1)])
    before = x_get(api, other_tenant.token, theirs)
    for contact_id in (theirs, str(uuid.uuid4())):
        answer = api.post(UPDATE, {"token": tenant.token, "contact_id": contact_id, "tag": "B"})
        assert_error(*answer, 404, NOT_FOUND)
    assert x_get(api, other_tenant.token, theirs) == before
    refused = api.post(UPDATE, {"token": "0" * 43, "contact_id": theirs, "tag": "B"})
    assert_error(*refused, 404, AUTH_FAILED)


def test_an_update_replays_under_its_idempotency_key(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    body = {"token": tenant.token, "contact_id": contact_id, "note": "once"}
    headers = {"Idempotency-Key": "note-1"}
    first = api.client.post(UPDATE, json=body, headers=headers)
    again = api.client.post(UPDATE, json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert len(x_get(api, tenant.token, contact_id)["notes"]) == 1

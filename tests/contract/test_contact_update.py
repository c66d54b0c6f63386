"""`/v3/contact/update`: partial changes to 1-100 contacts, all or nothing (docs/api.md,
"v3 contacts")."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.contract.wire import Post, assert_duplicates, assert_error
from tests.helpers import Api, Tenant, contact

UPDATE = "/v3/contact/update"
UPDATED = {"code": 200, "msg": "Contacts updated successfully"}


def update(post: Post, token: str, changes: list[dict[str, Any]]) -> tuple[int, Any]:
    return post(UPDATE, {"token": token, "contacts": changes})


def read(post: Post, token: str, contact_id: str) -> dict[str, Any]:
    status, body = post("/v3/contact/get", {"token": token, "contact_id": contact_id})
    assert status == 200, body
    [found] = body["contacts"]
    return dict(found)


def test_only_the_given_fields_change(api: Api, post: Post, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(
        tenant.token, [contact(1, email_id="a@example.com", company="Old Co", job_title="Clerk")]
    )
    before = read(post, tenant.token, contact_id)
    status, body = update(post, tenant.token, [{"contact_id": contact_id, "company": "New Co"}])
    assert (status, body) == (200, UPDATED)
    assert read(post, tenant.token, contact_id) == {**before, "company": "New Co"}


def test_every_field_can_change(api: Api, post: Post, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    change = {
        "phone_no": "919200000000",
        "first_name": "John",
        "last_name": "Doe",
        "email_id": "john.doe@example.com",
        "company": "Acme Corp",
        "job_title": "Software Engineer",
    }
    status, _ = update(post, tenant.token, [{"contact_id": contact_id, **change}])
    assert status == 200
    assert read(post, tenant.token, contact_id) == {"contact_id": contact_id, **change}


def test_fields_can_be_cleared_with_empty_strings(api: Api, post: Post, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1, company="Acme", email_id="a@b.in")])
    status, _ = update(
        post, tenant.token, [{"contact_id": contact_id, "company": "", "email_id": ""}]
    )
    assert status == 200
    found = read(post, tenant.token, contact_id)
    assert (found["company"], found["email_id"]) == ("", "")


def test_several_contacts_change_in_one_call(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(1), contact(2)])
    changes = [{"contact_id": ids[0], "job_title": "A"}, {"contact_id": ids[1], "job_title": "B"}]
    assert update(post, tenant.token, changes)[0] == 200
    assert [read(post, tenant.token, i)["job_title"] for i in ids] == ["A", "B"]


def test_unknown_contact_id_is_400_naming_it(api: Api, post: Post, tenant: Tenant) -> None:
    unknown = str(uuid.uuid4())
    status, body = update(post, tenant.token, [{"contact_id": unknown, "company": "X"}])
    assert_error(status, body, 400, f"contact_id {unknown} not found")


def test_unknown_contact_id_leaves_the_others_unchanged(
    api: Api, post: Post, tenant: Tenant
) -> None:
    [known] = api.add_contacts(tenant.token, [contact(1, company="Before")])
    unknown = str(uuid.uuid4())
    changes = [{"contact_id": known, "company": "After"}, {"contact_id": unknown, "company": "X"}]
    status, body = update(post, tenant.token, changes)
    assert status == 400
    assert unknown in body["msg"]
    assert read(post, tenant.token, known)["company"] == "Before"


def test_non_uuid_contact_id_is_400_naming_its_index(api: Api, post: Post, tenant: Tenant) -> None:
    [known] = api.add_contacts(tenant.token, [contact(1)])
    changes = [{"contact_id": known, "company": "X"}, {"contact_id": "nope", "company": "Y"}]
    status, body = update(post, tenant.token, changes)
    assert_error(status, body, 400, "contacts[1].contact_id must be a UUID")
    assert read(post, tenant.token, known)["company"] == ""


def test_missing_contact_id_is_400(post: Post, tenant: Tenant) -> None:
    status, body = update(post, tenant.token, [{"company": "X"}])
    assert_error(status, body, 400, "contacts[0].contact_id is required")


def test_phone_change_onto_another_contacts_phone_is_409(
    api: Api, post: Post, tenant: Tenant
) -> None:
    ids = api.add_contacts(tenant.token, [contact(1), contact(2)])
    status, body = update(post, tenant.token, [{"contact_id": ids[1], "phone_no": "9000000001"}])
    assert_duplicates(status, body, ["9000000001"])
    assert read(post, tenant.token, ids[1])["phone_no"] == "919000000002"


def test_phone_conflict_rolls_back_earlier_changes(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(1), contact(2), contact(3)])
    changes = [
        {"contact_id": ids[0], "company": "Changed", "phone_no": "919100000077"},
        {"contact_id": ids[2], "phone_no": "919000000002"},
    ]
    status, _ = update(post, tenant.token, changes)
    assert status == 409
    first = read(post, tenant.token, ids[0])
    assert (first["company"], first["phone_no"]) == ("", "919000000001")


def test_two_contacts_onto_one_new_phone_is_409(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(1), contact(2)])
    changes = [{"contact_id": i, "phone_no": "919100000077"} for i in ids]
    status, _ = update(post, tenant.token, changes)
    assert status == 409
    assert [read(post, tenant.token, i)["phone_no"] for i in ids] == [
        "919000000001",
        "919000000002",
    ]


def test_contact_may_keep_its_own_phone_in_another_form(
    api: Api, post: Post, tenant: Tenant
) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1, phone_no="919100000000")])
    status, body = update(
        post, tenant.token, [{"contact_id": contact_id, "phone_no": "9100000000"}]
    )
    assert status == 200, body
    assert read(post, tenant.token, contact_id)["phone_no"] == "9100000000"


def test_old_phone_is_free_after_a_phone_change(api: Api, post: Post, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    update(post, tenant.token, [{"contact_id": contact_id, "phone_no": "919100000077"}])
    assert api.add_contacts(tenant.token, [contact(1)])


@pytest.mark.parametrize(
    ("change", "msg"),
    [
        ({"phone_no": "12"}, "contacts[0].phone_no is not a possible phone number (wrong length)"),
        ({"phone_no": "phone"}, "contacts[0].phone_no must contain digits only"),
        ({"first_name": "x" * 101}, "contacts[0].first_name must be at most 100 characters"),
        ({"company": 5}, "contacts[0].company must be a string"),
    ],
)
def test_invalid_field_is_400_naming_it(
    api: Api, post: Post, tenant: Tenant, change: dict[str, Any], msg: str
) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    status, body = update(post, tenant.token, [{"contact_id": contact_id, **change}])
    assert_error(status, body, 400, msg)


def test_invalid_email_is_400_naming_it(api: Api, post: Post, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    status, body = update(post, tenant.token, [{"contact_id": contact_id, "email_id": "x@"}])
    assert status == 400
    assert body["msg"].startswith("contacts[0].email_id is not a valid email address")


@pytest.mark.parametrize(
    ("size", "msg"),
    [(0, "contacts must hold at least 1 item"), (101, "contacts must hold at most 100 items")],
)
def test_batch_size_out_of_range_is_400(post: Post, tenant: Tenant, size: int, msg: str) -> None:
    changes = [{"contact_id": str(uuid.uuid4())} for _ in range(size)]
    status, body = update(post, tenant.token, changes)
    assert_error(status, body, 400, msg)


def test_update_does_not_change_order_or_count(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(1), contact(2)])
    assert update(post, tenant.token, [{"contact_id": ids[0], "first_name": "Zed"}])[0] == 200
    status, body = post("/v3/contact/get", {"token": tenant.token})
    assert status == 200
    assert [c["contact_id"] for c in body["contacts"]] == ids
    assert body["count"] == 2

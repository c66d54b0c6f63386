"""`/v3/contact/add`: 1-100 contacts, all or nothing, one per phone (docs/api.md,
"Contacts", "v3 contacts")."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.wire import Post, assert_duplicates, assert_error
from tests.helpers import Api, Tenant, contact

ADD = "/v3/contact/add"


def count(post: Post, token: str) -> int:
    status, body = post("/v3/contact/get", {"token": token})
    assert status == 200, body
    return int(body["count"])


def phones(post: Post, token: str) -> list[str]:
    status, body = post("/v3/contact/get", {"token": token, "limit": 100})
    assert status == 200, body
    return [c["phone_no"] for c in body["contacts"]]


def add(post: Post, token: str, contacts: list[dict[str, Any]]) -> tuple[int, Any]:
    return post(ADD, {"token": token, "contacts": contacts})


def test_success_body_names_the_ids_in_request_order(post: Post, tenant: Tenant) -> None:
    batch = [contact(3), contact(1), contact(2)]
    status, body = add(post, tenant.token, batch)
    assert status == 200
    assert set(body) == {"code", "msg", "contact_ids"}
    assert (body["code"], body["msg"]) == (200, "Contact added successfully")
    assert len(set(body["contact_ids"])) == 3
    for contact_id, sent in zip(body["contact_ids"], batch, strict=True):
        status, got = post("/v3/contact/get", {"token": tenant.token, "contact_id": contact_id})
        assert got["contacts"][0]["phone_no"] == sent["phone_no"]


def test_a_full_batch_of_a_hundred_is_stored(post: Post, tenant: Tenant) -> None:
    status, body = add(post, tenant.token, [contact(n) for n in range(100)])
    assert status == 200
    assert len(body["contact_ids"]) == 100
    assert count(post, tenant.token) == 100


@pytest.mark.parametrize(
    ("size", "msg"),
    [(0, "contacts must hold at least 1 item"), (101, "contacts must hold at most 100 items")],
)
def test_batch_size_out_of_range_is_400(post: Post, tenant: Tenant, size: int, msg: str) -> None:
    status, body = add(post, tenant.token, [contact(n) for n in range(size)])
    assert_error(status, body, 400, msg)
    assert count(post, tenant.token) == 0


def test_vendor_sample_values_are_accepted(post: Post, tenant: Tenant) -> None:
    samples = [
        {"phone_no": "919200000000", "first_name": "John", "last_name": "Doe"},
        {
            "phone_no": "9100000000",
            "first_name": "Jane",
            "last_name": "Doe",
            "email_id": "john.doe@example.com",
        },
    ]
    status, body = add(post, tenant.token, samples)
    assert status == 200, body
    assert phones(post, tenant.token) == ["919200000000", "9100000000"]


def test_phone_is_kept_as_the_digits_sent(post: Post, tenant: Tenant) -> None:
    status, _ = add(post, tenant.token, [contact(1, phone_no="+91 91234-56789")])
    assert status == 200
    assert phones(post, tenant.token) == ["919123456789"]


@pytest.mark.parametrize(
    ("stored", "sent"),
    [
        ("9100000000", "919100000000"),
        ("919100000000", "9100000000"),
        ("9100000000", "+919100000000"),
        ("+919100000000", "919100000000"),
    ],
)
def test_national_and_international_forms_are_one_contact(
    api: Api, post: Post, tenant: Tenant, stored: str, sent: str
) -> None:
    api.add_contacts(tenant.token, [contact(1, phone_no=stored)])
    status, body = add(post, tenant.token, [contact(2, phone_no=sent)])
    assert_duplicates(status, body, [sent.lstrip("+")])
    assert count(post, tenant.token) == 1


def test_in_store_duplicate_is_409_naming_the_phone(api: Api, post: Post, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(1)])
    status, body = add(post, tenant.token, [contact(1)])
    assert_duplicates(status, body, ["919000000001"])


@pytest.mark.parametrize("position", [0, 1, 2])
def test_in_store_duplicate_names_only_the_colliding_phones(
    api: Api, post: Post, tenant: Tenant, position: int
) -> None:
    api.add_contacts(tenant.token, [contact(1)])
    batch = [contact(2), contact(3)]
    batch.insert(position, contact(1))
    status, body = add(post, tenant.token, batch)
    assert_duplicates(status, body, ["919000000001"])


def test_every_stored_duplicate_is_named(api: Api, post: Post, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(1), contact(2)])
    status, body = add(post, tenant.token, [contact(2), contact(1)])
    assert_duplicates(status, body, ["919000000001", "919000000002"])


def test_in_batch_duplicate_is_409_naming_the_phone(post: Post, tenant: Tenant) -> None:
    status, body = add(post, tenant.token, [contact(1), contact(2), contact(1, first_name="B")])
    assert_duplicates(status, body, ["919000000001"])
    assert count(post, tenant.token) == 0


def test_in_batch_duplicate_in_two_forms_is_409(post: Post, tenant: Tenant) -> None:
    batch = [contact(1, phone_no="9100000000"), contact(2, phone_no="+919100000000")]
    status, body = add(post, tenant.token, batch)
    assert status == 409
    assert body["msg"] == "Duplicate contact detected within the organization"
    assert body["duplicates"]
    assert set(body["duplicates"]) <= {"9100000000", "919100000000"}
    assert count(post, tenant.token) == 0


BAD_ITEMS: dict[str, tuple[dict[str, Any], str]] = {
    "letters in phone": (
        {"phone_no": "91910000abcd"},
        "contacts[{i}].phone_no must contain digits only",
    ),
    "vanity phone": (
        {"phone_no": "1-800-FLOWERS"},
        "contacts[{i}].phone_no must contain digits only",
    ),
    "short phone": (
        {"phone_no": "123"},
        "contacts[{i}].phone_no is not a possible phone number (wrong length)",
    ),
    "long phone": ({"phone_no": "9" * 20}, "contacts[{i}].phone_no is not a phone number"),
    "empty phone": ({"phone_no": ""}, "contacts[{i}].phone_no must contain digits only"),
    "phone as number": ({"phone_no": 919100000009}, "contacts[{i}].phone_no must be a string"),
    "phone too long a string": (
        {"phone_no": "9" * 33},
        "contacts[{i}].phone_no must be at most 32 characters",
    ),
    "first name too long": (
        {"first_name": "x" * 101},
        "contacts[{i}].first_name must be at most 100 characters",
    ),
    "last name too long": (
        {"last_name": "x" * 101},
        "contacts[{i}].last_name must be at most 100 characters",
    ),
    "company too long": (
        {"company": "x" * 201},
        "contacts[{i}].company must be at most 200 characters",
    ),
    "job title too long": (
        {"job_title": "x" * 201},
        "contacts[{i}].job_title must be at most 200 characters",
    ),
    "email too long": (
        {"email_id": "a" * 250 + "@x.in"},
        "contacts[{i}].email_id must be at most 254 characters",
    ),
    "email of wrong type": ({"email_id": 5}, "contacts[{i}].email_id must be a string"),
}


@pytest.mark.parametrize("case", BAD_ITEMS.keys())
def test_bad_item_at_any_index_is_400_naming_it_and_stores_nothing(
    post: Post, tenant: Tenant, case: str
) -> None:
    change, msg = BAD_ITEMS[case]
    for index in (0, 1, 4):
        batch = [contact(n) for n in range(5)]
        batch[index] = {**batch[index], **change}
        status, body = add(post, tenant.token, batch)
        assert_error(status, body, 400, msg.format(i=index))
        assert count(post, tenant.token) == 0


def test_invalid_email_is_400_naming_it(post: Post, tenant: Tenant) -> None:
    for email in ("not-an-email", "a@", "@example.com", "a b@example.com", "a@b@example.com"):
        status, body = add(post, tenant.token, [contact(1), contact(2, email_id=email)])
        assert (email, status) == (email, 400)
        assert body["msg"].startswith("contacts[1].email_id is not a valid email address")
        assert count(post, tenant.token) == 0


@pytest.mark.parametrize("field", ["phone_no", "first_name", "last_name"])
def test_missing_required_item_field_is_400_naming_it(
    post: Post, tenant: Tenant, field: str
) -> None:
    item = contact(2)
    del item[field]
    status, body = add(post, tenant.token, [contact(1), item])
    assert_error(status, body, 400, f"contacts[1].{field} is required")


def test_item_that_is_not_an_object_is_400(post: Post, tenant: Tenant) -> None:
    status, body = add(post, tenant.token, [contact(1), "919100000000"])  # type: ignore[list-item]
    assert_error(status, body, 400, "contacts[1] must be an object")


def test_contacts_of_wrong_type_is_400(post: Post, tenant: Tenant) -> None:
    status, body = post(ADD, {"token": tenant.token, "contacts": contact(1)})
    assert_error(status, body, 400, "contacts must be an array")


def test_missing_contacts_is_400(post: Post, tenant: Tenant) -> None:
    status, body = post(ADD, {"token": tenant.token})
    assert_error(status, body, 400, "contacts is required")


@pytest.mark.parametrize("position", [0, 3, 4])
def test_stored_duplicate_at_any_index_stores_nothing(
    api: Api, post: Post, tenant: Tenant, position: int
) -> None:
    api.add_contacts(tenant.token, [contact(99)])
    batch = [contact(n) for n in range(4)]
    batch.insert(position, contact(99))
    status, _ = add(post, tenant.token, batch)
    assert status == 409
    assert phones(post, tenant.token) == ["919000000099"]
    assert add(post, tenant.token, [contact(n) for n in range(4)])[0] == 200


def test_maximal_string_lengths_are_accepted(post: Post, tenant: Tenant) -> None:
    item = contact(
        1,
        first_name="F" * 100,
        last_name="L" * 100,
        company="C" * 200,
        job_title="J" * 200,
        email_id="e" * 64 + "@" + "d" * 60 + ".example.com",
    )
    status, body = add(post, tenant.token, [item])
    assert status == 200, body


def test_phone_freed_by_delete_can_be_added_again(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(1)])
    post("/v3/contact/delete", {"token": tenant.token, "contact_ids": ids})
    status, _ = add(post, tenant.token, [contact(1)])
    assert status == 200


def test_unknown_fields_in_items_are_ignored(post: Post, tenant: Tenant) -> None:
    item = contact(1, tag="vip", remindme=None, nested={"a": [1, 2]})
    status, body = add(post, tenant.token, [item])
    assert status == 200, body

"""`/v3/contact/delete` (docs/api.md, "v3 contacts"): 1-100 ids; unknown ids are not an error."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.contract.wire import Post, assert_error
from tests.helpers import Api, Tenant, contact

DELETE = "/v3/contact/delete"


def delete(post: Post, token: str, ids: list[str]) -> tuple[int, Any]:
    return post(DELETE, {"token": token, "contact_ids": ids})


def listed(post: Post, token: str) -> tuple[int, list[str]]:
    status, body = post("/v3/contact/get", {"token": token, "limit": 100})
    assert status == 200, body
    return body["count"], [c["contact_id"] for c in body["contacts"]]


def test_deleted_count_and_body(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(n) for n in range(3)])
    status, body = delete(post, tenant.token, ids[:2])
    assert (status, body) == (
        200,
        {"code": 200, "msg": "Contacts Deleted Successfully", "deleted": 2},
    )
    assert listed(post, tenant.token) == (1, ids[2:])


def test_unknown_ids_are_not_counted_nor_an_error(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(1), contact(2)])
    status, body = delete(post, tenant.token, [str(uuid.uuid4()), ids[0], str(uuid.uuid4())])
    assert (status, body["deleted"]) == (200, 1)
    assert listed(post, tenant.token) == (1, ids[1:])


def test_only_unknown_ids_delete_nothing(api: Api, post: Post, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(1)])
    status, body = delete(post, tenant.token, [str(uuid.uuid4())])
    assert (status, body["deleted"]) == (200, 0)
    assert listed(post, tenant.token)[0] == 1


def test_deleting_twice_counts_once(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(1)])
    assert delete(post, tenant.token, ids)[1]["deleted"] == 1
    assert delete(post, tenant.token, ids)[1]["deleted"] == 0
    assert listed(post, tenant.token) == (0, [])


def test_id_repeated_in_one_call_counts_once(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(1), contact(2)])
    status, body = delete(post, tenant.token, [ids[0], ids[0]])
    assert (status, body["deleted"]) == (200, 1)
    assert listed(post, tenant.token) == (1, ids[1:])


def test_upper_case_id_deletes_the_contact(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(1)])
    assert delete(post, tenant.token, [ids[0].upper()])[1]["deleted"] == 1


def test_a_hundred_ids_are_deleted_at_once(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(n) for n in range(100)])
    assert delete(post, tenant.token, ids)[1]["deleted"] == 100
    assert listed(post, tenant.token) == (0, [])


@pytest.mark.parametrize(
    ("size", "msg"),
    [
        (0, "contact_ids must hold at least 1 item"),
        (101, "contact_ids must hold at most 100 items"),
    ],
)
def test_batch_size_out_of_range_is_400(post: Post, tenant: Tenant, size: int, msg: str) -> None:
    status, body = delete(post, tenant.token, [str(uuid.uuid4()) for _ in range(size)])
    assert_error(status, body, 400, msg)


def test_non_uuid_is_400_naming_its_index_and_deletes_nothing(
    api: Api, post: Post, tenant: Tenant
) -> None:
    ids = api.add_contacts(tenant.token, [contact(1)])
    status, body = delete(post, tenant.token, [ids[0], "nope"])
    assert_error(status, body, 400, "contact_ids[1] must be a UUID")
    assert listed(post, tenant.token) == (1, ids)


def test_id_of_wrong_type_is_400(post: Post, tenant: Tenant) -> None:
    status, body = post(DELETE, {"token": tenant.token, "contact_ids": [1]})
    assert_error(status, body, 400, "contact_ids[0] must be a string")


def test_missing_contact_ids_is_400(post: Post, tenant: Tenant) -> None:
    status, body = post(DELETE, {"token": tenant.token})
    assert_error(status, body, 400, "contact_ids is required")

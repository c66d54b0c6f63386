"""`/v3/contact/get` (the seed): one contact by id, or one page by cursor (docs/api.md,
"v3 contacts")."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
import pytest
from starlette.testclient import TestClient

from tests.contract.scenarios import walk
from tests.contract.wire import INVALID_PAGE_STATE, Post, assert_error
from tests.helpers import Api, Tenant, contact

GET = "/v3/contact/get"
SEED_FIELDS = {"contact_id", "phone_no", "first_name", "last_name", "email_id", "company"}


def page(post: Post, token: str, **fields: Any) -> dict[str, Any]:
    status, body = post(GET, {"token": token, **fields})
    assert status == 200, body
    return dict(body)


def ids_of(body: dict[str, Any]) -> list[str]:
    return [c["contact_id"] for c in body["contacts"]]


def test_response_has_the_seed_shape(api: Api, post: Post, tenant: Tenant) -> None:
    sample = {
        "phone_no": "919200000000",
        "first_name": "John",
        "last_name": "Doe",
        "email_id": "john.doe@example.com",
        "company": "Acme Corp",
        "job_title": "Software Engineer",
    }
    [contact_id] = api.add_contacts(tenant.token, [sample])
    body = page(post, tenant.token, limit=10)
    assert body == {
        "code": 200,
        "contacts": [{"contact_id": contact_id, **sample}],
        "count": 1,
        "page_state": None,
    }
    assert set(body["contacts"][0]) == {*SEED_FIELDS, "job_title"}


def test_unset_fields_are_empty_strings(api: Api, post: Post, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(1)])
    [item] = page(post, tenant.token)["contacts"]
    assert (item["email_id"], item["company"], item["job_title"]) == ("", "", "")


def test_empty_app_is_an_empty_last_page(post: Post, tenant: Tenant) -> None:
    assert page(post, tenant.token) == {"code": 200, "contacts": [], "count": 0, "page_state": None}


def test_default_limit_is_ten(api: Api, post: Post, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(n) for n in range(12)])
    body = page(post, tenant.token)
    assert len(body["contacts"]) == 10
    assert body["page_state"] is not None


def test_null_limit_is_the_default(api: Api, post: Post, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(n) for n in range(12)])
    assert len(page(post, tenant.token, limit=None)["contacts"]) == 10


@pytest.mark.parametrize("limit", [1, 100])
def test_limit_bounds_are_accepted(api: Api, post: Post, tenant: Tenant, limit: int) -> None:
    api.add_contacts(tenant.token, [contact(n) for n in range(100)])
    api.add_contacts(tenant.token, [contact(n) for n in range(100, 101)])
    body = page(post, tenant.token, limit=limit)
    assert len(body["contacts"]) == limit
    assert body["page_state"] is not None


def test_limit_out_of_range_is_400(post: Post, tenant: Tenant) -> None:
    for limit in (0, 101, -1, 10**6):
        status, body = post(GET, {"token": tenant.token, "limit": limit})
        assert (limit, body["msg"]) == (limit, "limit must be between 1 and 100")
        assert_error(status, body, 400, "limit must be between 1 and 100")


def test_limit_of_wrong_type_is_400(post: Post, tenant: Tenant) -> None:
    for limit in (True, "10", 1.5, [10], {"n": 10}):
        status, body = post(GET, {"token": tenant.token, "limit": limit})
        assert (limit, body["msg"]) == (limit, "limit must be an integer")
        assert_error(status, body, 400, "limit must be an integer")


def test_last_page_has_null_page_state_without_an_empty_round_trip(
    api: Api, post: Post, tenant: Tenant
) -> None:
    api.add_contacts(tenant.token, [contact(n) for n in range(20)])
    first = page(post, tenant.token, limit=10)
    second = page(post, tenant.token, limit=10, page_state=first["page_state"])
    assert len(second["contacts"]) == 10
    assert second["page_state"] is None


def test_exactly_one_full_page_is_the_last(api: Api, post: Post, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(n) for n in range(5)])
    assert page(post, tenant.token, limit=5)["page_state"] is None


def test_pages_are_in_creation_order_with_batch_order_kept(
    api: Api, post: Post, tenant: Tenant
) -> None:
    # Phones, names and ids out of order: only creation order explains the result.
    first = api.add_contacts(tenant.token, [contact(30), contact(10), contact(20)])
    second = api.add_contacts(tenant.token, [contact(5), contact(40)])
    pages = walk(post, tenant.token, limit=2)
    assert [i for body in pages for i in ids_of(body)] == first + second


def test_count_is_the_app_total_on_every_page(api: Api, post: Post, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(n) for n in range(7)])
    pages = walk(post, tenant.token, limit=3)
    assert [len(body["contacts"]) for body in pages] == [3, 3, 1]
    assert [body["count"] for body in pages] == [7, 7, 7]


def test_contact_id_returns_that_contact_and_the_app_total(
    api: Api, post: Post, tenant: Tenant
) -> None:
    ids = api.add_contacts(tenant.token, [contact(1), contact(2), contact(3)])
    body = page(post, tenant.token, contact_id=ids[1])
    assert ids_of(body) == [ids[1]]
    assert body["contacts"][0]["phone_no"] == "919000000002"
    assert body["count"] == 3
    assert body["page_state"] is None


def test_unknown_contact_id_is_200_with_no_contacts(api: Api, post: Post, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(1)])
    body = page(post, tenant.token, contact_id=str(uuid.uuid4()))
    assert body == {"code": 200, "contacts": [], "count": 1, "page_state": None}


def test_contact_id_that_is_not_a_uuid_is_400(post: Post, tenant: Tenant) -> None:
    for contact_id in ("", "not-a-uuid", "1234", "g" * 32, str(uuid.uuid4())[:-1]):
        status, body = post(GET, {"token": tenant.token, "contact_id": contact_id})
        assert (contact_id, body["msg"]) == (contact_id, "contact_id must be a UUID")
        assert_error(status, body, 400, "contact_id must be a UUID")


def test_contact_id_of_wrong_type_is_400(post: Post, tenant: Tenant) -> None:
    status, body = post(GET, {"token": tenant.token, "contact_id": 7})
    assert_error(status, body, 400, "contact_id must be a string")


def test_empty_page_state_is_the_first_page(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(1), contact(2)])
    assert ids_of(page(post, tenant.token, page_state="")) == ids
    assert ids_of(page(post, tenant.token, page_state=None)) == ids


def test_page_state_of_wrong_type_is_400(post: Post, tenant: Tenant) -> None:
    status, body = post(GET, {"token": tenant.token, "page_state": 12})
    assert_error(status, body, 400, "page_state must be a string")


def test_page_state_survives_a_deleted_boundary_contact(
    api: Api, post: Post, tenant: Tenant
) -> None:
    ids = api.add_contacts(tenant.token, [contact(n) for n in range(4)])
    first = page(post, tenant.token, limit=2)
    status, _ = post("/v3/contact/delete", {"token": tenant.token, "contact_ids": [ids[1]]})
    assert status == 200
    rest = page(post, tenant.token, limit=2, page_state=first["page_state"])
    assert ids_of(rest) == ids[2:]
    assert rest["count"] == 3


def test_contact_added_during_a_walk_comes_at_its_end(api: Api, post: Post, tenant: Tenant) -> None:
    ids = api.add_contacts(tenant.token, [contact(n) for n in range(3)])
    first = page(post, tenant.token, limit=2)
    late = api.add_contacts(tenant.token, [contact(99)])
    rest = page(post, tenant.token, limit=2, page_state=first["page_state"])
    assert ids_of(first) + ids_of(rest) == ids + late


# -- forged page_state ---------------------------------------------------------------------


def a_page_state(api: Api, post: Post, tenant: Tenant) -> str:
    api.add_contacts(tenant.token, [contact(1), contact(2)])
    state = page(post, tenant.token, limit=1)["page_state"]
    assert isinstance(state, str)
    return state


def flip_one_bit(text: str, bit: int) -> str:
    raw = bytearray(text.encode("ascii"))
    raw[bit // 8] ^= 1 << (bit % 8)
    return raw.decode("latin-1")


def test_every_tampered_page_state_is_refused(api: Api, post: Post, tenant: Tenant) -> None:
    state = a_page_state(api, post, tenant)
    forged = {
        "truncated": state[:-1],
        "truncated to half": state[: len(state) // 2],
        "extended": state + "A",
        "padded": state + "=",
        "doubled": state * 2,
        "very long": state * 100,
        "made up": "cursor_string_for_next_page",
        "case flipped": state.swapcase(),
        "spaced": f" {state}",
    } | {f"bit {bit}": flip_one_bit(state, bit) for bit in range(0, len(state) * 8, 7)}
    for how, value in forged.items():
        if value == state:
            continue
        status, body = post(GET, {"token": tenant.token, "page_state": value})
        assert (how, status, body) == (
            how,
            400,
            {"code": 400, "status": "error", "msg": INVALID_PAGE_STATE},
        )


# Every character class the JSON encoders treat differently: quotes and backslash,
# control characters (escaped), DEL and U+2028 (not escaped), non-ASCII and astral text.
AWKWARD = 'Zoë "Q" \\ / \x01\x1f\x7f\t\n😀 नमस्ते \u2028 <>&\''


def test_cards_carry_any_text_exactly_as_the_encoder_would(
    api: Api, client: TestClient, tenant: Tenant
) -> None:
    """The store renders each card (SQLite: a generated column; PostgreSQL: in the query);
    the answer must be the bytes msgspec would write for the same values."""
    sample = {
        "phone_no": "919200000001",
        "first_name": AWKWARD,
        "last_name": AWKWARD[::-1],
        "email_id": "zoe@example.com",
        "company": AWKWARD[:11],
        "job_title": AWKWARD[5:],
    }
    [contact_id] = api.add_contacts(tenant.token, [sample])
    for ask in ({}, {"contact_id": contact_id}):
        raw = client.post(GET, json={"token": tenant.token, **ask}).content
        body = msgspec.json.decode(raw)
        assert body["contacts"] == [{"contact_id": contact_id, **sample}]
        assert raw == msgspec.json.encode(body)  # compact, same escapes, same order

"""`/v1/getContact` (the seed): page numbers, counts, the name filter (docs/api.md,
"v1 contacts")."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.agent_api import (
    AUTH_FAILED,
    V1_CONTACT_KEYS,
    v1_get,
    v1_names,
    v1_update,
)
from tests.contract.wire import assert_error
from tests.helpers import Api, Tenant, contact

GET = "/v1/getContact"


def names(count: int) -> list[str]:
    return [f"First{n} Last{n}" for n in range(1, count + 1)]


def add_numbered(api: Api, tenant: Tenant, count: int) -> list[str]:
    """`count` contacts First1..FirstN, in that creation order; their v3 ids."""
    return api.add_contacts(tenant.token, [contact(n) for n in range(1, count + 1)])


def add_named(api: Api, tenant: Tenant, *full_names: str) -> None:
    """One contact per name (split at the first space), in the order given."""
    batch = []
    for n, full in enumerate(full_names, start=1):
        first, _, last = full.partition(" ")
        batch.append(contact(n, first_name=first, last_name=last))
    api.add_contacts(tenant.token, batch)


# -- the seed's shape -------------------------------------------------------------------------


def test_the_seed_sample_round_trips(api: Api, tenant: Tenant) -> None:
    v1_update(
        api,
        tenant.token,
        "Mike",
        9100000000,
        tag="callback",
        status="close",
        remindme=1630056656976,
    )
    body = v1_get(api, tenant.token, page=1, limit=10, name="Mike")
    [found] = body["contacts"]
    assert set(body) == {"count", "contacts", "code"}
    assert (body["count"], body["code"]) == (1, 200)
    assert set(found) == V1_CONTACT_KEYS
    assert found == {
        "agent": tenant.user_id,
        "inet_no": tenant.appid,
        "name": "Mike",
        "mobile": 9100000000,
        "tag": "callback",
        "time": found["time"],
        "remindme": 1630056656976,
        "status": "close",
        "email": "",
        "info": "",
        "notes": [],
    }
    assert type(found["mobile"]) is int
    assert type(found["time"]) is int


def test_an_unset_remindme_is_null_and_unset_strings_are_empty(api: Api, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(1)])
    [found] = v1_get(api, tenant.token)["contacts"]
    assert found["remindme"] is None
    assert (found["tag"], found["status"], found["email"], found["info"]) == ("", "", "", "")
    assert found["notes"] == []


def test_an_empty_app_has_no_contacts(api: Api, tenant: Tenant) -> None:
    assert v1_get(api, tenant.token) == {"count": 0, "contacts": [], "code": 200}


# -- pages ------------------------------------------------------------------------------------


def test_pages_are_slices_of_the_creation_order(api: Api, tenant: Tenant) -> None:
    add_numbered(api, tenant, 25)
    expected = names(25)
    for page, (start, end) in enumerate([(0, 10), (10, 20), (20, 25)], start=1):
        assert v1_names(api, tenant.token, page=page, limit=10) == (25, expected[start:end])


def test_the_default_limit_is_ten(api: Api, tenant: Tenant) -> None:
    add_numbered(api, tenant, 12)
    assert v1_names(api, tenant.token) == (12, names(10))
    assert v1_names(api, tenant.token, page=2) == (12, names(12)[10:])


def test_a_page_past_the_end_is_empty_with_the_true_count(api: Api, tenant: Tenant) -> None:
    add_numbered(api, tenant, 5)
    assert v1_get(api, tenant.token, page=2, limit=5) == {"count": 5, "contacts": [], "code": 200}
    assert v1_get(api, tenant.token, page=1_000_000_000, limit=1000)["contacts"] == []


@pytest.mark.parametrize("limit", [1, 3, 7, 1000])
def test_walking_every_page_returns_each_contact_once(api: Api, tenant: Tenant, limit: int) -> None:
    add_numbered(api, tenant, 20)
    seen: list[str] = []
    page = 1
    while True:
        count, found = v1_names(api, tenant.token, page=page, limit=limit)
        assert count == 20
        if not found:
            break
        seen += found
        page += 1
    assert seen == names(20)


def test_contacts_added_during_a_walk_do_not_move_page_boundaries(api: Api, tenant: Tenant) -> None:
    add_numbered(api, tenant, 10)
    assert v1_names(api, tenant.token, page=1, limit=4)[1] == names(4)
    api.add_contacts(tenant.token, [contact(n) for n in range(11, 13)])
    assert v1_names(api, tenant.token, page=2, limit=4) == (12, names(8)[4:])
    assert v1_names(api, tenant.token, page=3, limit=4) == (12, names(12)[8:])


def test_pages_are_offsets_after_a_delete_during_a_walk(api: Api, tenant: Tenant) -> None:
    """Page N is always records (N-1)*limit.. of the current list, even mid-walk."""
    ids = add_numbered(api, tenant, 10)
    assert v1_names(api, tenant.token, page=1, limit=4)[1] == names(4)
    status, _ = api.post("/v3/contact/delete", {"token": tenant.token, "contact_ids": [ids[1]]})
    assert status == 200
    remaining = [n for n in names(10) if n != "First2 Last2"]
    assert v1_names(api, tenant.token, page=2, limit=4) == (9, remaining[4:8])


def test_pages_are_offsets_after_a_rename_during_a_filtered_walk(api: Api, tenant: Tenant) -> None:
    ids = add_numbered(api, tenant, 10)
    assert v1_names(api, tenant.token, "first", page=1, limit=3)[1] == names(3)
    change = {"contact_id": ids[0], "first_name": "Renamed"}
    status, _ = api.post("/v3/contact/update", {"token": tenant.token, "contacts": [change]})
    assert status == 200
    assert v1_names(api, tenant.token, "first", page=2, limit=3) == (9, names(10)[4:7])


def test_the_list_is_the_whole_app_whoever_saved_each_contact(api: Api, tenant: Tenant) -> None:
    colleague = api.login(api.add_user(tenant.appid, tenant.secret))
    v1_update(api, tenant.token, "Mine", 9100000001)
    v1_update(api, colleague, "Theirs", 9100000002)
    for token in (tenant.token, colleague):
        body = v1_get(api, token)
        assert [(c["name"], c["agent"]) for c in body["contacts"]] == [
            ("Mine", tenant.user_id),
            ("Theirs", f"1002_{tenant.appid}"),
        ]


def test_another_apps_contacts_are_never_listed(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    add_named(api, other_tenant, "Mike Ross", "Zoë Rao")
    v1_update(api, tenant.token, "Mike Other", 9100000001)
    assert v1_names(api, tenant.token) == (1, ["Mike Other"])
    assert v1_names(api, tenant.token, "mike") == (1, ["Mike Other"])
    assert v1_names(api, tenant.token, "zo") == (0, [])
    assert v1_names(api, tenant.token, "zoë") == (0, [])


# -- the name filter ----------------------------------------------------------------------------

PEOPLE = (
    "Mike Ross",
    "Michael Scott",
    "Zoë Saldana",
    "Priyā Sharma",
    "Jessica Pearson",
    "Mike",
    "Harvey Specter",
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Mike", ["Mike Ross", "Mike"]),
        ("mike", ["Mike Ross", "Mike"]),
        ("MIKE", ["Mike Ross", "Mike"]),
        ("ic", ["Michael Scott", "Jessica Pearson"]),  # two characters
        ("IC", ["Michael Scott", "Jessica Pearson"]),
        ("z", ["Zoë Saldana"]),  # one character
        ("e R", ["Mike Ross"]),  # across the first and last name
        ("ke ro", ["Mike Ross"]),
        ("pearson", ["Jessica Pearson"]),
        ("Specter", ["Harvey Specter"]),
        ("x", []),
        ("qq", []),
        ("nobody", []),
    ],
)
def test_name_is_a_case_insensitive_substring(
    api: Api, tenant: Tenant, query: str, expected: list[str]
) -> None:
    add_named(api, tenant, *PEOPLE)
    assert v1_names(api, tenant.token, query) == (len(expected), expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Zoë", ["Zoë Saldana"]),
        ("zoë", ["Zoë Saldana"]),
        ("ZOË", ["Zoë Saldana"]),
        ("oë", ["Zoë Saldana"]),  # two characters, one of them beyond ASCII
        ("Ë", ["Zoë Saldana"]),
        ("Priyā", ["Priyā Sharma"]),
        ("PRIYĀ", ["Priyā Sharma"]),
        ("yā", ["Priyā Sharma"]),
        ("Ā", ["Priyā Sharma"]),
        ("Zoe", []),  # a diacritic is a different letter
        ("priya", []),
    ],
)
def test_unicode_names_match_in_any_case(
    api: Api, tenant: Tenant, query: str, expected: list[str]
) -> None:
    add_named(api, tenant, *PEOPLE)
    assert v1_names(api, tenant.token, query) == (len(expected), expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", ["Fifty% Off"]),
        ("_", ["Under_Score"]),
        ("y%", ["Fifty% Off"]),
        ("fty% o", ["Fifty% Off"]),
        ("r_s", ["Under_Score"]),
        ('"', ['Say "Hi"']),
        ('"hi"', ['Say "Hi"']),
        ("*", ["Star*"]),
        ("r*", ["Star*"]),
        ("a%", []),
        ("r_", ["Under_Score"]),
        ("OR", ["Under_Score", "Plain Doe OR Roe"]),
        ("AND", []),
    ],
)
def test_wildcards_and_quotes_in_the_filter_are_literal(
    api: Api, tenant: Tenant, query: str, expected: list[str]
) -> None:
    add_named(api, tenant, "Fifty% Off", "Under_Score", 'Say "Hi"', "Star*", "Plain Doe OR Roe")
    assert v1_names(api, tenant.token, query) == (len(expected), expected)


def test_an_empty_name_is_no_filter(api: Api, tenant: Tenant) -> None:
    add_named(api, tenant, *PEOPLE)
    assert v1_names(api, tenant.token, "") == (len(PEOPLE), list(PEOPLE))
    assert v1_names(api, tenant.token, None) == (len(PEOPLE), list(PEOPLE))


def test_the_count_is_the_number_matching_not_the_page_length(api: Api, tenant: Tenant) -> None:
    add_numbered(api, tenant, 30)  # First1 .. First30: "First1" is in 1, 10-19
    expected = ["First1 Last1", *[f"First{n} Last{n}" for n in range(10, 20)]]
    assert v1_names(api, tenant.token, "first1", limit=4) == (11, expected[:4])
    assert v1_names(api, tenant.token, "first1", page=3, limit=4) == (11, expected[8:])
    assert v1_names(api, tenant.token, "first1", page=4, limit=4) == (11, [])
    assert v1_names(api, tenant.token, "t2", limit=2) == (11, ["First2 Last2", "First20 Last20"])


@pytest.mark.parametrize("query", ["e", "st", "Last", "rst1"])
def test_filtered_walks_return_each_match_once(api: Api, tenant: Tenant, query: str) -> None:
    add_numbered(api, tenant, 23)
    expected = [n for n in names(23) if query.lower() in n.lower()]
    seen: list[str] = []
    for page in range(1, 30):
        count, found = v1_names(api, tenant.token, query, page=page, limit=4)
        assert count == len(expected)
        seen += found
    assert seen == expected


def test_the_filter_follows_renames_and_deletes(api: Api, tenant: Tenant) -> None:
    ids = add_numbered(api, tenant, 3)
    change = {"contact_id": ids[0], "first_name": "Zoë", "last_name": "Kravitz"}
    api.post("/v3/contact/update", {"token": tenant.token, "contacts": [change]})
    assert v1_names(api, tenant.token, "first1") == (0, [])
    assert v1_names(api, tenant.token, "kravitz") == (1, ["Zoë Kravitz"])
    assert v1_names(api, tenant.token, "zo") == (1, ["Zoë Kravitz"])
    v1_update(api, tenant.token, "Mike Ross", 919000000001)  # the same contact, by phone
    assert v1_names(api, tenant.token, "kravitz") == (0, [])
    assert v1_names(api, tenant.token, "ross") == (1, ["Mike Ross"])
    api.post("/v3/contact/delete", {"token": tenant.token, "contact_ids": [ids[0]]})
    assert v1_names(api, tenant.token, "ross") == (0, [])
    assert v1_names(api, tenant.token, "r") == (2, ["First2 Last2", "First3 Last3"])


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"page": None}, "page must be an integer"),
        ({"page": 0}, "page must be between 1 and 1000000000"),
        ({"page": -1}, "page must be between 1 and 1000000000"),
        ({"page": 1_000_000_001}, "page must be between 1 and 1000000000"),
        ({"page": "1"}, "page must be an integer"),
        ({"page": 1.5}, "page must be an integer"),
        ({"page": True}, "page must be an integer"),
        ({"limit": 0}, "limit must be between 1 and 1000"),
        ({"limit": 1001}, "limit must be between 1 and 1000"),
        ({"limit": "10"}, "limit must be an integer"),
        ({"limit": True}, "limit must be an integer"),
        ({"name": 5}, "name must be a string"),
        ({"name": "x" * 101}, "name must be at most 100 characters"),
    ],
)
def test_invalid_fields_are_400_naming_the_field(
    api: Api, tenant: Tenant, fields: dict[str, Any], msg: str
) -> None:
    status, body = api.post(GET, {"token": tenant.token, "page": 1, **fields})
    assert_error(status, body, 400, msg)


def test_page_is_required(api: Api, tenant: Tenant) -> None:
    status, body = api.post(GET, {"token": tenant.token})
    assert_error(status, body, 400, "page is required")


def test_the_limit_bounds_are_accepted(api: Api, tenant: Tenant) -> None:
    add_numbered(api, tenant, 2)
    assert v1_names(api, tenant.token, limit=1) == (2, names(1))
    assert v1_names(api, tenant.token, limit=1000) == (2, names(2))


@pytest.mark.parametrize("token", [None, "", "garbage", "1234567.unknown"])
def test_an_invalid_token_is_400(api: Api, tenant: Tenant, token: str | None) -> None:
    body: dict[str, Any] = {"page": 1} if token is None else {"token": token, "page": 1}
    status, error = api.post(GET, body)
    assert_error(status, error, 400, AUTH_FAILED)

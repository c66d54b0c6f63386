"""contactd's extensions (docs/api.md, "Extensions"): `/x/contacts/search` by a name
fragment or phone digits, `/x/contacts/due` by a reminder window; their view, their
cursors, their tokens and their errors. The brute-force models are in
test_extensions_model.py."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.contract.agent_api import AUTH_FAILED, v1_get, v1_one, v1_update, v3_read
from tests.contract.extensions_api import DUE, SEARCH, add_agent, x_page, x_walk
from tests.contract.wire import INVALID_PAGE_STATE, assert_error
from tests.helpers import Api, Tenant, contact

DAY_MS = 24 * 60 * 60 * 1000


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def names(found: list[dict[str, Any]]) -> list[str]:
    return [c["name"] for c in found]


# -- the view -------------------------------------------------------------------------------


def test_a_contact_shows_every_field_of_both_generations(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(
        tenant.token,
        [contact(1, first_name="Meera", last_name="Iyer", email_id="m@example.com", company="IT")],
    )
    v1_update(
        api,
        tenant.token,
        "Meera Iyer",
        "+919000000001",
        tag="lead",
        status="hot",
        remindme=1630056656976,
        info="call back",
    )
    [shown] = x_page(api, SEARCH, tenant.token, q="meera")["contacts"]
    v1_view = v1_one(api, tenant.token, 919000000001)
    v3_card = v3_read(api, tenant.token, contact_id)
    assert shown == {
        **v3_card,
        **{k: v1_view[k] for k in ("mobile", "name", "tag", "status", "remindme", "time")},
        **{k: v1_view[k] for k in ("agent", "info")},
    }
    assert (shown["agent"], shown["remindme"], shown["email_id"]) == (
        tenant.user_id,
        1630056656976,
        "m@example.com",
    )


# -- search ---------------------------------------------------------------------------------


def test_search_matches_names_as_v1_get_contact_does(api: Api, tenant: Tenant) -> None:
    full = ["Zoë Ross", "ZOË Zane", "Zoe Plain", "Priyā Das", "ǅemal Ǆ", "Ravi 100%_off"]
    api.add_contacts(
        tenant.token,
        [contact(n, first_name=f.split()[0], last_name=f.split()[1]) for n, f in enumerate(full)],
    )
    for q in ("zoë", "ZOË", "ǆ", "Ǆemal", "priyā", "a", "0%_", "%", "_", "ë z", "nobody"):
        counts, found = x_walk(api, SEARCH, tenant.token, limit=2, q=q)
        v1_body = v1_get(api, tenant.token, name=q, limit=100)
        assert names(found) == [c["name"] for c in v1_body["contacts"]], q
        assert set(counts) == {v1_body["count"]}, q


def test_no_query_or_a_blank_one_lists_the_whole_book_in_creation_order(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    full = ["Asha Rao", "Ravi Kumar", "Zoë Ross", "Priyā Das", "Meera Iyer"]
    api.add_contacts(
        tenant.token,
        [contact(n, first_name=f.split()[0], last_name=f.split()[1]) for n, f in enumerate(full)],
    )
    api.add_contacts(other_tenant.token, [contact(9, first_name="Not", last_name="Mine")])
    for query in ({}, {"q": " "}, {"q": "   "}):
        counts, found = x_walk(api, SEARCH, tenant.token, limit=2, **query)
        assert names(found) == full, query
        assert set(counts) == {len(full)}, query


def test_search_finds_a_number_by_any_three_or_more_of_its_digits(api: Api, tenant: Tenant) -> None:
    api.add_contacts(
        tenant.token,
        [
            {"phone_no": "9876543210", "first_name": "National", "last_name": "Number"},
            {"phone_no": "+91 98765 04432", "first_name": "Sent", "last_name": "Plus"},
            {"phone_no": "9000012345", "first_name": "Other", "last_name": "One"},
        ],
    )

    def found(q: str) -> list[str]:
        return names(x_walk(api, SEARCH, tenant.token, limit=1, q=q)[1])

    assert found("4432") == ["Sent Plus"]  # the last four digits
    assert found("3210") == ["National Number"]
    assert found("987 65") == ["National Number", "Sent Plus"]
    assert found("+91 9876") == ["National Number", "Sent Plus"]  # its international form
    assert found("(98765)-04432") == ["Sent Plus"]
    assert found("765.0") == ["Sent Plus"]
    assert found("000") == ["Other One"]
    assert found("98") == []  # two digits: a name fragment only
    assert found("x4432") == []  # letters: a name fragment only
    assert found("55 5") == []


def test_a_contact_found_by_name_and_digits_counts_once(api: Api, tenant: Tenant) -> None:
    api.add_contacts(
        tenant.token,
        [
            {"phone_no": "9000004432", "first_name": "Customer", "last_name": "4432"},
            {"phone_no": "9000000001", "first_name": "Customer", "last_name": "4432b"},
            {"phone_no": "9000014432", "first_name": "Asha", "last_name": "Rao"},
        ],
    )
    counts, found = x_walk(api, SEARCH, tenant.token, limit=2, q="4432")
    assert names(found) == ["Customer 4432", "Customer 4432b", "Asha Rao"]
    assert set(counts) == {3}


def test_search_follows_renames_new_numbers_and_deletes(api: Api, tenant: Tenant) -> None:
    first, second = api.add_contacts(tenant.token, [contact(1), contact(2)])
    status, body = api.post(
        "/v3/contact/update",
        {
            "token": tenant.token,
            "contacts": [
                {"contact_id": first, "first_name": "Renamed", "phone_no": "9811117777"},
            ],
        },
    )
    assert status == 200, body
    assert names(x_page(api, SEARCH, tenant.token, q="renamed")["contacts"]) == ["Renamed Last1"]
    assert x_page(api, SEARCH, tenant.token, q="First1")["count"] == 0
    assert names(x_page(api, SEARCH, tenant.token, q="1117777")["contacts"]) == ["Renamed Last1"]
    assert x_page(api, SEARCH, tenant.token, q="900000001")["count"] == 0  # the old number
    status, body = api.post("/v3/contact/delete", {"token": tenant.token, "contact_ids": [second]})
    assert status == 200, body
    assert x_page(api, SEARCH, tenant.token, q="Last2")["count"] == 0
    assert x_page(api, SEARCH, tenant.token, q="900000002")["count"] == 0


@pytest.mark.parametrize("path", [SEARCH, DUE])
def test_a_page_holds_20_contacts_unless_asked_and_null_fields_are_absent(
    api: Api, tenant: Tenant, path: str
) -> None:
    for n in range(21):
        remind(api, tenant.token, f"Mike {n}", 9100000000 + n, 100)
    nulls = {"limit": None, "page_state": None, "after": None, "agent": None}
    first = x_page(api, path, tenant.token, q="mike", before=1000, **nulls)
    assert (first["count"], len(first["contacts"])) == (21, 20)
    rest = x_page(api, path, tenant.token, q="mike", before=1000, page_state=first["page_state"])
    assert (names(rest["contacts"]), rest["page_state"]) == (["Mike 20"], None)


def test_a_search_page_state_carries_on_after_writes(api: Api, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(n, first_name="Kiran") for n in range(1, 6)])
    body = x_page(api, SEARCH, tenant.token, q="kiran", limit=2)
    assert (body["count"], names(body["contacts"])) == (5, ["Kiran Last1", "Kiran Last2"])
    api.add_contacts(tenant.token, [contact(9, first_name="Kiran")])
    rest = x_page(api, SEARCH, tenant.token, q="kiran", limit=10, page_state=body["page_state"])
    assert rest["count"] == 6
    assert names(rest["contacts"]) == [f"Kiran Last{n}" for n in (3, 4, 5, 9)]
    assert rest["page_state"] is None


# -- due ------------------------------------------------------------------------------------


def remind(api: Api, token: str, name: str, phone: int, at: int) -> None:
    v1_update(api, token, name, phone, remindme=at)


def test_due_lists_a_window_soonest_first_then_in_creation_order(api: Api, tenant: Tenant) -> None:
    for n, at in enumerate([3000, 1000, 2000, 1000, 4000, 999, 0]):
        remind(api, tenant.token, f"Due {n}", 9100000000 + n, at)
    api.add_contacts(tenant.token, [contact(1)])  # no reminder: never due
    counts, found = x_walk(api, DUE, tenant.token, limit=2, after=1000, before=4000)
    assert names(found) == ["Due 1", "Due 3", "Due 2", "Due 0"]
    assert set(counts) == {4}
    counts, found = x_walk(api, DUE, tenant.token, limit=3, before=1000)
    assert (names(found), set(counts)) == (["Due 6", "Due 5"], {2})
    # No start: the window [0, 0) is empty, not refused.
    assert x_page(api, DUE, tenant.token, before=0) == {
        "code": 200,
        "count": 0,
        "contacts": [],
        "page_state": None,
    }


def test_due_looks_a_day_ahead_by_default(api: Api, tenant: Tenant) -> None:
    now = now_ms()
    remind(api, tenant.token, "Overdue", 9100000001, now - 10 * DAY_MS)
    remind(api, tenant.token, "Soon", 9100000002, now + DAY_MS // 2)
    remind(api, tenant.token, "Later", 9100000003, now + 2 * DAY_MS)
    body = x_page(api, DUE, tenant.token)
    assert (body["count"], names(body["contacts"])) == (2, ["Overdue", "Soon"])


def test_due_moves_with_a_new_reminder_and_leaves_with_a_delete(api: Api, tenant: Tenant) -> None:
    remind(api, tenant.token, "Asha Rao", 9100000001, 5000)
    remind(api, tenant.token, "Ravi Kumar", 9100000002, 6000)
    remind(api, tenant.token, "Asha Rao", 9100000001, 7000)
    found = x_walk(api, DUE, tenant.token, limit=1, before=10_000)[1]
    assert names(found) == ["Ravi Kumar", "Asha Rao"]
    status, body = api.post("/v1/deleteContact", {"token": tenant.token, "mobile": 9100000002})
    assert status == 200, body
    assert names(x_walk(api, DUE, tenant.token, limit=1, before=10_000)[1]) == ["Asha Rao"]


def test_due_of_one_agent_lists_the_contacts_it_created(api: Api, tenant: Tenant) -> None:
    agent_id, agent_token = add_agent(api, tenant)
    remind(api, tenant.token, "By User", 9100000001, 100)
    remind(api, agent_token, "By Agent", 9100000002, 200)
    remind(api, agent_token, "By User", 9100000001, 300)  # an update keeps its creator
    for agent, expected in ((agent_id, ["By Agent"]), (tenant.user_id, ["By User"])):
        counts, found = x_walk(api, DUE, tenant.token, limit=1, before=1000, agent=agent)
        assert (names(found), set(counts)) == (expected, {1})
        assert {c["agent"] for c in found} == {agent}
    assert x_page(api, DUE, tenant.token, before=1000, agent="101_1")["count"] == 0


# -- tokens, tenancy, cursors ------------------------------------------------------------------


@pytest.mark.parametrize("path", [SEARCH, DUE])
def test_either_generations_token_works_and_a_refused_one_is_v3s_404(
    api: Api, tenant: Tenant, path: str
) -> None:
    _, agent_token = add_agent(api, tenant)
    remind(api, agent_token, "Mike Ross", 9100000001, 100)
    for token in (tenant.token, agent_token):
        assert x_page(api, path, token, q="mike", before=1000)["count"] == 1
    status, body = api.post(path, {"token": "nonsense", "q": "mike"})
    assert_error(status, body, 404, AUTH_FAILED)


def test_an_app_sees_only_its_own_contacts(api: Api, tenant: Tenant, other_tenant: Tenant) -> None:
    remind(api, tenant.token, "Mike Ross", 9100000001, 100)
    assert x_page(api, SEARCH, other_tenant.token, q="mike")["count"] == 0
    assert x_page(api, SEARCH, other_tenant.token, q="0000001")["count"] == 0
    assert x_page(api, DUE, other_tenant.token, before=1000)["count"] == 0


@pytest.mark.parametrize("path", [SEARCH, DUE])
def test_a_cursor_works_only_for_its_own_list_and_app(
    api: Api, tenant: Tenant, other_tenant: Tenant, path: str
) -> None:
    for n in range(3):
        for owner in (tenant, other_tenant):
            remind(api, owner.token, f"Mike {n}", 9100000000 + n, 100)
    query = {"q": "mike", "before": 1000, "limit": 1}
    own = x_page(api, path, tenant.token, **query)["page_state"]
    other = DUE if path == SEARCH else SEARCH
    v3_state = api.post("/v3/contact/get", {"token": tenant.token, "limit": 1})[1]["page_state"]
    foreign = x_page(api, path, other_tenant.token, **query)["page_state"]
    for page_state in (
        x_page(api, other, tenant.token, **query)["page_state"],
        v3_state,
        foreign,
        own[:-1] + ("A" if own[-1] != "A" else "B"),
        "",
        "x" * 600,
    ):
        status, body = api.post(path, {"token": tenant.token, **query, "page_state": page_state})
        if page_state == "":  # as v3: an empty cursor is the first page
            assert status == 200, body
            continue
        assert_error(status, body, 400, INVALID_PAGE_STATE)


# -- body errors ------------------------------------------------------------------------------

SEARCH_ERRORS = [
    ({"q": ""}, "q must be at least 1 character"),
    ({"q": "x" * 101}, "q must be at most 100 characters"),
    ({"q": 5}, "q must be a string"),
    ({"q": "a", "limit": 0}, "limit must be between 1 and 100"),
    ({"q": "a", "limit": 101}, "limit must be between 1 and 100"),
    ({"q": "a", "limit": "5"}, "limit must be an integer"),
    ({"q": "a", "page_state": 7}, "page_state must be a string"),
]
DUE_ERRORS = [
    ({"before": -1}, "before must be between 0 and 253402300799999"),
    ({"before": 253_402_300_800_000}, "before must be between 0 and 253402300799999"),
    ({"after": -5}, "after must be between 0 and 253402300799999"),
    ({"after": 10, "before": 10}, "after must be less than before"),
    ({"after": 11, "before": 10}, "after must be less than before"),
    ({"after": "1"}, "after must be an integer"),
    ({"agent": "mike"}, "agent must be of the form {extension}_{appid}"),
    ({"agent": "1_" + "1" * 63}, "agent must be at most 64 characters"),
    ({"limit": 0}, "limit must be between 1 and 100"),
]


@pytest.mark.parametrize(
    ("path", "fields", "msg"),
    [(SEARCH, f, m) for f, m in SEARCH_ERRORS] + [(DUE, f, m) for f, m in DUE_ERRORS],
)
def test_a_body_error_is_a_400_naming_the_field_and_rule(
    api: Api, tenant: Tenant, path: str, fields: dict[str, Any], msg: str
) -> None:
    status, body = api.post(path, {"token": tenant.token, **fields})
    assert_error(status, body, 400, msg)

"""One contact store, every generation a view of it (docs/api.md, "Contacts"): round trips between
v1 and v3, phone identity across their formats, and each generation's own fields
surviving the other's writes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.agent_api import (
    REMOVED,
    v1_get,
    v1_one,
    v1_update,
    v3_all,
    v3_count,
    v3_read,
)
from tests.contract.wire import DUPLICATE, assert_duplicates, assert_error
from tests.helpers import USER_PASSWORD, Api, Tenant, contact


def v3_update(api: Api, token: str, contact_id: str, **fields: Any) -> None:
    status, body = api.post(
        "/v3/contact/update", {"token": token, "contacts": [{"contact_id": contact_id, **fields}]}
    )
    assert status == 200, body


def test_v1_write_v3_read_v3_update_v1_read(api: Api, tenant: Tenant) -> None:
    v1_update(
        api,
        tenant.token,
        "Mike J Ross",
        9100000000,
        email="john.doe@example.com",
        tag="callback",
        status="close",
        remindme=1630056656976,
        info="Followup date added",
    )
    [seen] = v3_all(api, tenant.token)
    assert seen == {
        "contact_id": seen["contact_id"],
        "phone_no": "9100000000",
        "first_name": "Mike",
        "last_name": "J Ross",
        "email_id": "john.doe@example.com",
        "company": "",
        "job_title": "",
    }
    before = v1_one(api, tenant.token, 9100000000)
    v3_update(
        api,
        tenant.token,
        seen["contact_id"],
        first_name="Harvey",
        last_name="Specter",
        email_id="harvey@example.com",
        company="Pearson Hardman",
    )
    after = v1_one(api, tenant.token, 9100000000)
    assert after == {**before, "name": "Harvey Specter", "email": "harvey@example.com"}


def test_v3_write_v1_update_v3_read(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(
        tenant.token,
        [contact(1, phone_no="919100000000", company="Acme Corp", job_title="Engineer")],
    )
    v1_update(api, tenant.token, "Zoë Saldana", 9100000000, email="john.doe@example.com")
    assert v3_read(api, tenant.token, contact_id) == {
        "contact_id": contact_id,
        "phone_no": "919100000000",
        "first_name": "Zoë",
        "last_name": "Saldana",
        "email_id": "john.doe@example.com",
        "company": "Acme Corp",  # v3-only fields survive the v1 write
        "job_title": "Engineer",
    }
    assert v3_count(api, tenant.token) == 1


def test_a_v3_contact_in_the_v1_view(api: Api, tenant: Tenant) -> None:
    api.add_contacts(
        tenant.token, [contact(1, phone_no="919200000000", first_name="Mike", last_name="")]
    )
    [found] = v1_get(api, tenant.token)["contacts"]
    assert found == {
        "agent": tenant.user_id,
        "inet_no": tenant.appid,
        "name": "Mike",
        "mobile": 919200000000,
        "tag": "",
        "time": found["time"],
        "remindme": None,
        "status": "",
        "email": "",
        "info": "",
        "notes": [],
    }


def test_v1_only_fields_survive_a_v3_update(api: Api, tenant: Tenant) -> None:
    v1_update(
        api,
        tenant.token,
        "Mike",
        9100000000,
        tag="callback",
        status="close",
        remindme=1630056656976,
        info="called",
    )
    before = v1_one(api, tenant.token, 9100000000)
    [seen] = v3_all(api, tenant.token)
    v3_update(
        api,
        tenant.token,
        seen["contact_id"],
        phone_no="919100000000",  # the same number in its other form
        company="Acme",
        job_title="Boss",
    )
    after = v1_one(api, tenant.token, 919100000000)
    for field in ("agent", "inet_no", "name", "tag", "time", "remindme", "status", "info"):
        assert after[field] == before[field], field
    assert after["notes"] == before["notes"]


@pytest.mark.parametrize(
    ("v1_phone", "v3_phone"),
    [(9100000000, "919100000000"), ("919100000000", "9100000000"), (9100000000, "+919100000000")],
)
def test_both_phone_forms_are_one_contact(
    api: Api, tenant: Tenant, v1_phone: Any, v3_phone: str
) -> None:
    v1_update(api, tenant.token, "Mike", v1_phone)
    status, body = api.post(
        "/v3/contact/add", {"token": tenant.token, "contacts": [contact(1, phone_no=v3_phone)]}
    )
    assert_duplicates(status, body, [v3_phone.lstrip("+")])
    assert body["msg"] == DUPLICATE
    assert v3_count(api, tenant.token) == 1


def test_v1_updates_the_v3_contact_with_the_national_number(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1, phone_no="919100000000")])
    v1_update(api, tenant.token, "Mike Ross", 9100000000, tag="callback")
    assert v3_count(api, tenant.token) == 1
    assert v3_read(api, tenant.token, contact_id)["first_name"] == "Mike"
    assert v1_one(api, tenant.token, 919100000000)["tag"] == "callback"


def test_v1_deletes_the_v3_contact_and_v3_deletes_the_v1_one(api: Api, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(1, phone_no="919100000000")])
    status, body = api.post("/v1/deleteContact", {"token": tenant.token, "mobile": 9100000000})
    assert (status, body) == (200, REMOVED)
    v1_update(api, tenant.token, "Mike", 9100000001)
    [seen] = v3_all(api, tenant.token)
    status, body = api.post(
        "/v3/contact/delete", {"token": tenant.token, "contact_ids": [seen["contact_id"]]}
    )
    assert (status, body["deleted"]) == (200, 1)
    assert v1_get(api, tenant.token) == {"count": 0, "contacts": [], "code": 200}
    status, body = api.post("/v1/deleteContact", {"token": tenant.token, "mobile": 9100000001})
    assert_error(status, body, 400, "contact not found")


def test_a_v3_phone_change_onto_a_v1_contact_is_409(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike", 9100000000)
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    status, body = api.post(
        "/v3/contact/update",
        {
            "token": tenant.token,
            "contacts": [{"contact_id": contact_id, "phone_no": "919100000000"}],
        },
    )
    assert_duplicates(status, body, ["919100000000"])


def test_counts_agree_across_generations(api: Api, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(n) for n in range(1, 4)])
    v1_update(api, tenant.token, "New", 9100000000)
    v1_update(api, tenant.token, "Existing", 919000000001)
    assert v3_count(api, tenant.token) == v1_get(api, tenant.token)["count"] == 4
    api.post("/v1/deleteContact", {"token": tenant.token, "mobile": 9000000002})
    assert v3_count(api, tenant.token) == v1_get(api, tenant.token)["count"] == 3


def test_list_order_is_creation_order_whichever_generation_created(
    api: Api, tenant: Tenant
) -> None:
    api.add_contacts(tenant.token, [contact(1), contact(2)])
    v1_update(api, tenant.token, "From V1", 9100000000)
    api.add_contacts(tenant.token, [contact(3)])
    v1_update(api, tenant.token, "Renamed", 919000000001)  # an update does not move it
    v1_names = [c["name"] for c in v1_get(api, tenant.token)["contacts"]]
    assert v1_names == ["Renamed", "First2 Last2", "From V1", "First3 Last3"]
    v3_names = [f"{c['first_name']} {c['last_name']}".strip() for c in v3_all(api, tenant.token)]
    assert v3_names == v1_names


def test_tokens_of_either_login_work_on_both_generations(api: Api, tenant: Tenant) -> None:
    status, v1_login = api.post("/v1/agentLogin", {"id": tenant.user_id, "password": USER_PASSWORD})
    assert status == 200
    v1_update(api, v1_login["token"], "Via V1 Token", 9100000000)
    api.add_contacts(v1_login["token"], [contact(1)])
    assert v1_get(api, tenant.token)["count"] == v3_count(api, v1_login["token"]) == 2


def test_the_same_number_in_two_apps_is_two_contacts(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    """Identity is per app: one number in two apps is two contacts, each its own."""
    v1_update(api, tenant.token, "Mine", 9100000000)
    v1_update(api, other_tenant.token, "Theirs", "919100000000")
    assert v1_one(api, tenant.token, 9100000000)["name"] == "Mine"
    assert v1_one(api, other_tenant.token, 919100000000)["name"] == "Theirs"

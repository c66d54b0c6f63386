from __future__ import annotations

from tests.helpers import Api, Tenant, contact


def test_added_contact_is_read_back(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(tenant.token, [contact(1)])
    status, body = api.post("/v3/contact/get", {"token": tenant.token, "contact_id": contact_id})
    assert status == 200
    assert body["contacts"][0]["phone_no"] == "919000000001"
    assert body["count"] == 1

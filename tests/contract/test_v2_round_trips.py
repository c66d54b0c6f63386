"""One contact and its notes across the generations (docs/api.md, "v2 contacts"): what
v1, v2 or v3 and the extensions write, the other two read back, notes included."""

from __future__ import annotations

from typing import Any

from tests.contract.agent_api import v1_one, v1_update, v3_all
from tests.contract.v2_api import add_note, notes_of, v2_one, v2_update
from tests.helpers import Api, Tenant

PHONE = 919100000000


def x_contact(api: Api, token: str, contact_id: str) -> dict[str, Any]:
    status, body = api.post("/x/contacts/get", {"token": token, "contact_id": contact_id})
    assert status == 200, body
    return dict(body["contact"])


def only_card(api: Api, token: str) -> dict[str, Any]:
    [card] = v3_all(api, token)
    return card


def test_written_in_v1_read_in_v2_v3_and_x(api: Api, tenant: Tenant) -> None:
    v1_update(api, tenant.token, "Mike Ross", PHONE, tag="Sales", info="v1 note")
    v1_update(api, tenant.token, "Mike Ross", PHONE, email="mike@example.com")
    v2 = v2_one(api, tenant.token, PHONE)
    assert v2 == v1_one(api, tenant.token, PHONE)
    [note] = v2["notes"]
    assert (note["msg"], note["agent"]) == ("v1 note", tenant.user_id)
    notes = notes_of(api, tenant.token, PHONE)
    assert (notes["name"], notes["tag"], notes["notes"]) == ("Mike Ross", "Sales", [note])
    card = only_card(api, tenant.token)
    assert (card["first_name"], card["last_name"], card["email_id"]) == (
        "Mike",
        "Ross",
        "mike@example.com",
    )
    assert x_contact(api, tenant.token, card["contact_id"])["notes"] == [note]


def test_written_in_v2_read_in_v1_v3_and_x(api: Api, tenant: Tenant) -> None:
    v2_update(api, tenant.token, "Rachel Zane", PHONE, status="Hot Lead", info="Sales")
    add_note(api, tenant.token, PHONE, "Asked for the quote", 1629980029850, name="Rachel Zane")
    v1 = v1_one(api, tenant.token, PHONE)
    assert (v1["name"], v1["status"], v1["info"]) == ("Rachel Zane", "Hot Lead", "Sales")
    assert [n["msg"] for n in v1["notes"]] == ["Sales", "Asked for the quote"]
    assert v1["notes"][1] == {
        "msg": "Asked for the quote",
        "date": 1629980029850,
        "agent": tenant.user_id,
    }
    card = only_card(api, tenant.token)
    assert (card["phone_no"], card["first_name"], card["last_name"]) == (
        str(PHONE),
        "Rachel",
        "Zane",
    )
    shown = x_contact(api, tenant.token, card["contact_id"])
    assert (shown["status"], shown["notes"]) == ("Hot Lead", v1["notes"])


def test_written_in_v3_and_x_read_in_v1_and_v2(api: Api, tenant: Tenant) -> None:
    [contact_id] = api.add_contacts(
        tenant.token,
        [{"phone_no": str(PHONE), "first_name": "Harvey", "last_name": "Specter"}],
    )
    status, body = api.post(
        "/x/contacts/update",
        {"token": tenant.token, "contact_id": contact_id, "tag": "VIP", "note": "x note"},
    )
    assert status == 200, body
    [note] = body["contact"]["notes"]
    v1 = v1_one(api, tenant.token, PHONE)
    v2 = v2_one(api, tenant.token, PHONE)
    assert v1 == v2
    assert (v2["name"], v2["tag"], v2["info"], v2["notes"]) == (
        "Harvey Specter",
        "VIP",
        "x note",
        [note],
    )
    # A note added in v2 to a v3 contact lands on it (one phone, one contact).
    add_note(api, tenant.token, str(PHONE), "v2 note", note["date"] + 1, name="Harvey Specter")
    notes = notes_of(api, tenant.token, PHONE)["notes"]
    assert [n["msg"] for n in notes] == ["x note", "v2 note"]
    assert x_contact(api, tenant.token, contact_id)["notes"] == notes
    assert v1_one(api, tenant.token, PHONE)["notes"] == notes

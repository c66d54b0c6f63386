"""A book that writes every table of the store an app has rows in, and the answers that
read it back: what the stand-in tests of reset and snapshots fill an app with, then
compare byte for byte."""

from __future__ import annotations

from typing import Any

from tests.contract.agent_api import v1_update
from tests.contract.extensions_api import DUE, SEARCH, add_agent
from tests.contract.v2_api import ADMIN_TAGS, LATER, NOTES_GET, TAGS_GET, add_note
from tests.helpers import Api, Tenant

NAMES = [("Ravi", "Kumar"), ("Ravi", "Shankar"), ("Zoë", "Müller"), ("Asha", "Rao"), ("Élodie", "")]
PHONES = [f"9198123456{n:02d}" for n in range(len(NAMES))]
KEYED_PHONE = "919812345699"
DUE_AT = 1_900_000_000_000
KEY = "Idempotency-Key"

READS: list[tuple[str, dict[str, Any]]] = [
    ("/v1/getContact", {"page": 1, "limit": 100}),
    ("/v1/getContact", {"page": 1, "name": "ravi"}),
    ("/v1/getContact", {"page": 2, "name": "ravi", "limit": 1}),
    ("/v1/getContact", {"page": 1, "name": "a"}),
    ("/v1/getContact", {"page": 1, "name": "zoë m"}),
    ("/v3/contact/get", {"limit": 100}),
    ("/v2/user/contact/get", {"page": 1}),
    (SEARCH, {"q": "ravi"}),
    (SEARCH, {"q": "234560"}),
    (DUE, {"after": 0, "before": LATER}),
    (TAGS_GET, {}),
    (NOTES_GET, {"phone_number": PHONES[1], "date": LATER}),
]
"""What a principal's token reads: every listing, name search (1, 2 and more characters,
accents), phone digits, the due list, the tags and a contact's notes."""


def fill(api: Api, tenant: Tenant) -> None:
    """Contacts (with a reminder, a tag, notes), a tag catalogue, an idempotency key, a
    second principal and failed logins, in the tenant's app."""
    contacts = [
        {"phone_no": phone, "first_name": first, "last_name": last}
        for phone, (first, last) in zip(PHONES, NAMES, strict=True)
    ]
    api.add_contacts(tenant.token, contacts)
    keyed = api.client.post(
        "/v3/contact/add",
        json={
            "token": tenant.token,
            "contacts": [{"phone_no": KEYED_PHONE, "first_name": "Kay", "last_name": "Lee"}],
        },
        headers={KEY: "book-1"},
    )
    assert keyed.status_code == 200, keyed.text
    v1_update(api, tenant.token, "Ravi Kumar", PHONES[0], tag="Support", remindme=DUE_AT)
    v1_update(api, tenant.token, "Ravi Shankar", PHONES[1], info="call back", status="open")
    add_note(api, tenant.token, PHONES[1], "sent the quote", 1_700_000_000_000, "Ravi Shankar")
    status, body = api.post(
        ADMIN_TAGS, {"appid": tenant.appid, "secret": tenant.secret, "tags": ["Sales", "Support"]}
    )
    assert status == 200, body
    add_agent(api, tenant)
    for _ in range(3):
        failed, _ = api.post("/v2/user/login", {"id": tenant.user_id, "password": "wrong-one"})
        assert failed == 404


def answers(api: Api, tenant: Tenant, token: str) -> dict[str, bytes]:
    """Each read of `READS` with `token`, and the app's principals through its secret,
    as the bytes answered."""
    found: dict[str, bytes] = {}
    for path, body in READS:
        response = api.client.post(path, json={"token": token, **body})
        assert response.status_code == 200, response.text
        found[f"{path} {body}"] = response.content
    response = api.client.post(
        "/v3/user/list", json={"appid": tenant.appid, "secret": tenant.secret, "limit": 100}
    )
    assert response.status_code == 200, response.text
    found["/v3/user/list"] = response.content
    return found


def counts(api: Api, token: str) -> dict[str, int]:
    """The count each listing of `READS` answers."""
    found: dict[str, int] = {}
    for path, body in READS:
        if path in (TAGS_GET, NOTES_GET):
            continue
        status, answer = api.post(path, {"token": token, **body})
        assert status == 200, answer
        found[f"{path} {body}"] = int(answer["count"])
    return found

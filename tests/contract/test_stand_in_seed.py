"""Stand-in mode's seed (`POST /_contactd/seed`): principals in any generation's admin
add body and contacts in v3's or v1's shape, checked whole by the endpoints' own rules
before anything is written, answered with the new ids in the order sent. Both backends.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from contactd.api.decode import decode_body
from contactd.config import Settings
from contactd.domain.clock import now_ms
from contactd.standin.control import STAND_IN_OPERATIONS
from contactd.standin.seeding import MAX_SEED_CONTACTS, MAX_SEED_PRINCIPALS, SeedRequest
from tests.contract.agent_api import v1_get
from tests.contract.wire import APP_AUTH_FAILED, DUPLICATE, assert_error
from tests.helpers import FAST_HASH, Api, Tenant, contact

DAY_MS = 24 * 60 * 60 * 1000
PASSWORD = "seeded-password"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, stand_in=True, **FAST_HASH)


@pytest.fixture
def app(api: Api) -> tuple[int, str]:
    """An app with no principals and no contacts."""
    return api.create_app("Seeded")


def seed(api: Api, app: tuple[int, str], **parts: Any) -> tuple[int, Any]:
    appid, secret = app
    return api.post("/_contactd/seed", {"appid": appid, "secret": secret, **parts})  # type: ignore[no-any-return]


def seeded(api: Api, app: tuple[int, str], **parts: Any) -> dict[str, Any]:
    status, body = seed(api, app, **parts)
    assert status == 200, body
    return dict(body)


def error(msg: str) -> dict[str, Any]:
    return {"code": 400, "status": "error", "msg": msg}


def v3_user(extension: int, **fields: Any) -> dict[str, Any]:
    return {
        "extension": extension,
        "first_name": "Asha",
        "last_name": "Rao",
        "phone_number": "919800000001",
        "password": PASSWORD,
        **fields,
    }


def v1_agent(extension: int, **fields: Any) -> dict[str, Any]:
    return {
        "extension": extension,
        "name": "Vikram Shah",
        "phone_number": "919800000002",
        "password": PASSWORD,
        **fields,
    }


def v1_contact(n: int, **fields: Any) -> dict[str, Any]:
    return {"from": int(f"9191{n:08d}"), "name": f"Caller {n}", **fields}


def everything(api: Api, app: tuple[int, str]) -> tuple[Any, ...]:
    """What the app holds, as the admin and the console read it: its principals and every
    contact with every field."""
    appid, secret = app
    status, users = api.post("/v3/user/all", {"appid": appid, "secret": secret})
    assert status == 200, users
    if not users["agents"]:
        return (users,)
    token = api.login(users["agents"][0]["agent_id"], PASSWORD)
    status, book = api.post("/x/contacts/search", {"token": token, "limit": 100})
    assert status == 200, book
    return users, book


def test_principals_of_every_generation_log_in_and_read_the_contacts_of_both_shapes(
    api: Api, app: tuple[int, str]
) -> None:
    appid = app[0]
    soon = now_ms() + 3 * DAY_MS
    body = seeded(
        api,
        app,
        principals=[
            v3_user(1001, email_id="asha@example.com", followme=True),
            v1_agent(1002, sms_alert=True),
            {**v1_agent(1003), "generation": "v2", "name": "Uma Devi"},
        ],
        contacts=[
            contact(1, company="Acme", job_title="Buyer", email_id="c1@example.com"),
            v1_contact(
                2,
                tag="lead",
                status="call back",
                remindme=soon,
                email="c2@example.com",
                info="wants pricing",
                agent=f"1002_{appid}",
                notes=[{"msg": "asked for a demo", "date": 1_700_000_000_000}],
            ),
        ],
    )
    assert body["code"] == 200 and body["status"] == "success"
    assert body["principals"] == [f"1001_{appid}", f"1002_{appid}", f"1003_{appid}"]
    token = api.login(f"1003_{appid}", PASSWORD)
    status, cards = api.post("/v3/contact/get", {"token": token})
    assert status == 200, cards
    assert [c["contact_id"] for c in cards["contacts"]] == body["contacts"]
    assert cards["contacts"][0]["company"] == "Acme"
    assert cards["contacts"][1]["phone_no"] == "919100000002"
    first, second = v1_get(api, token)["contacts"]
    assert first["agent"] == f"1001_{appid}"  # the seed's first principal, by default
    assert (second["agent"], second["tag"], second["status"]) == (
        f"1002_{appid}",
        "lead",
        "call back",
    )
    assert (second["remindme"], second["email"], second["info"]) == (
        soon,
        "c2@example.com",
        "wants pricing",
    )
    assert [(n["msg"], n["agent"]) for n in second["notes"]] == [
        ("wants pricing", f"1002_{appid}"),  # a sent info is a note, as updateContact makes it
        ("asked for a demo", f"1002_{appid}"),
    ]
    assert second["notes"][1]["date"] == 1_700_000_000_000
    status, users = api.post(
        "/v1/agent/list", {"appid": appid, "secret": app[1], "page": 1, "limit": 10}
    )
    assert status == 200, users
    notify = {u["agent_id"]: u["notify"] for u in users["agents"]}
    assert notify == {f"1001_{appid}": False, f"1002_{appid}": True, f"1003_{appid}": False}
    status, user = api.post(
        "/v3/user/get", {"appid": appid, "secret": app[1], "agent_id": f"1001_{appid}"}
    )
    assert (user["agent"]["email_id"], user["agent"]["followme"]) == ("asha@example.com", True)


def test_a_seeded_reminder_is_on_the_due_list(api: Api, app: tuple[int, str]) -> None:
    due_at = now_ms() + DAY_MS // 2
    seeded(
        api, app, principals=[v3_user(1001)], contacts=[v1_contact(1, remindme=due_at), contact(2)]
    )
    token = api.login(f"1001_{app[0]}", PASSWORD)
    status, due = api.post("/x/contacts/due", {"token": token})
    assert status == 200, due
    assert [(c["mobile"], c["remindme"]) for c in due["contacts"]] == [(919100000001, due_at)]


def test_contacts_default_to_the_apps_first_principal_when_the_seed_has_none(
    api: Api, tenant: Tenant
) -> None:
    body = seeded(api, (tenant.appid, tenant.secret), contacts=[contact(1), v1_contact(2)])
    assert body["principals"] == []
    agents = [c["agent"] for c in v1_get(api, tenant.token)["contacts"]]
    assert agents == [tenant.user_id, tenant.user_id]


def test_contacts_need_a_principal(api: Api, app: tuple[int, str]) -> None:
    status, body = seed(api, app, contacts=[contact(1)])
    assert status == 400, body
    assert body["msg"].startswith("contacts[0].agent is required: contacts need a principal")


def test_seeded_contacts_are_timed_by_the_apps_clock(api: Api, app: tuple[int, str]) -> None:
    at = 1_900_000_000_000
    status, body = api.post("/_contactd/clock", {"appid": app[0], "secret": app[1], "set_ms": at})
    assert status == 200, body
    seeded(
        api,
        app,
        principals=[v3_user(1001)],
        contacts=[v1_contact(1, notes=[{"msg": "undated"}]), contact(2)],
    )
    contacts = v1_get(api, api.login(f"1001_{app[0]}", PASSWORD))["contacts"]
    for seen in contacts:
        assert at <= seen["time"] < at + 60_000
    assert contacts[0]["time"] == contacts[1]["time"] == contacts[0]["notes"][0]["date"]


def test_an_empty_seed_adds_nothing(api: Api, app: tuple[int, str]) -> None:
    assert seeded(api, app)["principals"] == seeded(api, app)["contacts"] == []


# Each case's items follow one good principal and two good contacts: the bad item is the
# last, so the ones before it would have been written by a seed that did not check first.
BAD_ITEMS: list[tuple[str, Any, str]] = [
    ("principals", [v3_user(1302, password="")], "principals[1].password must be at least 1"),
    (
        "principals",
        [v3_user(1302), v1_agent(1303, phone_number="12ab")],
        "principals[2].phone_number must contain digits only",
    ),
    (
        "principals",
        [{**v3_user(1302), "first_name": None}],
        "principals[1].first_name is required (or name)",
    ),
    ("principals", [v3_user(99)], "principals[1].extension must be between 100 and 9999"),
    (
        "principals",
        [v1_agent(1302, generation="v1", name=7)],
        "principals[1].name must be a string",
    ),
    (
        "principals",
        [v3_user(1302, generation="v4")],
        "principals[1].generation must be one of v1, v2, v3",
    ),
    ("principals", [[1302]], "principals[1] must be an object"),
    ("principals", {}, "principals must be an array"),
    (
        "contacts",
        [contact(3, phone_no="12")],
        "contacts[2].phone_no is not a possible phone number",
    ),
    ("contacts", [contact(3, email_id="nope")], "contacts[2].email_id"),
    ("contacts", [v1_contact(3, name=" ")], "contacts[2].name must not be empty"),
    ("contacts", [v1_contact(3, remindme=-1)], "contacts[2].remindme must be between 0 and"),
    ("contacts", [contact(3, generation="v1")], "contacts[2].from is required"),
    ("contacts", [contact(3, generation="v2")], "contacts[2].generation must be one of v1, v3"),
    ("contacts", [contact(3, agent="1009_1")], "contacts[2].agent must be the id of a principal"),
    ("contacts", [contact(3, notes=[{"msg": " "}])], "contacts[2].notes[0].msg must not be empty"),
    (
        "contacts",
        [contact(3, notes=[{"msg": "x", "agent": "7"}])],
        "contacts[2].notes[0].agent must be the id of a principal",
    ),
    ("contacts", [contact(3, notes="x")], "contacts[2].notes must be an array"),
    ("contacts", ["919100000001"], "contacts[2] must be an object"),
    ("contacts", {}, "contacts must be an array"),
]


@pytest.mark.parametrize(("field", "items", "named"), BAD_ITEMS)
def test_a_bad_item_is_400_naming_it_and_its_field_and_nothing_is_written(
    api: Api, app: tuple[int, str], field: str, items: Any, named: str
) -> None:
    seeded(api, app, principals=[v3_user(1201)], contacts=[contact(100)])
    before = everything(api, app)
    body: dict[str, Any] = {"principals": [v3_user(1301)], "contacts": [contact(1), v1_contact(2)]}
    body[field] = body[field] + items if isinstance(items, list) else items
    status, answer = seed(api, app, **body)
    assert status == 400 and named in answer["msg"], answer
    assert everything(api, app) == before


def test_extensions_taken_in_the_seed_or_the_app_are_refused_as_the_add_refuses_them(
    api: Api, app: tuple[int, str]
) -> None:
    seeded(api, app, principals=[v3_user(1001)])
    status, body = seed(api, app, principals=[v3_user(1002), v1_agent(1002)])
    assert status == 400, body
    assert (
        body["msg"] == "principals[1].extension 1002: Extension Already Exists (as principals[0])"
    )
    before = everything(api, app)
    status, body = seed(api, app, principals=[v3_user(1003), v1_agent(1001)], contacts=[contact(1)])
    assert status == 400, body
    assert body["msg"] == "principals[1].extension 1001: Extension Already Exists (in the app)"
    assert everything(api, app) == before


def test_a_phone_twice_in_the_seed_is_refused_as_a_duplicate(
    api: Api, app: tuple[int, str]
) -> None:
    # A national number is the app's country's: the same contact as its full form.
    status, body = seed(
        api,
        app,
        principals=[v3_user(1001)],
        contacts=[
            contact(1, phone_no="919812345678"),
            contact(2),
            v1_contact(3, **{"from": 9812345678}),
        ],
    )
    msg = f"contacts[2].from 9812345678: {DUPLICATE} (the phone of contacts[0])"
    assert (status, body) == (400, {**error(msg), "duplicates": ["9812345678"]})
    status, users = api.post("/v3/user/all", {"appid": app[0], "secret": app[1]})
    assert (status, users["count"]) == (200, 0), users


def test_a_phone_the_app_holds_refuses_the_whole_seed_principals_too(
    api: Api, app: tuple[int, str]
) -> None:
    seeded(api, app, principals=[v3_user(1001)], contacts=[contact(1)])
    before = everything(api, app)
    status, body = seed(
        api,
        app,
        principals=[v3_user(1002)],
        contacts=[contact(2), v1_contact(3, **{"from": contact(1)["phone_no"]})],
    )
    msg = f"contacts[1].from 919000000001: {DUPLICATE} (the app holds a contact with this phone)"
    assert (status, body) == (400, {**error(msg), "duplicates": ["919000000001"]})
    assert everything(api, app) == before


def test_the_number_of_items_is_bounded(api: Api, app: tuple[int, str]) -> None:
    status, body = seed(api, app, contacts=[{}] * (MAX_SEED_CONTACTS + 1))
    assert status == 400 and body["msg"] == f"contacts must hold at most {MAX_SEED_CONTACTS} items"
    status, body = seed(api, app, principals=[{}] * (MAX_SEED_PRINCIPALS + 1))
    assert (
        status == 400 and body["msg"] == f"principals must hold at most {MAX_SEED_PRINCIPALS} items"
    )


def test_as_many_contacts_as_the_bound_are_seeded_in_one_call(
    api: Api, app: tuple[int, str]
) -> None:
    contacts = [
        {"phone_no": f"9190{n:08d}", "first_name": "F", "last_name": str(n)}
        for n in range(MAX_SEED_CONTACTS)
    ]
    body = seeded(api, app, principals=[v3_user(1001)], contacts=contacts)
    assert len(set(body["contacts"])) == MAX_SEED_CONTACTS
    token = api.login(f"1001_{app[0]}", PASSWORD)
    status, last = api.post("/v3/contact/get", {"token": token, "contact_id": body["contacts"][-1]})
    assert status == 200 and last["count"] == MAX_SEED_CONTACTS, last
    assert last["contacts"][0]["last_name"] == str(MAX_SEED_CONTACTS - 1)


def test_wrong_app_credentials_are_401(api: Api, app: tuple[int, str]) -> None:
    status, body = seed(api, (app[0], "not-the-secret"), principals=[v3_user(1001)])
    assert_error(status, body, 401, APP_AUTH_FAILED)


def test_the_documented_example_seeds_as_it_is(
    client: TestClient, api: Api, app: tuple[int, str]
) -> None:
    [operation] = [op for op in STAND_IN_OPERATIONS if op.path == "/_contactd/seed"]
    example = json.loads(json.dumps(operation.example).replace("1111112", str(app[0])))
    decode_body(json.dumps(example).encode(), SeedRequest)
    body = seeded(api, app, **{k: v for k, v in example.items() if k not in ("appid", "secret")})
    assert len(body["principals"]) == 2 and len(body["contacts"]) == 2
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/_contactd/seed"]["post"]["tags"] == ["stand-in"]

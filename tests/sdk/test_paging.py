"""Page-numbered walks and response parsing, against a fake that follows the contract.

The real v1 contact and admin list routes are tested in `test_client.py` once served;
these pin the SDK's side of the contract regardless.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from contactd.client import Agent, Client, Note, User, V1Contact


def v1_contact(n: int) -> dict[str, Any]:
    return {
        "agent": "101_1111112", "inet_no": 1111112, "name": f"Mike {n}",
        "mobile": 9100000000 + n, "tag": "", "time": 1700000000000 + n, "remindme": None,
        "status": "", "email": "", "info": "hi",
        "notes": [{"msg": "hi", "date": 1700000000001, "agent": "101_1111112"}],
    }  # fmt: skip


def numbered(records: list[dict[str, Any]], key: str, **extra: Any) -> httpx.MockTransport:
    """A fake list endpoint: `page` and `limit` from the body, `count` = all records."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.read())
        page, limit = body["page"], body["limit"]
        chunk = records[(page - 1) * limit : page * limit]
        return httpx.Response(200, json={"count": len(records), key: chunk, **extra})

    return httpx.MockTransport(handler)


def test_v1_contacts_walk_every_page_and_parse_every_field() -> None:
    records = [v1_contact(n) for n in range(23)]
    transport = numbered(records, "contacts", code=200)
    with Client(transport=transport, token="t") as sdk:
        first = sdk.v1.contacts.list(limit=10)
        walked = list(first.auto_paging_iter())
    assert (first.count, first.has_more, len(walked)) == (23, True, 23)
    assert walked[5] == V1Contact(
        agent="101_1111112", inet_no=1111112, name="Mike 5", mobile=9100000005,
        time=1700000000005, info="hi",
        notes=(Note(msg="hi", date=1700000000001, agent="101_1111112"),),
    )  # fmt: skip


def test_a_walk_stops_when_count_is_reached_on_a_full_page() -> None:
    requests: list[httpx.Request] = []
    inner = numbered([v1_contact(n) for n in range(20)], "contacts", code=200)

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return inner.handle_request(request)

    with Client(transport=httpx.MockTransport(handler), token="t") as sdk:
        assert len(list(sdk.v1.contacts.list(limit=10).auto_paging_iter())) == 20
    assert len(requests) == 2


def test_v1_agents_walk_pages_of_ten() -> None:
    agents = [
        {"agent_id": f"{100 + n}_1", "name": "A", "extension": 100 + n, "notify": n % 2 == 0,
         "phone": "919800000000", "start_time": 9, "end_time": 18}
        for n in range(12)
    ]  # fmt: skip
    transport = numbered(agents, "agents", code="cmi-2000", status="success")
    with Client(transport=transport, appid=1, secret="s") as sdk:
        walked = list(sdk.v1.agents.list(limit=10).auto_paging_iter())
    assert len(walked) == 12
    assert walked[0] == Agent(
        agent_id="100_1", name="A", extension=100, notify=True, phone="919800000000",
        start_time=9, end_time=18,
    )  # fmt: skip


def test_v3_users_walk_pages() -> None:
    users = [
        {"agent_id": f"{1000 + n}_1", "first_name": "F", "last_name": "L",
         "extension": 1000 + n, "phone": "919800000000", "start_time": 0, "end_time": 24,
         "followme": False}
        for n in range(5)
    ]  # fmt: skip
    transport = numbered(users, "agents", code=200, status="success")
    with Client(transport=transport, appid=1, secret="s") as sdk:
        walked = list(sdk.v3.users.list(limit=2).auto_paging_iter())
    assert [u.extension for u in walked] == [1000, 1001, 1002, 1003, 1004]
    assert isinstance(walked[0], User)


def test_write_calls_send_only_the_given_fields() -> None:
    bodies: list[tuple[str, dict[str, Any]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append((request.url.path, json.loads(request.read())))
        return httpx.Response(200, json={"code": 200, "msg": "ok"})

    with Client(transport=httpx.MockTransport(handler), token="t", appid=1, secret="s") as sdk:
        sdk.v1.contacts.update(9100000000, name="Mike Ross", info="called")
        sdk.v1.contacts.delete(9100000000)
        sdk.v3.users.update("1001_1", last_name="Kumar")
        sdk.v3.users.remove("1001_1")
        sdk.v1.agents.remove("101_1")
    assert bodies == [
        (
            "/v1/updateContact",
            {"from": 9100000000, "name": "Mike Ross", "info": "called", "token": "t"},
        ),
        ("/v1/deleteContact", {"mobile": 9100000000, "token": "t"}),
        (
            "/v3/user/update",
            {"appid": 1, "secret": "s", "agent_id": "1001_1", "last_name": "Kumar"},
        ),
        ("/v3/user/remove", {"appid": 1, "secret": "s", "agent_id": "1001_1"}),
        ("/v1/agent/remove", {"appid": 1, "secret": "s", "id": "101_1"}),
    ]

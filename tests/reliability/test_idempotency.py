"""Idempotency keys: a write sent again with its key is answered once and applied once.

In process over both backends (the `client` fixture), and against a real server for
twins racing with one key. Time moves through the service's clock seam
(`services.idempotency.clock`), never by sleeping.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from contactd.domain.clock import now_ms
from contactd.domain.idempotency import KEY_TTL_MS
from contactd.testing import app_services
from tests.helpers import Api, LiveTenant, Tenant, contact
from tests.server_process import ServerProcess

KEY = "Idempotency-Key"


def keyed(client: TestClient, path: str, body: Any, key: str) -> httpx.Response:
    return client.post(path, json=body, headers={KEY: key})


def page(client: TestClient, token: str) -> dict[str, Any]:
    response = client.post("/v3/contact/get", json={"token": token, "limit": 100})
    assert response.status_code == 200, response.text
    return dict(response.json())


def v1_notes(client: TestClient, token: str) -> list[dict[str, Any]]:
    response = client.post("/v1/getContact", json={"token": token, "page": 1})
    assert response.status_code == 200, response.text
    [entry] = response.json()["contacts"]
    return list(entry["notes"])


def test_same_key_same_body_replays_the_first_answer_and_writes_once(
    client: TestClient, tenant: Tenant
) -> None:
    body = {"token": tenant.token, "contacts": [contact(1), contact(2)]}
    first = keyed(client, "/v3/contact/add", body, "add-1")
    again = keyed(client, "/v3/contact/add", body, "add-1")
    assert first.status_code == 200, first.text
    assert (again.status_code, again.content) == (200, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    listed = page(client, tenant.token)
    assert listed["count"] == 2
    assert [c["contact_id"] for c in listed["contacts"]] == first.json()["contact_ids"]
    # Without the key the same body is a new request: its phones are taken now.
    assert client.post("/v3/contact/add", json=body).status_code == 409


def test_v1_update_with_info_sent_twice_with_its_key_appends_one_note(
    client: TestClient, tenant: Tenant
) -> None:
    body = {"token": tenant.token, "from": 9100000000, "name": "Mike Ross", "info": "call back"}
    answers = [keyed(client, "/v1/updateContact", body, "note-1") for _ in range(3)]
    assert {(a.status_code, a.content) for a in answers} == {(200, answers[0].content)}
    assert [n["msg"] for n in v1_notes(client, tenant.token)] == ["call back"]
    # A new key is a new request: a second note.
    assert keyed(client, "/v1/updateContact", body, "note-2").status_code == 200
    assert [n["msg"] for n in v1_notes(client, tenant.token)] == ["call back", "call back"]


@pytest.mark.parametrize(
    ("path", "make_body"),
    [
        ("/v3/contact/update", lambda t, ids: {"token": t, "contacts": [{"contact_id": ids[0]}]}),
        ("/v3/contact/delete", lambda t, ids: {"token": t, "contact_ids": ids}),
        ("/v1/deleteContact", lambda t, ids: {"token": t, "mobile": "919000000001"}),
    ],
)
def test_every_contact_write_replays(
    client: TestClient, api: Api, tenant: Tenant, path: str, make_body: Any
) -> None:
    ids = api.add_contacts(tenant.token, [contact(1)])
    body = make_body(tenant.token, ids)
    first = keyed(client, path, body, f"k-{path}")
    again = keyed(client, path, body, f"k-{path}")
    assert first.status_code == 200, first.text
    assert (again.status_code, again.content) == (200, first.content)
    assert again.headers["idempotent-replayed"] == "true"


def test_a_replayed_delete_tells_how_many_the_first_one_deleted(
    client: TestClient, api: Api, tenant: Tenant
) -> None:
    ids = api.add_contacts(tenant.token, [contact(1), contact(2)])
    body = {"token": tenant.token, "contact_ids": ids}
    assert keyed(client, "/v3/contact/delete", body, "del").json()["deleted"] == 2
    assert keyed(client, "/v3/contact/delete", body, "del").json()["deleted"] == 2
    assert client.post("/v3/contact/delete", json=body).json()["deleted"] == 0


def test_same_key_with_another_body_is_422_and_writes_nothing(
    client: TestClient, tenant: Tenant
) -> None:
    first = {"token": tenant.token, "contacts": [contact(1)]}
    other = {"token": tenant.token, "contacts": [contact(2)]}
    assert keyed(client, "/v3/contact/add", first, "k").status_code == 200
    refused = keyed(client, "/v3/contact/add", other, "k")
    assert refused.status_code == 422
    assert refused.json()["code"] == 422
    assert "Idempotency-Key" in refused.json()["msg"]
    # Another endpoint is another request too, even where the body would do for both.
    update = {"token": tenant.token, "contacts": [{"contact_id": str(uuid.uuid4())}]}
    assert keyed(client, "/v3/contact/add", update, "k2").status_code == 400
    assert keyed(client, "/v3/contact/update", update, "k").status_code == 422
    assert page(client, tenant.token)["count"] == 1


def test_keys_are_scoped_by_app(client: TestClient, tenant: Tenant, other_tenant: Tenant) -> None:
    mine = keyed(client, "/v3/contact/add", {"token": tenant.token, "contacts": [contact(1)]}, "k")
    theirs = keyed(
        client, "/v3/contact/add", {"token": other_tenant.token, "contacts": [contact(1)]}, "k"
    )
    assert (mine.status_code, theirs.status_code) == (200, 200)
    assert "idempotent-replayed" not in theirs.headers
    assert mine.json()["contact_ids"] != theirs.json()["contact_ids"]
    assert page(client, tenant.token)["contacts"][0]["contact_id"] == mine.json()["contact_ids"][0]
    assert page(client, other_tenant.token)["count"] == 1


def test_a_replay_needs_the_credentials_of_the_first_request(
    client: TestClient, api: Api, tenant: Tenant
) -> None:
    body = {"token": tenant.token, "contacts": [contact(1)]}
    assert keyed(client, "/v3/contact/add", body, "k").status_code == 200
    # The user is removed: its token is dead, and so is every replay made with it.
    status, _ = api.post(
        "/v3/user/remove",
        {"appid": tenant.appid, "secret": tenant.secret, "agent_id": tenant.user_id},
    )
    assert status == 200
    assert keyed(client, "/v3/contact/add", body, "k").status_code == 404


def test_a_key_expires_after_24_hours(client: TestClient, tenant: Tenant) -> None:
    services = app_services(client.app)
    body = {"token": tenant.token, "from": 9100000000, "name": "Mike Ross", "info": "once"}
    start = now_ms()
    services.idempotency.clock = lambda: start
    assert keyed(client, "/v1/updateContact", body, "day").status_code == 200
    services.idempotency.clock = lambda: start + KEY_TTL_MS - 1
    assert keyed(client, "/v1/updateContact", body, "day").headers["idempotent-replayed"] == "true"
    assert len(v1_notes(client, tenant.token)) == 1
    services.idempotency.clock = lambda: start + KEY_TTL_MS + 1
    fresh = keyed(client, "/v1/updateContact", body, "day")
    assert fresh.status_code == 200
    assert "idempotent-replayed" not in fresh.headers
    assert len(v1_notes(client, tenant.token)) == 2
    # The key was taken over by that request: it replays again from here.
    assert keyed(client, "/v1/updateContact", body, "day").headers["idempotent-replayed"] == "true"


def test_the_sweeper_deletes_expired_keys_only(client: TestClient, tenant: Tenant) -> None:
    services = app_services(client.app)
    store, portal = services.store, client.portal
    assert portal is not None
    start = now_ms()
    services.idempotency.clock = lambda: start
    for n in range(3):
        body = {"token": tenant.token, "contacts": [contact(n)]}
        assert keyed(client, "/v3/contact/add", body, f"old-{n}").status_code == 200
    services.idempotency.clock = lambda: start + KEY_TTL_MS
    body = {"token": tenant.token, "contacts": [contact(9)]}
    assert keyed(client, "/v3/contact/add", body, "new").status_code == 200
    services.idempotency.clock = lambda: start + KEY_TTL_MS + 1
    assert portal.call(services.idempotency.sweep) == 3
    for key, kept in (("old-0", False), ("old-2", False), ("new", True)):
        found = portal.call(lambda k=key: store.find_answer(tenant.appid, k, since=0))
        assert (found is not None) is kept, key


def test_admin_writes_replay_too(client: TestClient, tenant: Tenant) -> None:
    body = {
        "appid": tenant.appid,
        "secret": tenant.secret,
        "extension": 2001,
        "first_name": "Asha",
        "last_name": "Rao",
        "phone_number": "919800000000",
        "password": "correct-horse-battery",
    }
    first = keyed(client, "/v3/user/add", body, "user")
    again = keyed(client, "/v3/user/add", body, "user")
    assert first.status_code == 200, first.text
    assert (again.status_code, again.content) == (200, first.content)
    assert client.post("/v3/user/add", json=body).status_code == 400  # it exists: added once
    assert (
        keyed(client, "/v3/user/add", {**body, "password": "another-one!"}, "user").status_code
        == 422
    )


def test_a_failed_write_keeps_nothing_and_runs_again(client: TestClient, tenant: Tenant) -> None:
    body = {"token": tenant.token, "from": 9100000000, "name": "Gone"}
    assert (
        keyed(
            client, "/v1/deleteContact", {"token": tenant.token, "mobile": 9100000000}, "d"
        ).status_code
        == 400
    )
    assert client.post("/v1/updateContact", json=body).status_code == 200
    # The 400 was not kept: the same request, sent again with its key, now deletes.
    delete = {"token": tenant.token, "mobile": 9100000000}
    assert keyed(client, "/v1/deleteContact", delete, "d").status_code == 200
    assert page(client, tenant.token)["count"] == 0


@pytest.mark.parametrize("value", [b"", b"x" * 256, b"tab\there", "é".encode()])
def test_a_malformed_key_is_400_naming_the_header(
    client: TestClient, tenant: Tenant, value: bytes
) -> None:
    body = {"token": tenant.token, "contacts": [contact(1)]}
    response = client.post("/v3/contact/add", content=json.dumps(body), headers={KEY: value})
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["msg"]
    assert page(client, tenant.token)["count"] == 0


def test_reads_and_logins_ignore_the_key(client: TestClient, tenant: Tenant) -> None:
    for _ in range(2):
        response = keyed(client, "/v3/contact/get", {"token": tenant.token}, "read")
        assert response.status_code == 200
        assert "idempotent-replayed" not in response.headers
    login = {"id": tenant.user_id, "password": "correct-horse-battery"}
    tokens = {keyed(client, "/v2/user/login", login, "login").json()["token"] for _ in range(2)}
    assert len(tokens) == 2  # each login issued its own token: nothing was kept


@pytest.mark.blackbox
def test_twins_racing_with_one_key_write_once_and_get_one_answer(
    live_server: ServerProcess, live_tenant: LiveTenant
) -> None:
    body = {"token": live_tenant.token, "contacts": [contact(n) for n in range(10)]}

    def add(_: int) -> tuple[int, bytes]:
        response = httpx.post(
            f"{live_server.base_url}/v3/contact/add", json=body, headers={KEY: "twin"}, timeout=30
        )
        return response.status_code, response.content

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = Counter(pool.map(add, range(32)))
    assert len(answers) == 1, answers
    [(status, _)] = answers
    assert status == 200
    status, listed = live_server.post("/v3/contact/get", {"token": live_tenant.token, "limit": 100})
    assert (status, listed["count"]) == (200, 10)


@pytest.mark.blackbox
def test_concurrent_keyed_batches_keep_each_its_own_key(
    live_server: ServerProcess, live_tenant: LiveTenant
) -> None:
    """Batches that share a commit (SQLite's group commit) keep their keys one by one:
    a batch refused for a taken phone keeps none, and the others keep theirs."""

    def add(n: int) -> tuple[int, httpx.Response]:
        # Every fourth batch repeats the phone of batch 0.
        phone = 0 if n % 4 == 3 else n
        body = {"token": live_tenant.token, "contacts": [contact(phone)]}
        url = f"{live_server.base_url}/v3/contact/add"
        return n, httpx.post(url, json=body, headers={KEY: f"batch-{n}"}, timeout=30)

    with ThreadPoolExecutor(max_workers=16) as pool:
        first = dict(pool.map(add, range(24)))
        again = dict(pool.map(add, range(24)))
    stored = {n for n, response in first.items() if response.status_code == 200}
    assert {response.status_code for response in first.values()} == {200, 409}
    sharing = {0, *range(3, 24, 4)}  # the batches holding the phone of batch 0
    assert len(stored & sharing) == 1, stored  # one of them stored it
    assert stored - sharing == set(range(24)) - sharing
    for n, response in again.items():
        if n in stored:
            assert response.headers["idempotent-replayed"] == "true", n
            assert response.content == first[n].content, n
        else:
            assert response.status_code == 409, n  # nothing was kept: it ran again
    status, listed = live_server.post("/v3/contact/get", {"token": live_tenant.token, "limit": 100})
    assert (status, listed["count"]) == (200, len(stored))

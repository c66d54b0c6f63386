"""The control API as methods of the `contactd_server` fixture (and of every
`ContactdServer`): reset, the clock, seed, faults, the journal, and their refusals."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contactd.testing import DEFAULT_PASSWORD, ContactdServer, ControlError

DAY_MS = 24 * 60 * 60 * 1000


def post(app: ContactdServer, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(app.url(path), json=body, timeout=10)


def add(app: ContactdServer, *first_names: str) -> None:
    contacts = [
        {"phone_no": f"9192000000{i:02d}", "first_name": name, "last_name": "Test"}
        for i, name in enumerate(first_names)
    ]
    answer = post(app, "/v3/contact/add", {"token": app.token, "contacts": contacts})
    assert answer.status_code == 200, answer.text


def names(app: ContactdServer, token: str | None = None) -> list[str]:
    answer = post(app, "/v3/contact/get", {"token": token or app.token, "limit": 100})
    assert answer.status_code == 200, answer.text
    return [c["first_name"] for c in answer.json()["contacts"]]


def login(app: ContactdServer) -> httpx.Response:
    return post(app, "/v2/user/login", {"id": app.user_id, "password": app.password})


def test_the_fixture_serves_stand_in_mode(contactd_server: ContactdServer) -> None:
    document = httpx.get(contactd_server.url("/openapi.json"), timeout=10).json()
    assert "/_contactd/clock" in document["paths"]
    shown = repr(contactd_server)
    assert contactd_server.base_url in shown and str(contactd_server.appid) in shown
    for credential in (contactd_server.secret, contactd_server.password, contactd_server.token):
        assert credential not in shown
    with pytest.raises(AttributeError):
        contactd_server.token = "another"  # type: ignore[misc]


def test_advance_clock_by_31_days_expires_the_token(contactd_server: ContactdServer) -> None:
    add(contactd_server, "Asha")
    moved = contactd_server.advance_clock(days=31)
    assert moved["offset_ms"] == 31 * DAY_MS
    expired = post(contactd_server, "/v3/contact/get", {"token": contactd_server.token})
    assert (expired.status_code, expired.json()["status"]) == (404, "error")
    fresh = login(contactd_server)
    assert fresh.status_code == 200, fresh.text
    assert names(contactd_server, fresh.json()["token"]) == ["Asha"]


def test_the_clocks_units_add_up_and_it_can_be_set_and_put_back(
    contactd_server: ContactdServer,
) -> None:
    moved = contactd_server.advance_clock(days=1, hours=2, minutes=3, seconds=4, ms=5)
    assert moved["offset_ms"] == DAY_MS + 2 * 3_600_000 + 3 * 60_000 + 4 * 1000 + 5
    assert contactd_server.advance_clock(hours=0.5)["offset_ms"] == moved["offset_ms"] + 1_800_000
    at = 4_102_444_800_000  # 2100-01-01
    assert contactd_server.set_clock(at)["now_ms"] - at in range(0, 60_000)
    assert contactd_server.reset_clock()["offset_ms"] == 0
    with pytest.raises(ValueError, match="forward"):
        contactd_server.advance_clock(days=-1)


def test_a_refused_control_call_raises_with_its_status_and_message(
    contactd_server: ContactdServer,
) -> None:
    impostor = ContactdServer(
        base_url=contactd_server.base_url, appid=contactd_server.appid,
        secret="not-the-apps-secret", user_id=contactd_server.user_id,
        password=DEFAULT_PASSWORD, token=contactd_server.token,
    )  # fmt: skip
    with pytest.raises(ControlError) as raised:
        impostor.advance_clock(days=1)
    assert raised.value.status == 401
    assert raised.value.path == "/_contactd/clock"
    assert raised.value.message and raised.value.message in str(raised.value)
    assert "not-the-apps-secret" not in str(raised.value)
    with pytest.raises(ControlError) as bad:
        contactd_server.control("clock", advance_ms=-5)
    assert bad.value.status == 400 and "advance_ms" in bad.value.message
    # Neither moved the clock.
    assert contactd_server.advance_clock(ms=0)["offset_ms"] == 0


def test_reset_empties_the_app_and_gives_its_user_a_new_token(
    contactd_server: ContactdServer,
) -> None:
    add(contactd_server, "Asha", "Ravi")
    old_token, user_id = contactd_server.token, contactd_server.user_id
    contactd_server.reset()
    assert (contactd_server.user_id, contactd_server.password) == (user_id, DEFAULT_PASSWORD)
    assert contactd_server.token != old_token
    assert names(contactd_server) == []
    stale = post(contactd_server, "/v3/contact/get", {"token": old_token})
    assert stale.status_code == 404, stale.text
    add(contactd_server, "Mira")
    assert names(contactd_server) == ["Mira"]


def test_reset_without_keeping_the_user(contactd_server: ContactdServer) -> None:
    contactd_server.reset(keep_user=False)
    assert login(contactd_server).status_code == 404
    users = post(
        contactd_server,
        "/v3/user/all",
        {"appid": contactd_server.appid, "secret": contactd_server.secret},
    )
    assert users.status_code == 200 and users.json()["count"] == 0, users.text


def test_seed_answers_the_new_ids(contactd_server: ContactdServer) -> None:
    answer = contactd_server.seed(
        principals=[
            {"extension": 1002, "first_name": "Seeded", "last_name": "User",
             "phone_number": "919800000002", "password": "a-seeded-password"},
        ],
        contacts=[
            {"phone_no": "919200000001", "first_name": "Asha", "last_name": "Rao"},
            {"phone_no": "919200000002", "first_name": "Ravi", "last_name": "Iyer"},
        ],
    )  # fmt: skip
    appid = contactd_server.appid
    assert answer["principals"] == [f"1002_{appid}"]
    listed = post(contactd_server, "/v3/contact/get", {"token": contactd_server.token})
    by_name = {c["first_name"]: c["contact_id"] for c in listed.json()["contacts"]}
    assert [by_name.get("Asha"), by_name.get("Ravi")] == answer["contacts"]
    seeded_login = post(
        contactd_server, "/v2/user/login", {"id": f"1002_{appid}", "password": "a-seeded-password"}
    )
    assert seeded_login.status_code == 200, seeded_login.text


def test_faults_answer_as_told_and_an_empty_list_clears_them(
    contactd_server: ContactdServer,
) -> None:
    contactd_server.faults([{"path": "/v3/contact/*", "every_nth": 1, "status": 503}], seed=7)
    faulted = post(contactd_server, "/v3/contact/get", {"token": contactd_server.token})
    assert faulted.status_code == 503 and "Retry-After" in faulted.headers
    assert login(contactd_server).status_code == 200  # another path: not faulted
    contactd_server.faults([])
    assert names(contactd_server) == []


def test_requests_lists_the_journal_oldest_first(contactd_server: ContactdServer) -> None:
    provisioning = ["/v3/user/add", "/v2/user/login"]  # the fixture's own user and token
    assert [entry["path"] for entry in contactd_server.requests()] == provisioning
    add(contactd_server, "Asha")
    names(contactd_server)
    everything = contactd_server.requests()
    paths = [entry["path"] for entry in everything]
    assert paths[-2:] == ["/v3/contact/add", "/v3/contact/get"]
    assert contactd_server.token not in repr(everything)
    only_gets = contactd_server.requests(path="/v3/contact/get")
    assert [entry["path"] for entry in only_gets] == ["/v3/contact/get"]
    assert len(contactd_server.requests(limit=1)) == 1
    since = everything[-2]["seq"]
    assert [e["path"] for e in contactd_server.requests(since=since)] == ["/v3/contact/get"]
    contactd_server.reset()
    assert [entry["path"] for entry in contactd_server.requests()] == provisioning

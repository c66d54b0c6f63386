"""`Client` against the real app: every namespace, through the wire."""

from __future__ import annotations

import httpx
import pytest
from starlette.testclient import TestClient

from contactd.client import (
    Client,
    Contact,
    ContactCreate,
    ContactdError,
    ContactUpdate,
    NotFoundError,
)
from tests.helpers import USER_PASSWORD, Tenant, contact
from tests.sdk.conftest import BASE_URL, InProcessTransport, Sleeps, requires_route


def create(n: int, **fields: str) -> ContactCreate:
    return ContactCreate(**contact(n, **fields))


def test_v2_login_keeps_the_token_for_later_calls(
    transport: InProcessTransport, tenant: Tenant
) -> None:
    with Client(base_url=BASE_URL, transport=transport) as sdk:
        login = sdk.v2.login(tenant.user_id, USER_PASSWORD)
        assert sdk.token == login.token
        assert (login.id, login.inet_no, login.category) == (tenant.user_id, tenant.appid, "inr")
        assert sdk.v3.contacts.list().count == 0
        assert transport.requests[-1].read().find(login.token.encode()) > 0


def test_v1_login_keeps_the_token(transport: InProcessTransport, tenant: Tenant) -> None:
    with Client(base_url=BASE_URL, transport=transport) as sdk:
        login = sdk.v1.login(tenant.user_id, USER_PASSWORD)
        assert (sdk.token, login.category) == (login.token, None)


def test_a_wrong_password_is_not_found(transport: InProcessTransport, tenant: Tenant) -> None:
    with Client(base_url=BASE_URL, transport=transport) as sdk:
        with pytest.raises(NotFoundError) as caught:
            sdk.v2.login(tenant.user_id, "not-the-password")
        assert sdk.token is None
        assert caught.value.status == 404 == caught.value.code


def test_a_token_call_without_a_token_fails_before_sending(
    transport: InProcessTransport,
) -> None:
    with (
        Client(base_url=BASE_URL, transport=transport) as sdk,
        pytest.raises(ContactdError, match="log in first"),
    ):
        sdk.v3.contacts.list()
    assert transport.requests == []


def test_v3_contacts_round_trip(sdk: Client) -> None:
    ids = sdk.v3.contacts.add([create(1, email_id="john.doe@example.com"), create(2)])
    assert len(ids) == 2
    got = sdk.v3.contacts.get(ids[0])
    assert got == Contact(
        contact_id=ids[0],
        phone_no="919000000001",
        first_name="First1",
        last_name="Last1",
        email_id="john.doe@example.com",
    )
    sdk.v3.contacts.update([ContactUpdate(contact_id=ids[1], company="Acme")])
    second = sdk.v3.contacts.get(ids[1])
    assert second is not None
    assert (second.company, second.first_name) == ("Acme", "First2")
    assert sdk.v3.contacts.delete([ids[0], ids[0]]) == 1
    assert sdk.v3.contacts.get(ids[0]) is None
    assert [c.contact_id for c in sdk.v3.contacts.list()] == [ids[1]]


def test_v3_auto_paging_walks_every_cursor_page(sdk: Client) -> None:
    ids = sdk.v3.contacts.add([create(n) for n in range(25)])
    first = sdk.v3.contacts.list(limit=10)
    assert (len(first.data), first.count, first.has_more) == (10, 25, True)
    assert [c.contact_id for c in first.auto_paging_iter()] == ids


def test_v3_an_exact_last_page_has_no_more(sdk: Client) -> None:
    sdk.v3.contacts.add([create(n) for n in range(10)])
    page = sdk.v3.contacts.list(limit=10)
    assert not page.has_more
    assert page.next_page() is None


def test_per_call_token_overrides_the_clients(sdk: Client, other_tenant: Tenant) -> None:
    sdk.v3.contacts.add([create(1)], token=other_tenant.token)
    assert sdk.v3.contacts.list().count == 0
    assert sdk.v3.contacts.list(token=other_tenant.token).count == 1


@requires_route("/v1/getContact")
@requires_route("/v1/updateContact")
def test_v1_contacts_update_creates_then_lists(sdk: Client) -> None:
    sdk.v1.contacts.update(9100000000, name="Mike J Ross", email="mike@example.com", tag="vip")
    sdk.v1.contacts.update(9100000000, name="Mike J Ross", info="called back")
    page = sdk.v1.contacts.list()
    assert page.count == 1
    (mike,) = page.data
    assert (mike.name, mike.mobile, mike.tag, mike.info) == (
        "Mike J Ross",
        9100000000,
        "vip",
        "called back",
    )
    assert [n.msg for n in mike.notes] == ["called back"]
    assert sdk.v3.contacts.list().data[0].first_name == "Mike"


@requires_route("/v1/getContact")
def test_v1_auto_paging_walks_numbered_pages(sdk: Client) -> None:
    ids = sdk.v3.contacts.add([create(n) for n in range(23)])
    first = sdk.v1.contacts.list(limit=10)
    assert (first.count, first.has_more) == (23, True)
    mobiles = [c.mobile for c in first.auto_paging_iter()]
    assert len(mobiles) == len(ids) == 23
    assert mobiles == [int(contact(n)["phone_no"]) for n in range(23)]


@requires_route("/v1/getContact")
def test_v1_an_exact_last_page_stops_on_count(sdk: Client) -> None:
    sdk.v3.contacts.add([create(n) for n in range(20)])
    second = sdk.v1.contacts.list(page=2, limit=10)
    assert (len(second.data), second.has_more) == (10, False)


@requires_route("/v1/deleteContact")
def test_v1_delete(sdk: Client) -> None:
    sdk.v3.contacts.add([create(7)])
    sdk.v1.contacts.delete(contact(7)["phone_no"])
    assert sdk.v3.contacts.list().count == 0


def test_v3_users_add(sdk: Client) -> None:
    added = sdk.v3.users.add(
        extension=2001, first_name="Ravi", last_name="K", phone_number="919811111111",
        password="long-enough-pw",
    )  # fmt: skip
    assert (added.extension, added.agent_id) == (2001, f"2001_{sdk.appid}")
    assert sdk.v2.login(added.agent_id, "long-enough-pw").id == added.agent_id


@requires_route("/v3/user/get")
@requires_route("/v3/user/list")
@requires_route("/v3/user/update")
@requires_route("/v3/user/remove")
def test_v3_users_get_list_update_remove(sdk: Client) -> None:
    added = sdk.v3.users.add(
        extension=2002, first_name="Ravi", last_name="K", phone_number="919811111111",
        password="long-enough-pw",
    )  # fmt: skip
    sdk.v3.users.update(added.agent_id, last_name="Kumar")
    user = sdk.v3.users.get(added.agent_id)
    assert (user.first_name, user.last_name, user.extension) == ("Ravi", "Kumar", 2002)
    listed = sdk.v3.users.list(limit=1)
    assert listed.count == 2
    assert {u.agent_id for u in listed.auto_paging_iter()} == {added.agent_id, sdk_user(sdk)}
    sdk.v3.users.remove(added.agent_id)
    with pytest.raises(NotFoundError):
        sdk.v3.users.get(added.agent_id)


def sdk_user(sdk: Client) -> str:
    return f"1001_{sdk.appid}"


def test_v1_agents_add(sdk: Client) -> None:
    added = sdk.v1.agents.add(
        extension=301, name="Mike Ross", phone_number=919811111112, password="agent-password"
    )
    assert (added.agent_id, added.name, added.extension) == (f"301_{sdk.appid}", "Mike Ross", 301)
    assert sdk.v1.login(added.agent_id, "agent-password").name == "Mike Ross"


@requires_route("/v1/agent/list")
@requires_route("/v1/agent/update")
@requires_route("/v1/agent/remove")
def test_v1_agents_list_update_remove(sdk: Client) -> None:
    for extension in (301, 302):
        sdk.v1.agents.add(
            extension=extension,
            name="Mike Ross",
            phone_number="919811111112",
            password="agent-password",
        )
    listed = sdk.v1.agents.list(limit=2)
    assert listed.count == 3
    assert len(list(listed.auto_paging_iter())) == 3
    updated = sdk.v1.agents.update(
        f"301_{sdk.appid}",
        name="Harvey Specter",
        phone_number="919811111113",
        password="agent-password-2",
    )
    assert (updated.name, updated.phone) == ("Harvey Specter", "919811111113")
    sdk.v1.agents.remove(f"302_{sdk.appid}")
    assert sdk.v1.agents.list().count == 2


def test_admin_credentials_per_call_override_the_clients(
    transport: InProcessTransport, tenant: Tenant
) -> None:
    sdk = Client(base_url=BASE_URL, transport=transport)
    with pytest.raises(ContactdError, match="appid and secret"):
        sdk.v1.agents.add(
            extension=303, name="A", phone_number="919811111114", password="agent-password"
        )
    with sdk:
        added = sdk.v1.agents.add(
            extension=303, name="A", phone_number="919811111114", password="agent-password",
            appid=tenant.appid, secret=tenant.secret,
        )  # fmt: skip
        assert added.extension == 303


class LosesFirstAnswers(InProcessTransport):
    """Serves every request, but the answer to the first attempt of each write is lost
    on the way back: the write was applied and the client saw only a read timeout."""

    def __init__(self, test_client: TestClient) -> None:
        super().__init__(test_client)
        self.keys: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        key = request.headers.get("idempotency-key")
        if key is not None and key not in self.keys:
            self.keys.append(key)
            raise httpx.ReadTimeout("the answer was lost")
        return response


def test_a_write_whose_answer_was_lost_is_retried_and_applied_once(
    client: TestClient, tenant: Tenant, sleeps: Sleeps
) -> None:
    transport = LosesFirstAnswers(client)
    with Client(base_url=BASE_URL, transport=transport, token=tenant.token, sleep=sleeps) as sdk:
        ids = sdk.v3.contacts.add([create(1), create(2)])
        assert len(transport.requests) == 2  # sent twice, with one key
        assert len({r.headers["idempotency-key"] for r in transport.requests}) == 1
        assert [c.contact_id for c in sdk.v3.contacts.list().data] == ids
        sdk.v1.contacts.update(9100000000, name="Mike Ross", info="call back")
        [entry] = [c for c in sdk.v1.contacts.list().data if c.mobile == 9100000000]
        assert [note.msg for note in entry.notes] == ["call back"]
    assert len(transport.keys) == 2

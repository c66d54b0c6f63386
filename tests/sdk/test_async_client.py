"""`AsyncClient` against the real app over `httpx.ASGITransport`, lifespan included."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from contactd.api.app import create_app
from contactd.client import AsyncClient, ConflictError, ContactCreate, ServiceUnavailableError
from contactd.config import Settings
from contactd.testing import app_services
from tests.helpers import USER_PASSWORD, contact

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def sdk(settings: Settings) -> AsyncIterator[AsyncClient]:
    """An app with one user, and an AsyncClient logged in as that user."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        _, secret = created = await app_services(app).apps.create("Async centre")
        appid = created[0].app_id
        transport = httpx.ASGITransport(app=app)
        async with AsyncClient(
            base_url="http://testserver", transport=transport, appid=appid, secret=secret
        ) as client:
            added = await client.v3.users.add(
                extension=1001, first_name="A", last_name="B", phone_number="919800000000",
                password=USER_PASSWORD,
            )  # fmt: skip
            await client.v2.login(added.agent_id, USER_PASSWORD)
            yield client


async def test_add_get_update_delete(sdk: AsyncClient) -> None:
    ids = await sdk.v3.contacts.add([ContactCreate(**contact(1))])
    got = await sdk.v3.contacts.get(ids[0])
    assert got is not None
    assert got.phone_no == contact(1)["phone_no"]
    assert await sdk.v3.contacts.delete(ids) == 1


async def test_auto_paging_walks_every_page(sdk: AsyncClient) -> None:
    ids = await sdk.v3.contacts.add([ContactCreate(**contact(n)) for n in range(25)])
    page = await sdk.v3.contacts.list(limit=10)
    assert page.has_more
    assert [c.contact_id async for c in page.auto_paging_iter()] == ids


async def test_errors_map_the_same_way(sdk: AsyncClient) -> None:
    await sdk.v3.contacts.add([ContactCreate(**contact(1))])
    with pytest.raises(ConflictError):
        await sdk.v3.contacts.add([ContactCreate(**contact(1))])


async def test_retries_sleep_through_the_injected_sleep() -> None:
    answers = iter([503, 503, 200])
    slept: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(answers)
        if status == 200:
            return httpx.Response(200, json={"code": 200, "contacts": [], "count": 0})
        return httpx.Response(status, json={"code": status, "status": "error", "msg": "busy"})

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async with AsyncClient(transport=httpx.MockTransport(handler), token="t", sleep=sleep) as sdk:
        assert (await sdk.v3.contacts.list()).count == 0
    assert len(slept) == 2

    answers = iter([503, 503, 503])
    async with AsyncClient(transport=httpx.MockTransport(handler), token="t", sleep=sleep) as sdk:
        with pytest.raises(ServiceUnavailableError):
            await sdk.v3.contacts.list()


async def test_a_retried_write_reuses_its_key() -> None:
    seen: list[httpx.Request] = []
    answers = iter([503, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status = next(answers)
        if status == 200:
            return httpx.Response(200, json={"code": 200, "msg": "Contact updated"})
        return httpx.Response(status, json={"code": status, "status": "error", "msg": "busy"})

    async def sleep(seconds: float) -> None:
        return None

    async with AsyncClient(transport=httpx.MockTransport(handler), token="t", sleep=sleep) as sdk:
        await sdk.v1.contacts.update(9100000000, name="Mike", info="note")
    assert len(seen) == 2
    assert len({r.headers["idempotency-key"] for r in seen}) == 1

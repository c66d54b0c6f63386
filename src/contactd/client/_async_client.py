"""`AsyncClient`, and `AsyncPage`, the pages its lists return: the SDK's I/O.

Everything else (what a call is, its URL, body, headers, retries and result) is the
sans-IO part in `_base`, `_call`, `_operations`, `_resources` and `_paging`, shared by
both clients.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import TypeVar

import anyio
import httpx

from contactd.client._base import USER_AGENT, BaseClient
from contactd.client._call import Call
from contactd.client._config import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from contactd.client._models import Login
from contactd.client._paging import BasePage, PageData
from contactd.client._resources import V1, V2, V3

__all__ = ["AsyncClient", "AsyncPage"]

R = TypeVar("R")
T = TypeVar("T")


class AsyncClient(BaseClient):
    """A contactd (or TeleCMI) API client.

    ```python
    async with AsyncClient(base_url="http://127.0.0.1:8080") as client:
        await client.v2.login("1001_1234567", "password")
        page = await client.v3.contacts.list(limit=100)
        async for contact in page.auto_paging_iter():
            print(contact.phone_no)
    ```

    **Parameters:**

    * **base_url** - where v2 and v3 calls go (and v1 calls unless `v1_base_url` is given).
    * **v1_base_url** - *(optional)* a separate host for v1 calls (the vendor splits them).
    * **token** - *(optional)* a login token; `v1.login`/`v2.login` set it.
    * **appid**, **secret** - *(optional)* credentials for the admin calls.
    * **timeout** - seconds (or an `httpx.Timeout`) for each request.
    * **max_retries** - retries on connection errors, 429 and 503 (0 turns them off);
      a write is retried with the same `Idempotency-Key` (docs/sdk.md).
    * **transport** - *(optional)* an `httpx.AsyncBaseTransport`, e.g. `httpx.MockTransport`.
    * **sleep** - *(optional)* how to wait between retries (tests pass a recorder).
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        v1_base_url: str | None = None,
        token: str | None = None,
        appid: int | None = None,
        secret: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        super().__init__(base_url, v1_base_url, token, appid, secret, timeout, max_retries)
        self._http = httpx.AsyncClient(
            timeout=timeout, transport=transport, headers={"User-Agent": USER_AGENT}
        )
        self._sleep = sleep
        self.v1 = V1(self)
        self.v2 = V2(self)
        self.v3 = V3(self)

    async def _send(self, call: Call[R]) -> R:
        body = self._body(call)
        url = self._url(call.path)
        headers = self._headers(call)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._http.post(url, json=body, headers=headers)
            except httpx.TransportError as exc:
                await self._sleep(self._wait_after_error(exc, call, attempt))
                continue
            wait = self._wait_after_response(response, attempt)
            if wait is None:
                return self._result(call, response)
            await self._sleep(wait)

    async def _page(self, call: Call[PageData[T]]) -> AsyncPage[T]:
        return AsyncPage(await self._send(call), self._page)

    async def _login(self, call: Call[Login]) -> Login:
        login = await self._send(call)
        self.token = login.token
        return login

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncClient(base_url={self.base_url!r})"


class AsyncPage(BasePage[T]):
    """One page of a list: `.data`, `.count` (all matching records), `.has_more`,
    `.next_page()`, and `.auto_paging_iter()` for every record from here to the last."""

    def __init__(
        self,
        content: PageData[T],
        fetch: Callable[[Call[PageData[T]]], Awaitable[AsyncPage[T]]],
    ) -> None:
        super().__init__(content)
        self._fetch = fetch

    async def next_page(self) -> AsyncPage[T] | None:
        return await self._fetch(self._next) if self._next is not None else None

    async def auto_paging_iter(self) -> AsyncIterator[T]:
        """Every record from this page to the last, fetching pages as needed."""
        page: AsyncPage[T] | None = self
        while page is not None:
            for item in page.data:
                yield item
            page = await page.next_page()

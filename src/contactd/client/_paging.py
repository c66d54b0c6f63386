"""Pages and `auto_paging_iter()`, the same for v3 cursors and v1/admin page numbers.

How the next page is found is decided where the page is parsed (`_operations`): v3
follows `page_state` until it is null; page-numbered lists stop at a short page or when
`count` records have been seen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from contactd.client._call import Call

__all__ = ["AsyncPage", "Page", "PageData"]

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class PageData(Generic[T]):
    data: list[T]
    count: int
    next: Call[PageData[T]] | None


class Page(Generic[T]):
    """One page of a list: `.data`, `.count` (all matching records), `.has_more`."""

    def __init__(self, content: PageData[T], fetch: Callable[[Call[PageData[T]]], Page[T]]) -> None:
        self.data = content.data
        self.count = content.count
        self._next = content.next
        self._fetch = fetch

    @property
    def has_more(self) -> bool:
        return self._next is not None

    def next_page(self) -> Page[T] | None:
        return self._fetch(self._next) if self._next is not None else None

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def auto_paging_iter(self) -> Iterator[T]:
        """Every record from this page to the last, fetching pages as needed."""
        page: Page[T] | None = self
        while page is not None:
            yield from page.data
            page = page.next_page()


class AsyncPage(Generic[T]):
    """`Page` for `AsyncClient`: `await page.next_page()`, and
    `async for item in page.auto_paging_iter()`."""

    def __init__(
        self,
        content: PageData[T],
        fetch: Callable[[Call[PageData[T]]], Awaitable[AsyncPage[T]]],
    ) -> None:
        self.data = content.data
        self.count = content.count
        self._next = content.next
        self._fetch = fetch

    @property
    def has_more(self) -> bool:
        return self._next is not None

    async def next_page(self) -> AsyncPage[T] | None:
        return await self._fetch(self._next) if self._next is not None else None

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    async def auto_paging_iter(self) -> AsyncIterator[T]:
        page: AsyncPage[T] | None = self
        while page is not None:
            for item in page.data:
                yield item
            page = await page.next_page()

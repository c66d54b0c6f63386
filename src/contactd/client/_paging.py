"""What `Page` and `AsyncPage` share: a parsed page, and how the next one is found.

How the next page is found is decided where the page is parsed (`_operations`): v3
follows `page_state` until it is null; page-numbered lists stop at a short page or when
`count` records have been seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from contactd.client._call import Call

__all__ = ["BasePage", "PageData"]

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class PageData(Generic[T]):
    data: list[T]
    count: int
    next: Call[PageData[T]] | None


class BasePage(Generic[T]):
    """One page of a list: `.data`, `.count` (all matching records), `.has_more`."""

    def __init__(self, content: PageData[T]) -> None:
        self.data = content.data
        self.count = content.count
        self._next = content.next

    @property
    def has_more(self) -> bool:
        return self._next is not None

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

"""What a v1 listing remembers between requests, for both backends.

- `PageBoundaries`: where recent pages ended, so that a client walking pages in order
  resumes from the previous page's last seq instead of skipping its offset again.
- `CountMemo`: the count of recent filtered listings, so that page after page of one
  name filter does not count every match again.

Both are only ever used after a check, in the page's own read snapshot, that the app's
(`list_version`, `contact_count`) are the ones they were taken at: `list_version` is
bumped on every delete and rename of the app's contacts (SQLite: migration 0002;
PostgreSQL: migration 0004), and an insert raises `contact_count` (a new contact takes
a seq above every existing one, so it moves no boundary, but it may add a match). Each
is a bounded LRU used from the event loop thread only, so it needs no lock; being per
process, it is also right with several server processes sharing one PostgreSQL.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Generic, NamedTuple, TypeVar

from contactd.domain.models import Contact, EntryRows

__all__ = [
    "EMPTY_PAGE",
    "AppKeyedLRU",
    "Boundary",
    "CountMemo",
    "KnownCount",
    "Listing",
    "ListingMemos",
    "Page",
    "PageBoundaries",
    "Walk",
    "page_of",
    "resume",
    "walk_to",
]


class Boundary(NamedTuple):
    """`offset` matching rows of the listing have seq <= `after_seq`, at `version`."""

    version: int
    offset: int
    after_seq: int


class Page(NamedTuple):
    """What a read of an unfiltered v1 page gives: the answer, and where the page ended
    (None when it is empty)."""

    rows: EntryRows
    end: Boundary | None


EMPTY_PAGE = Page(EntryRows(0, "[]"), None)
"""The page of an app that does not exist."""


class Walk(NamedTuple):
    """How a page at an offset is read: `answer` when no walk is needed (no such app,
    or the offset past the end), else the walk from `after_seq`, skipping `skip`."""

    answer: Page | None
    after_seq: int = 0
    skip: int = 0


def walk_to(state: tuple[Any, ...] | None, start: Boundary | None, offset: int) -> Walk:
    """The walk to the entry at `offset` of an app whose `(contact_count, list_version)`
    is `state` (None: no such app), past `start` when it still holds (`resume`)."""
    if state is None:
        return Walk(EMPTY_PAGE)
    count, version = int(state[0]), int(state[1])
    if offset >= count:
        return Walk(Page(EntryRows(count, "[]"), None))
    return Walk(None, *resume(start, version, offset))


def page_of(row: tuple[Any, ...], offset: int) -> Page:
    """The page at `offset` from a page statement's row: (count, version, entries as
    JSON, how many, the last seq)."""
    count, version, entries, n, last = row
    end = Boundary(int(version), offset + int(n), int(last)) if n else None
    return Page(EntryRows(int(count), entries), end)


def resume(start: Boundary | None, version: int, offset: int) -> tuple[int, int]:
    """Where the walk to the listing's entry at `offset` begins: `(after_seq, skip)`,
    past `start` if it was taken at `version` and lies at or before `offset`, else from
    the beginning."""
    if start is not None and start.version == version and start.offset <= offset:
        return start.after_seq, offset - start.offset
    return 0, offset


class KnownCount(NamedTuple):
    """`matching` contacts matched a query while the app was at (`version`, `total`)."""

    version: int
    total: int
    matching: int


class Listing(NamedTuple):
    matching: int
    """How many contacts match in all (not the page length)."""
    contacts: list[Contact]
    version: int
    total: int = 0
    """The app's contact count in the snapshot (with `version`, the memo's key)."""


K = TypeVar("K", bound=tuple[Any, ...])
V = TypeVar("V")


class AppKeyedLRU(Generic[K, V]):
    """A bounded LRU map whose keys lead with an app id, so that an app's entries can
    be forgotten at once. Used from the event loop thread only, so it needs no lock."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        """Keep `value` as the most recent; the least recent goes past the bound."""
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)

    def forget(self, app_id: int) -> None:
        for key in [key for key in self._items if key[0] == app_id]:
            del self._items[key]


class PageBoundaries(AppKeyedLRU[tuple[int, str, int], Boundary]):
    """Where recent pages ended, per (app, folded query, offset the page ended at).

    The store looks up before a query and records after it.
    """

    def __init__(self, capacity: int = 4096) -> None:
        super().__init__(capacity)

    def find(self, app_id: int, key: str, offset: int) -> Boundary | None:
        return self.get((app_id, key, offset))

    def record(self, app_id: int, key: str, offset: int, listing: Listing) -> None:
        """Remember where the page that started at `offset` ended."""
        if not listing.contacts:
            return
        end = offset + len(listing.contacts)
        self.remember(app_id, key, Boundary(listing.version, end, listing.contacts[-1].seq))

    def remember(self, app_id: int, key: str, end: Boundary) -> None:
        """Remember a page's end: the next page, at `end.offset`, resumes from it."""
        self.put((app_id, key, end.offset), end)


class CountMemo(AppKeyedLRU[tuple[int, str], KnownCount]):
    """The count of each recent filtered query, per (app, folded query).

    A filtered count reads every match (bench/profile.md, "filtered counts"), while
    its page needs the first few. A remembered count is used only while the app's
    (`list_version`, `contact_count`) pair, read in the page's own snapshot, is the one
    it was counted at: every write that can change a filtered count changes that pair.
    A delete or a rename (a changed `name_key`, also by a v1 upsert) bumps
    `list_version` (triggers of migration 0002); an insert (v3 add, a v1 upsert that
    creates) raises `contact_count` in its transaction, and as `list_version` only ever
    grows, a pair never comes back once left.
    """

    def __init__(self, capacity: int = 1024) -> None:
        super().__init__(capacity)

    def find(self, app_id: int, key: str) -> KnownCount | None:
        return self.get((app_id, key))

    def record(self, app_id: int, key: str, listing: Listing) -> None:
        if not key:
            return  # the unfiltered count is the app's kept count already
        self.put((app_id, key), KnownCount(listing.version, listing.total, listing.matching))


class ListingMemos:
    """What a store remembers of its v1 listings, valid while an app's `list_version`
    holds: where pages ended (`boundaries`) and how many contacts matched (`counts`)."""

    def __init__(self) -> None:
        self.boundaries = PageBoundaries()
        self.counts = CountMemo()

    def forget(self, app_id: int) -> None:
        """Drop what is remembered of one app (its rows are gone: a reset)."""
        self.boundaries.forget(app_id)
        self.counts.forget(app_id)

    def clear(self) -> None:
        """Drop everything remembered (the store's rows were replaced: a load)."""
        self.boundaries = PageBoundaries()
        self.counts = CountMemo()

    def record_page(self, app_id: int, page: Page) -> EntryRows:
        """Remember where an unfiltered page ended (when it holds any); its answer."""
        if page.end is not None:
            self.boundaries.remember(app_id, "", page.end)
        return page.rows

    def record(
        self, app_id: int, key: str, offset: int, listing: Listing
    ) -> tuple[int, list[Contact]]:
        """Remember what a filtered listing read; its count and contacts."""
        self.boundaries.record(app_id, key, offset, listing)
        self.counts.record(app_id, key, listing)
        return listing.matching, listing.contacts

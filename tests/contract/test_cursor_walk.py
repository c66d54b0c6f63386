"""The cursor walk property (docs/api.md, "v3 contacts"): a walk from the first page to
the end, while contacts are added and deleted between pages, returns every contact that
existed for the whole walk exactly once, and no contact twice."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.contract.wire import Post
from tests.helpers import Api, contact


@dataclass(frozen=True)
class Step:
    """One page: its limit, then the changes made before the next page is asked for."""

    limit: int
    adds: int
    deletes: tuple[int, ...]
    """Picks among the live contacts (taken modulo their number)."""


@dataclass
class Book:
    """What the test knows of the app: every contact created, and those still live."""

    created: list[str] = field(default_factory=list)
    live: list[str] = field(default_factory=list)
    phones: itertools.count[int] = field(default_factory=itertools.count)

    def add(self, api: Api, token: str, n: int) -> None:
        if n:
            ids = api.add_contacts(token, [contact(next(self.phones)) for _ in range(n)])
            self.created += ids
            self.live += ids

    def delete(self, post: Post, token: str, picks: tuple[int, ...]) -> set[str]:
        if not self.live or not picks:
            return set()
        doomed = {self.live[p % len(self.live)] for p in picks}
        status, body = post("/v3/contact/delete", {"token": token, "contact_ids": sorted(doomed)})
        assert (status, body["deleted"]) == (200, len(doomed))
        self.live = [i for i in self.live if i not in doomed]
        return doomed


steps = st.builds(
    Step,
    limit=st.integers(1, 12),
    adds=st.integers(0, 4),
    deletes=st.lists(st.integers(0, 1000), max_size=3).map(tuple),
)


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(initial=st.integers(0, 40), plan=st.lists(steps, min_size=1, max_size=12))
def test_walk_returns_every_contact_that_lived_throughout_exactly_once(
    api: Api, post: Post, initial: int, plan: list[Step]
) -> None:
    token = api.tenant("Walker").token  # a fresh app per example
    book = Book()
    book.add(api, token, initial)
    survivors = set(book.created)
    seen: list[str] = []
    page_state: str | None = None
    for n in itertools.count():
        step = plan[n] if n < len(plan) else Step(plan[-1].limit, 0, ())
        status, body = post(
            "/v3/contact/get", {"token": token, "limit": step.limit, "page_state": page_state}
        )
        assert status == 200, body
        assert len(body["contacts"]) <= step.limit
        seen += [c["contact_id"] for c in body["contacts"]]
        page_state = body["page_state"]
        if page_state is None:
            assert body["count"] == len(book.live)
            break
        assert body["contacts"], "a page with a next page is never empty"
        book.add(api, token, step.adds)
        survivors -= book.delete(post, token, step.deletes)
        assert n < 500

    assert len(seen) == len(set(seen)), "a contact came twice"
    assert set(seen) <= set(book.created), "a contact came from nowhere"
    assert survivors <= set(seen), "a contact that lived throughout was skipped"
    order = {contact_id: i for i, contact_id in enumerate(book.created)}
    assert [order[i] for i in seen] == sorted(order[i] for i in seen), "not in creation order"

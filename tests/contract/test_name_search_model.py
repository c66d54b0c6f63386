"""v1 getContact's `name` filter against a brute-force model, on both backends: random
names (accents, Ǆ, LIKE and FTS specials), interleaved adds, renames and deletes, then
every page of random terms of 1-6 characters compared with a Python filter over all the
contacts, in creation order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contactd.domain.names import name_search_key, search_key
from contactd.store import fragment_folder, postgres_names, sqlite_names
from tests.helpers import Api, name_index_differences_at

# Letters that fold (Ǆ -> ǆ, Ö -> ö), an accented pair, the specials of LIKE and FTS5
# (% _ * " '), a space (names span it) and digits.
ALPHABET = "aAbBzZoOëÖiyāǄǆ %_*\"'.-09"
words = st.text(ALPHABET, min_size=1, max_size=7).map(str.strip).filter(bool)
# Names that repeat too, as in a real book: a name carried by several contacts is found
# in ways of its own (the names of two contacts or more are indexed apart on SQLite).
REPEATED = [("Mike", "Ross"), ("Zoë", "Ǆaa"), ("Anna", ""), ("O_b", "%9")]
names = st.one_of(st.tuples(words, st.one_of(st.just(""), words)), st.sampled_from(REPEATED))
terms = st.text(ALPHABET, min_size=1, max_size=6).filter(lambda t: search_key(t).strip() != "")

add = st.tuples(st.just("add"), st.lists(names, min_size=1, max_size=8))
# One update of up to three contacts: names traded between them in one transaction.
rename = st.tuples(
    st.just("rename"), st.lists(st.tuples(st.integers(0, 10**6), names), min_size=1, max_size=3)
)
delete = st.tuples(st.just("delete"), st.integers(0, 10**6))
# A term typed at random, or cut from a stored name (what an agent types): (contact,
# start, length) picks it when the book is not empty.
cut = st.tuples(st.integers(0, 10**6), st.integers(0, 20), st.integers(1, 6))
query = st.tuples(
    st.just("query"), terms, st.sampled_from([1, 2, 3, 7, 100]), st.one_of(st.none(), cut)
)
steps = st.lists(st.one_of(add, add, rename, delete, query, query), min_size=4, max_size=14)


@dataclass
class Book:
    """The model: the app's live contacts in creation order."""

    contacts: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    """contact_id -> (first, last, mobile)"""

    def matching(self, term: str) -> list[int]:
        key = search_key(term)
        return [m for f, last, m in self.contacts.values() if key in name_search_key(f, last)]


def _pages(api: Api, token: str, term: str, limit: int) -> tuple[set[int], list[int]]:
    """Every page of the search: the counts each page gave, and the mobiles in order."""
    counts, mobiles, page = set(), [], 1
    while True:
        status, body = api.post(
            "/v1/getContact", {"token": token, "page": page, "limit": limit, "name": term}
        )
        assert status == 200, body
        counts.add(body["count"])
        mobiles += [c["mobile"] for c in body["contacts"]]
        if len(body["contacts"]) < limit:
            return counts, mobiles
        page += 1


def _rename(api: Api, token: str, renames: dict[str, tuple[str, str]]) -> None:
    """One v3 update renaming each contact of `renames` (contact_id -> first, last)."""
    contacts = [
        {"contact_id": contact_id, "first_name": first, "last_name": last}
        for contact_id, (first, last) in renames.items()
    ]
    status, body = api.post("/v3/contact/update", {"token": token, "contacts": contacts})
    assert status == 200, body


def _read_names_by(monkeypatch: pytest.MonkeyPatch, names_read: str) -> None:
    """Make each backend find the page's contacts one way, whatever its costs say.

    PostgreSQL finds the names holding a query in the app's slice of the dictionary, or,
    for an app of many names, through the trigram index. SQLite takes the cheapest plan
    (store/name_index.py, "page"): in apps this small the walk, unless told otherwise;
    "trigram index" reads first pages from the first names holding the query, "lookup"
    reads the contacts of every name holding it. The fragment counts follow the names
    later on both backends (store/fragment_folder.py): soon after each write with
    "trigram index", never with "lookup", as they would otherwise."""
    monkeypatch.setattr(postgres_names, "SLICE_NAMES", 10**9 if names_read == "slice" else -1)
    delay = {"trigram index": 0.0, "lookup": 10.0**6}.get(names_read)
    if delay is not None:
        monkeypatch.setattr(fragment_folder, "FOLD_DELAY_SECONDS", delay)
    if names_read == "trigram index":
        monkeypatch.setattr(sqlite_names, "first_names_cost", lambda *, wanted: 0.0)
    if names_read == "lookup":
        monkeypatch.setattr(sqlite_names, "first_names_cost", lambda *, wanted: float("inf"))
        for module in (postgres_names, sqlite_names):
            monkeypatch.setattr(module, "walk_is_cheaper", lambda **_: False)


@pytest.mark.parametrize("names_read", ["slice", "trigram index", "lookup"])
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_name_search_matches_a_filter_over_every_contact(
    api: Api,
    database_url: str,
    names_read: str,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[Any, ...]],
) -> None:
    _read_names_by(monkeypatch, names_read)
    tenant = api.tenant()
    book, serial = Book(), 0
    for step in steps:
        kind = step[0]
        if kind == "add":
            batch = []
            for first, last in step[1]:
                serial += 1
                batch.append((first, last, 919000000000 + serial))
            ids = api.add_contacts(
                tenant.token,
                [{"phone_no": str(m), "first_name": f, "last_name": la} for f, la, m in batch],
            )
            book.contacts.update(zip(ids, batch, strict=True))
        elif kind == "rename" and book.contacts:
            ids = list(book.contacts)
            renames = {ids[at % len(ids)]: name for at, name in step[1]}
            _rename(api, tenant.token, renames)
            for contact_id, (first, last) in renames.items():
                book.contacts[contact_id] = (first, last, book.contacts[contact_id][2])
        elif kind == "delete" and book.contacts:
            contact_id = list(book.contacts)[step[1] % len(book.contacts)]
            status, body = api.post(
                "/v3/contact/delete", {"token": tenant.token, "contact_ids": [contact_id]}
            )
            assert status == 200, body
            del book.contacts[contact_id]
        elif kind == "query":
            _, term, limit, picked = step
            if picked is not None and book.contacts:
                first, last, _ = list(book.contacts.values())[picked[0] % len(book.contacts)]
                name = f"{first} {last}".strip()
                start = picked[1] % len(name)
                term = name[start : start + picked[2]]
            expected = book.matching(term)
            counts, mobiles = _pages(api, tenant.token, term, limit)
            assert counts == {len(expected)}, term
            assert mobiles == expected, term
    assert name_index_differences_at(database_url) == []


@pytest.mark.parametrize("names_read", ["slice", "trigram index", "lookup"])
def test_names_traded_in_one_update_are_found_under_their_new_contacts(
    api: Api, database_url: str, names_read: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Renames whose changes cancel out per name (two contacts trading names, one name
    leaving its first contact for a later one) still move the name to its new first
    contact, which the first-names page takes for a contact of that name."""
    _read_names_by(monkeypatch, names_read)
    tenant = api.tenant()
    people = [("Xavier", "Q"), ("Xavier", "Q"), ("Other", ""), ("Yana", ""), ("Zed", "")]
    ids = api.add_contacts(
        tenant.token,
        [
            {"phone_no": str(919100000000 + n), "first_name": f, "last_name": la}
            for n, (f, la) in enumerate(people)
        ],
    )
    book = Book(
        dict(zip(ids, [(f, la, 919100000000 + n) for n, (f, la) in enumerate(people)], strict=True))
    )
    trades = {
        ids[0]: ("Walt", ""),
        ids[2]: ("Xavier", "Q"),
        ids[3]: ("Zed", ""),
        ids[4]: ("Yana", ""),
    }
    _rename(api, tenant.token, trades)
    for contact_id, (first, last) in trades.items():
        book.contacts[contact_id] = (first, last, book.contacts[contact_id][2])
    for term in ("xav", "yana", "zed", "walt", "a"):
        for limit in (1, 2, 7):
            counts, mobiles = _pages(api, tenant.token, term, limit)
            assert (counts, mobiles) == ({len(book.matching(term))}, book.matching(term)), term
    assert name_index_differences_at(database_url) == []

"""An unfiltered v1 page as the store renders it (`Store.page_entries`) is the page the
API would make from the contacts' records.

The store writes each v1 entry in SQL (`domain.card.V1_ENTRY`) and the API splices the
JSON into its answer, so these tests hold that JSON, on both backends, to a model of the
app (which contacts, in which order, how many) and, byte for byte, to what the API makes
of the same contacts read as records (`list_contacts`, `api.v1`'s view, msgspec), after
random adds, deletes, renames and v1 upserts with notes, for walks page after page (a
remembered boundary), jumps to a page and pages past the end. Values a renderer could
get wrong are in the names, the tags and the notes: quotes, backslashes, control and
non-ASCII characters, empty strings.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contactd.api import v1
from contactd.domain.card import V1_ENTRY
from contactd.domain.models import App, ContactChanges, NewContact, PhoneUpsert
from contactd.domain.store import Store
from contactd.store import open_store
from tests import records

NAMES = [
    ("Zoë", 'O"Brien'),
    ("Priyā", ""),
    ("", "Ross"),
    ("Ǆemal", "a\\b"),
    ("Mike", "J Ross"),
    ("tab\there", "x\u0001y"),
    ("नमस्ते", "Co"),
]
TEXTS = ["", 'say "hi"', "back\\slash", "line\nbreak", "Zoë"]
_apps = itertools.count(8_800_001)


@pytest.fixture
def opened(database_url: str) -> Iterator[tuple[asyncio.AbstractEventLoop, Store]]:
    loop = asyncio.new_event_loop()
    store = loop.run_until_complete(open_store(database_url, wait_seconds=5))
    yield loop, store
    loop.run_until_complete(store.close())
    loop.close()


def _contact(app_id: int, n: int, name: tuple[str, str], text: str) -> NewContact:
    base = records.new_contact(n, name[0], name[1], saved_by=f"101_{app_id}")
    notes = msgspec.json.encode([{"msg": text, "date": n, "agent": "101"}]).decode()
    return msgspec.structs.replace(
        base,
        tag=text,
        status=text[::-1],
        info=text,
        notes_json=notes if text else "[]",
        remindme=n * 1000 if n % 2 else None,
    )


async def _check_page(
    store: Store, app_id: int, phones: list[int], offset: int, limit: int
) -> None:
    rows = await store.page_entries(app_id, offset=offset, limit=limit)
    count, contacts = await store.list_contacts(app_id, offset=offset, limit=limit, name="")
    entries = msgspec.json.decode(rows.entries, type=list[v1.V1Contact])
    assert rows.count == count == len(phones)
    assert [e.mobile for e in entries] == phones[offset : offset + limit]
    assert rows.entries == msgspec.json.encode([v1.contact_view(c) for c in contacts]).decode()


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"),
            st.lists(
                st.tuples(st.sampled_from(NAMES), st.sampled_from(TEXTS)), min_size=1, max_size=6
            ),
        ),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("rename"), st.integers(0, 50), st.sampled_from(NAMES)),
        st.tuples(
            st.just("upsert"), st.integers(0, 50), st.sampled_from(NAMES), st.sampled_from(TEXTS)
        ),
    ),
    min_size=1,
    max_size=8,
)
pages = st.lists(
    st.one_of(st.just("next"), st.tuples(st.integers(0, 40), st.integers(1, 7))),
    min_size=1,
    max_size=8,
)


def test_unfiltered_pages_are_the_records_rendered(
    opened: tuple[asyncio.AbstractEventLoop, Store],
) -> None:
    loop, store = opened

    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(ops=operations, reads=st.lists(st.tuples(st.integers(0, 7), pages), max_size=3))
    def check(ops: list[tuple[object, ...]], reads: list[tuple[int, list[object]]]) -> None:
        loop.run_until_complete(_scenario(store, ops, reads))

    check()


async def _scenario(
    store: Store, ops: list[tuple[object, ...]], reads: list[tuple[int, list[object]]]
) -> None:
    app_id = next(_apps)
    assert await store.add_app(App(app_id, "entries", b"x", "91", 0))
    model: list[NewContact] = []  # the app's contacts in creation order
    made = itertools.count(1)
    for step, op in enumerate(ops):
        kind = op[0]
        if kind == "add":
            batch = [_contact(app_id, next(made), name, text) for name, text in op[1]]  # type: ignore[attr-defined]
            await store.add_contacts(app_id, batch)
            model += batch
        elif model and kind == "delete":
            gone = model.pop(int(op[1]) % len(model))  # type: ignore[call-overload]
            assert await store.delete_contacts(app_id, [gone.contact_id]) == 1
        elif model and kind == "rename":
            at = int(op[1]) % len(model)  # type: ignore[call-overload]
            first, last = op[2]  # type: ignore[misc]
            await store.update_contacts(
                app_id, [ContactChanges(model[at].contact_id, first_name=first, last_name=last)]
            )
        elif model and kind == "upsert":
            at = int(op[1]) % len(model)  # type: ignore[call-overload]
            again = _contact(app_id, 0, op[2], op[3])  # type: ignore[arg-type]
            again = msgspec.structs.replace(
                again, phone=model[at].phone, phone_key=model[at].phone_key
            )
            await store.upsert_by_phone(app_id, PhoneUpsert(new=again, replaces=frozenset()))
        phones = [int(c.phone) for c in model]
        for start, walk in reads if step == len(ops) - 1 else []:
            offset, limit = start, 3
            for read in walk:
                if read != "next":
                    offset, limit = read  # type: ignore[misc]
                await _check_page(store, app_id, phones, offset, limit)
                offset += limit


def test_a_page_past_a_block_starts_in_the_right_block(
    opened: tuple[asyncio.AbstractEventLoop, Store],
) -> None:
    """Past 4,096 entries from where a walk can start, the store finds the block of the
    offset first (`contact_blocks`); a jump there, a walk across the block's end and
    the last pages agree with the model, also after a delete early in the list."""
    loop, store = opened

    async def scenario() -> None:
        app_id = next(_apps)
        assert await store.add_app(App(app_id, "blocks", b"x", "91", 0))
        model = [_contact(app_id, n, NAMES[n % len(NAMES)], TEXTS[n % 5]) for n in range(1, 5001)]
        for start in range(0, len(model), 1000):
            await store.add_contacts(app_id, model[start : start + 1000])
        phones = [int(c.phone) for c in model]
        for offset, limit in [(4090, 10), (4100, 10), (4110, 10), (4999, 5), (5000, 5), (0, 3)]:
            await _check_page(store, app_id, phones, offset, limit)
        assert await store.delete_contacts(app_id, [model[7].contact_id]) == 1
        del phones[7]
        for offset, limit in [(4110, 10), (4120, 10), (4096, 20), (4998, 5)]:
            await _check_page(store, app_id, phones, offset, limit)

    loop.run_until_complete(scenario())


def test_the_entry_is_the_wire_type_in_order() -> None:
    fields = msgspec.structs.fields(v1.V1Contact)
    assert [f.encode_name for f in fields] == [f.wire for f in V1_ENTRY]

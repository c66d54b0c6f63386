"""The extensions against a brute-force model (docs/api.md, "Extensions"): after random
adds, renames, new numbers, reminders and deletes by two principals, every page of
`/x/contacts/search` and `/x/contacts/due`, walked to the end, holds exactly what a
Python filter over all the app's contacts gives, in the same order, with the same
count on every page. The model spells each rule out on its own (folding, the digits
of a query, the window), without contactd's code."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contactd.store import fragment_folder
from tests.contract.extensions_api import DUE, SEARCH, add_agent, x_walk
from tests.helpers import Api, due_block_differences_at, name_index_differences_at

# Names mix case-folding traps (ë, ā, the titlecase digraph Ǆ/ǅ/ǆ), LIKE and FTS5
# specials and digits, so that name matches and digit matches overlap.
NAME_ALPHABET = "aAbBzZëËāĀǄǅǆoOpP %_*\"'-12345"
NAME = st.text(NAME_ALPHABET, min_size=1, max_size=8).filter(lambda s: s.strip() != "")
# Numbers of few digits share fragments, and names made of those digits ("Customer
# 2701") are found by name and by number at once: the union counts them once.
NATIONAL = st.text("0127", min_size=9, max_size=9).map(lambda rest: "9" + rest)
PART = NAME | st.text("0127", min_size=3, max_size=5)
REMINDERS = [0, 1, 2, 999, 1000, 10**12, 4 * 10**12, 253_402_300_799_999]
"""Few values, so that reminders tie; all far from now but 10**12 and 4 * 10**12, which
lie on either side of a day from now for a century either way."""
SEPARATORS = " -()."


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text.casefold())


def query_digits(q: str) -> str | None:
    compact = "".join(ch for ch in q.strip() if ch not in SEPARATORS)
    compact = compact[1:] if compact.startswith("+") else compact
    digits_only = compact.isascii() and compact.isdigit()
    return compact if digits_only and len(compact) >= 3 else None


@dataclass
class Entry:
    contact_id: str
    first: str
    last: str
    phone: str
    key: str
    saved_by: str
    remindme: int | None = None


@dataclass
class Book:
    """The model: the app's live contacts in creation order."""

    entries: list[Entry] = field(default_factory=list)

    def phone_keys(self) -> set[str]:
        return {e.key for e in self.entries}

    def search(self, q: str) -> list[Entry]:
        key, digits = fold(q), query_digits(q)
        if not key.strip():  # nothing typed yet: the whole book
            return list(self.entries)
        return [
            e
            for e in self.entries
            if key in fold(f"{e.first} {e.last}")
            or (digits is not None and (digits in e.phone or digits in e.key))
        ]

    def due(self, after: int, before: int, agent: str | None) -> list[Entry]:
        found = [
            e
            for e in self.entries
            if e.remindme is not None
            and after <= e.remindme < before
            and agent in (None, e.saved_by)
        ]
        return sorted(found, key=lambda e: e.remindme or 0)  # stable: creation order


# -- the writes ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Add:
    names: tuple[tuple[str, str], ...]
    nationals: tuple[str, ...]
    plus: bool
    by_agent: bool
    numbered: bool
    """Each last name is the number's last five digits ("Customer 27012")."""


@dataclass(frozen=True)
class Rename:
    pick: int
    first: str | None
    last: str | None
    national: str | None


@dataclass(frozen=True)
class Remind:
    pick: int | None
    """A live contact (taken modulo their number), or None: a new one from `national`."""
    national: str
    first: str
    last: str
    at: int
    by_agent: bool


@dataclass(frozen=True)
class Delete:
    pick: int


PICK = st.integers(0, 10_000)
ADD = st.builds(
    Add,
    names=st.lists(st.tuples(PART, PART), min_size=1, max_size=4).map(tuple),
    nationals=st.lists(NATIONAL, min_size=4, max_size=4).map(tuple),
    plus=st.booleans(),
    by_agent=st.booleans(),
    numbered=st.booleans(),
)
REMIND = st.builds(
    Remind,
    pick=PICK | st.none(),
    national=NATIONAL,
    first=PART,
    last=PART,
    at=st.sampled_from(REMINDERS),
    by_agent=st.booleans(),
)
# Adds and reminders come twice as often as renames and deletes: books grow, and
# reminders tie.
WRITE = st.one_of(
    ADD,
    ADD,
    st.builds(Rename, pick=PICK, first=PART | st.none(), last=PART | st.none(),
              national=NATIONAL | st.none()),
    REMIND,
    REMIND,
    st.builds(Delete, pick=PICK),
)  # fmt: skip


@dataclass
class Session:
    api: Api
    book: Book
    tokens: dict[bool, str]
    ids: dict[bool, str]

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        status, answer = self.api.post(path, body)
        assert status == 200, (path, body, answer)
        return dict(answer)

    def apply(self, write: Add | Rename | Remind | Delete) -> None:
        entries = self.book.entries
        if isinstance(write, Add):
            self.add(write)
        elif isinstance(write, Remind):
            self.remind(write)
        elif entries and isinstance(write, Rename):
            self.rename(entries[write.pick % len(entries)], write)
        elif entries and isinstance(write, Delete):
            doomed = entries.pop(write.pick % len(entries))
            body = {"token": self.tokens[True], "contact_ids": [doomed.contact_id]}
            self.post("/v3/contact/delete", body)

    def add(self, write: Add) -> None:
        taken, batch = self.book.phone_keys(), []
        for (first, last), national in zip(write.names, write.nationals, strict=False):
            if "91" + national in taken:
                continue
            taken.add("91" + national)
            sent = f"+91 {national}" if write.plus else national
            named = national[-5:] if write.numbered else last
            batch.append({"phone_no": sent, "first_name": first, "last_name": named})
        if not batch:
            return
        body = {"token": self.tokens[write.by_agent], "contacts": batch}
        ids = self.post("/v3/contact/add", body)["contact_ids"]
        for contact_id, item in zip(ids, batch, strict=True):
            national = item["phone_no"].removeprefix("+91 ")
            self.book.entries.append(
                Entry(
                    contact_id,
                    item["first_name"].strip(),
                    item["last_name"].strip(),
                    "91" + national if write.plus else national,
                    "91" + national,
                    self.ids[write.by_agent],
                )
            )

    def rename(self, entry: Entry, write: Rename) -> None:
        change: dict[str, Any] = {"contact_id": entry.contact_id}
        if write.first is not None:
            change["first_name"] = write.first
        if write.last is not None:
            change["last_name"] = write.last
        new_key = None if write.national is None else "91" + write.national
        if new_key is not None and new_key not in self.book.phone_keys():
            change["phone_no"] = write.national
        self.post("/v3/contact/update", {"token": self.tokens[True], "contacts": [change]})
        entry.first = entry.first if write.first is None else write.first.strip()
        entry.last = entry.last if write.last is None else write.last.strip()
        if "phone_no" in change:
            entry.phone, entry.key = write.national or "", new_key or ""

    def remind(self, write: Remind) -> None:
        entries = self.book.entries
        if write.pick is not None and entries:
            entry: Entry | None = entries[write.pick % len(entries)]
        else:
            entry = next((e for e in entries if e.key == "91" + write.national), None)
        key = entry.key if entry is not None else "91" + write.national
        name = f"{write.first} {write.last}"
        body = {"token": self.tokens[write.by_agent], "name": name, "from": "+" + key,
                "remindme": write.at}  # fmt: skip
        answer = self.post("/v1/updateContact", body)
        assert answer == {"code": 200, "msg": "Contact updated"}
        first, _, last = name.strip().partition(" ")
        if entry is None:  # created: its id from the v3 list (the app holds < 100)
            entry = Entry(self.new_id(key), "", "", key, key, self.ids[write.by_agent])
            entries.append(entry)
        entry.first, entry.last, entry.remindme = first, last.strip(), write.at

    def new_id(self, key: str) -> str:
        cards = self.post("/v3/contact/get", {"token": self.tokens[True], "limit": 100})
        [contact_id] = [c["contact_id"] for c in cards["contacts"] if c["phone_no"] == key]
        return str(contact_id)


def start(api: Api) -> Session:
    tenant = api.tenant("Model")  # a fresh app per example
    agent_id, agent_token = add_agent(api, tenant)
    return Session(
        api,
        Book(),
        {False: tenant.token, True: agent_token},
        {False: tenant.user_id, True: agent_id},
    )


def check(found: list[dict[str, Any]], counts: list[int], expected: list[Entry]) -> None:
    assert set(counts) == {len(expected)}
    assert [c["contact_id"] for c in found] == [e.contact_id for e in expected]
    for shown, entry in zip(found, expected, strict=True):
        assert (shown["first_name"], shown["last_name"]) == (entry.first, entry.last)
        assert (shown["phone_no"], shown["remindme"], shown["agent"]) == (
            entry.phone,
            entry.remindme,
            entry.saved_by,
        )


EXAMPLE_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def queries(draw: st.DrawFn, book: Book) -> str:
    """A fragment of a stored name (any case) or of a number (with separators, or
    its last digits), or text of the alphabet; 1-6 characters but for the separators."""
    entries = book.entries
    kind = draw(st.sampled_from(["name", "digits", "tail", "any"] if entries else ["any"]))
    if kind == "any":
        return draw(st.text(NAME_ALPHABET + "0789", min_size=1, max_size=6))
    entry = draw(st.sampled_from(entries))
    if kind == "tail":  # a number's last digits, as agents type them
        return entry.phone[-draw(st.integers(3, 6)) :]
    numbers = st.sampled_from([entry.phone, entry.key])
    text = f"{entry.first} {entry.last}" if kind == "name" else draw(numbers)
    size = draw(st.integers(1, min(6, len(text))))
    at = draw(st.integers(0, len(text) - size))
    part = text[at : at + size]
    if kind == "name":
        return draw(st.sampled_from([part, part.upper(), part.casefold()]))
    if draw(st.booleans()):  # as typed: plain digits also find "Customer 27012" by name
        return part
    spaced = "".join(ch + draw(st.sampled_from(["", "", " ", "-", ".", ")"])) for ch in part)
    return draw(st.sampled_from(["", "+", "("])) + spaced


@EXAMPLE_SETTINGS
@given(writes=st.lists(WRITE, min_size=1, max_size=16), data=st.data())
def test_search_pages_are_the_models(
    api: Api,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    writes: list[Any],
    data: st.DataObject,
) -> None:
    # The counts of names (and on SQLite of digit runs) follow the writes in folds of
    # their own: at once here, so that queries meet them folded, partly folded or pending.
    monkeypatch.setattr(fragment_folder, "FOLD_DELAY_SECONDS", 0.0)
    session = start(api)
    for write in writes:
        session.apply(write)
    for _ in range(4):
        q = data.draw(queries(session.book), label="q")
        limit = data.draw(st.integers(1, 5), label="limit")
        counts, found = x_walk(api, SEARCH, session.tokens[True], limit=limit, q=q)
        check(found, counts, session.book.search(q))
    assert name_index_differences_at(database_url) == []


# The simplest window (what shrinking heads for) is the widest: none, then no start.
WINDOW = st.tuples(st.sampled_from([None, *REMINDERS]), st.sampled_from([None, *REMINDERS[::-1]]))
# Reminders set on the contacts in turn (new ones past the last), few values: they tie.
REMINDER_RUN = st.lists(
    st.tuples(st.sampled_from(REMINDERS[:3]) | st.sampled_from(REMINDERS), st.booleans()),
    min_size=2,
    max_size=12,
)


@EXAMPLE_SETTINGS
@given(
    writes=st.lists(WRITE, max_size=10),
    reminders=REMINDER_RUN,
    later=st.lists(WRITE, max_size=6),
    data=st.data(),
)
def test_due_pages_are_the_models(
    api: Api,
    database_url: str,
    writes: list[Any],
    reminders: list[tuple[int, bool]],
    later: list[Any],
    data: st.DataObject,
) -> None:
    session = start(api)
    for write in writes:
        session.apply(write)
    for n, (at, by_agent) in enumerate(reminders):
        pick = n if n < len(session.book.entries) else None
        session.apply(Remind(pick, f"9{n:09d}", "Due", str(n), at, by_agent))
    for write in later:  # renames, numbers, deletes and reminders after the run
        session.apply(write)
    assert due_block_differences_at(database_url) == []
    for _ in range(4):
        after, before = data.draw(WINDOW, label="window")
        # An empty or reversed window is refused (test_extensions.py): turn it round.
        end = 2 * 10**12 if before is None else before  # a day from now lies within
        if after is not None and after >= end:
            after, before = (None, before) if after == end else (end, after)
        agent = data.draw(st.sampled_from([None, *session.ids.values()]), label="agent")
        fields = {"after": after, "before": before, "agent": agent}
        limit = data.draw(st.integers(1, 5), label="limit")
        counts, found = x_walk(api, DUE, session.tokens[False], limit=limit, **fields)
        window_end = 2 * 10**12 if before is None else before
        check(found, counts, session.book.due(after or 0, window_end, agent))

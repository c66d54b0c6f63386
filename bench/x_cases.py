"""The extensions' cases: `/x/contacts/search` by phone digits and by name fragments,
and `/x/contacts/due` over random windows, on the big app whose names repeat.

Every case cycles through many different requests (never one body repeated back to
back), the app's principals taking turns, as the other read cases do:

- `x_search_phone`: the last four digits of random contacts' numbers (each finds at
  least its contact, and every other number holding those four digits anywhere).
- `x_search_name`: the app's name fragments from the manifest (those the v1 name cases
  ask), from a place of their own in the pool.
- `x_search_all`: no query, as the console asks before anything is typed: the big
  app's first page, its size cycling through 10-30 contacts (the console asks 20).
- `x_due`: windows of a minute, an hour or a day at random starts within the app's
  reminders (a fifth of the contacts hold one, a day after their creation: see
  `bench.data.contacts`), a quarter of them for one agent (extension 101's id, the
  contacts' `saved_by`).
- `x_due_1k`: the same windows over the 1k apps' reminders, the apps taking turns: the
  due list's cost should not follow the app's size (`x_due` against it).
"""

from __future__ import annotations

import random

from bench import data
from bench.context import Bench, body
from bench.driver import CaseResult, cycling, post

__all__ = ["X_CASES"]

REQUESTS = 4_000
"""Different bodies per case: more than a case sends in one round on this machine."""
LIMIT = 10
WINDOWS_MS = (60_000, 3_600_000, 86_400_000)
DAY_MS = 86_400_000


async def case_x_search_phone(b: Bench) -> CaseResult:
    rng = random.Random(17)
    contacts = b.number("big_contacts")
    suffixes = [data.phone_of(b.big, rng.randrange(contacts))[1][-4:] for _ in range(REQUESTS)]
    requests = [{"q": s, "limit": LIMIT} for s in suffixes]
    return await b.load(b.each_principal(b.big, "/x/contacts/search", requests))


async def case_x_search_name(b: Bench) -> CaseResult:
    pool = b.fragments(b.big)
    # Half way through the pool: the v1 name cases start at its beginning.
    start = len(pool) // 2
    requests = [{"q": q, "limit": LIMIT} for q in pool[start:] + pool[:start]]
    return await b.load(b.each_principal(b.big, "/x/contacts/search", requests))


async def case_x_search_all(b: Bench) -> CaseResult:
    requests = [{"limit": limit} for limit in range(10, 31)]
    return await b.load(b.each_principal(b.big, "/x/contacts/search", requests))


def due_windows(
    b: Bench, count: int, seed: int = 17, *, app: int | None = None, contacts: int | None = None
) -> list[dict[str, object]]:
    """`count` due-list bodies (no token): random windows over the reminders of `app`
    (the big app unless named), which holds `contacts`.

    A window starts anywhere in the reminders' span but its last minute, so that a page
    of any app holds about as many contacts (a minute holds 12 reminders on average),
    and a long window of a small app, which runs past its last reminder, does not start
    at its first one each time: every body is a different page."""
    app = b.big if app is None else app
    contacts = b.number("big_contacts") if contacts is None else contacts
    rng = random.Random(seed)
    first = data.CREATED_AT + DAY_MS
    last = first + contacts * 1_000  # the contacts' creation span (`bench.data.contacts`)
    agent = f"{data.EXTENSION}_{app}"
    windows: list[dict[str, object]] = []
    for _ in range(count):
        length = rng.choice(WINDOWS_MS)
        after = rng.randrange(first, last - WINDOWS_MS[0])
        window: dict[str, object] = {"after": after, "before": after + length, "limit": LIMIT}
        if rng.random() < 0.25:
            window["agent"] = agent
        windows.append(window)
    return windows


async def case_x_due(b: Bench) -> CaseResult:
    return await b.load(b.each_principal(b.big, "/x/contacts/due", due_windows(b, REQUESTS)))


async def case_x_due_1k(b: Bench) -> CaseResult:
    per_app = REQUESTS // len(b.smalls)
    requests = [
        post("/x/contacts/due", body(token=b.token(app), **window))
        for at, app in enumerate(b.smalls)
        for window in due_windows(b, per_app, seed=at, app=app, contacts=data.SMALL_CONTACTS)
    ]
    random.Random(17).shuffle(requests)  # the apps in turn, not one app's run after another's
    return await b.load(cycling(requests))


X_CASES = {
    "x_search_phone": ("x search by a number's last 4 digits, page 1", case_x_search_phone),
    "x_search_name": ("x search by a name fragment, page 1", case_x_search_name),
    "x_search_all": ("x search with no query (the whole book), page 1", case_x_search_all),
    "x_due": ("x due list, a random window (minute, hour or day), page 1", case_x_due),
    "x_due_1k": ("x due list, a random window, 1k apps, page 1", case_x_due_1k),
}

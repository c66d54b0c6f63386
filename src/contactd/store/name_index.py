"""The name dictionary both backends keep for the name search, and how a query uses it.

A book of a million contacts holds far fewer distinct names than contacts, so the
search works on the distinct names (table `names`: each app's folded names, each with
how many contacts carry it) and reaches the contacts only for the page it returns:

- **count** of a query of 1 to 3 characters: `name_fragments` keeps, per app, how many
  contacts have a name containing each fragment that short (one row read). Those
  queries match the most names, so summing over the names would cost the most.
- **count** of a longer query: the sum of `n` over the distinct names containing it,
  found through a trigram index over the distinct names (SQLite: FTS5 `names_fts`, an
  app's names one rowid range, each counting one contact without reading its row, and
  `names_shared_fts` over the names of 2 contacts or more, whose rows add the others;
  PostgreSQL: pg_trgm on `names`, or the app's slice of the dictionary when it has few
  names).
- **page**: either walk the app's contacts in creation order, testing each name, until
  the page is full (cheap when the query matches many contacts: about
  `(offset + limit) * contacts / count` entries), or read the contacts of the matching
  names through the `(app_id, name_key, seq)` index (about `count` entries, each far
  dearer than an entry of the walk). The cheaper of the two by that estimate is taken
  (`walk_is_cheaper`). The estimate assumes the matches spread evenly over the app; a
  walk stops after `walk_budget` entries, and the lookup answers a page the walk did
  not fill, so that matches bunched at the end cost a bounded walk more, not the app.
- **page from the first names** (SQLite, a query of 3 characters or more, read from
  the start of the listing): the trigram index holds an app's names in the order of
  their first contacts (migration 0014), so the first `offset + limit` names matching
  the query hold the page: no contact of another name comes before the last of their
  first contacts. The page is those names' contacts up to that one, a seek per name:
  about `offset + limit` names whatever the count (`first_names_cost`), taken when
  cheaper than both plans above.

The tables are kept in the transaction of every contact write. On SQLite, triggers log
each change of a contact's folded name as (app, name key, +1/-1), and before the
transaction commits the writer folds the log (`fold`, `sqlite_names.fold_name_changes`)
into the tables, in one statement per table rather than one per contact. PostgreSQL's
statement-level triggers do the same fold in SQL (migrations 0011 and 0013; a test holds its
fragment length to `FRAGMENT_MAX`).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "FRAGMENT_MAX",
    "GRAM",
    "Matches",
    "NameFold",
    "first_names_cost",
    "fold",
    "fragments",
    "lookup_cost",
    "walk_budget",
    "walk_is_cheaper",
]

FRAGMENT_MAX = 3
"""Queries this short are counted from `name_fragments`. A fourth character would keep a
row per distinct 4-character run of each write's names as well: the rows a write
touches grow with each length counted (bench/profile.md, "Name search over varied
names")."""

GRAM = 3

LOOKUP_ENTRY_COST = 2.0
"""What reading one contact through the name index costs next to testing one entry of
the creation-order walk (rows out of order to sort)."""

LOOKUP_NAME_COST = 80.0
"""What finding one matching name and seeking its contacts costs the lookup, in entries
of the walk: the lookup of a book of varied names pays it for nearly every contact
(bench/profile.md, "Name search over varied names")."""

WALK_BUDGET_FACTOR = 4
"""How many times its estimate a walk may read before the lookup takes over."""

WALK_BUDGET_MIN = 4096
"""The least a walk may read, whatever its estimate."""


@functools.lru_cache(maxsize=1 << 16)
def fragments(key: str) -> frozenset[str]:
    """The distinct fragments of 1 to `FRAGMENT_MAX` characters of a name key.

    Remembered per key: names repeat, and a write folds each of its names."""
    found = set(key)
    for size in range(2, FRAGMENT_MAX + 1):
        # zip of the key shifted by 0..size-1 yields each run of `size` characters.
        found.update(map("".join, zip(*(key[i:] for i in range(size)), strict=False)))
    return frozenset(found)


Change = tuple[int, str, int]
"""(app_id, name_key, delta): a name gained (+) or lost (-) `delta` contacts."""


@dataclass(slots=True)
class NameFold:
    """What a transaction's logged changes do to the tables, net per key."""

    names: list[Change]
    """Per (app, name), the net change of its contact count; zero changes left out."""
    fragments: list[Change]
    """Per (app, fragment), the net change of the count of contacts containing it."""


def fold(logged: Iterable[Change]) -> NameFold:
    """Net the logged changes per name, and derive the fragment counts' changes from
    them: a name gaining `d` contacts adds `d` to each of its distinct fragments."""
    per_name: Counter[tuple[int, str]] = Counter()
    for app_id, key, delta in logged:
        per_name[app_id, key] += delta
    names: list[Change] = []
    gained: dict[int, list[str]] = {}  # per app, the fragments of each name gaining one
    other: dict[int, Counter[str]] = {}  # per app, those of any other change
    for (app_id, key), delta in per_name.items():
        if not delta:
            continue
        names.append((app_id, key, delta))
        if delta == 1:  # the usual change: one contact more; counted below, in one call
            gained.setdefault(app_id, []).extend(fragments(key))
        else:
            counts = other.setdefault(app_id, Counter())
            for fragment in fragments(key):
                counts[fragment] += delta
    per_app = {app_id: Counter(found) for app_id, found in gained.items()}
    for app_id, counts in other.items():
        per_app.setdefault(app_id, Counter()).update(counts)
    changed = [
        (app_id, fragment, delta)
        for app_id, counts in per_app.items()
        for fragment, delta in counts.items()
        if delta
    ]
    return NameFold(names, changed)


class Matches(NamedTuple):
    """What a search plans its page by: `matching` of the app's `total` contacts, which
    carry `names` distinct names, match the key."""

    matching: int
    total: int
    names: int


def walk_is_cheaper(*, wanted: int, matching: int, total: int, names: int) -> bool:
    """Whether walking the app in creation order fills a page ending `wanted` entries
    into the matches sooner than reading the `matching` contacts of the matching names
    (the app's `total` contacts carry `names` distinct names: a matching contact brings
    `names / total` names to look up, on average)."""
    if matching <= 0:
        return False
    return wanted * total / matching <= lookup_cost(matching=matching, total=total, names=names)


def lookup_cost(*, matching: int, total: int, names: int) -> float:
    """What the lookup of `matching` contacts reads, in entries of the walk."""
    return matching * (LOOKUP_ENTRY_COST + LOOKUP_NAME_COST * names / max(total, 1))


def first_names_cost(*, wanted: int) -> float:
    """What a page ending `wanted` entries into the matches costs when read from the
    first `wanted` matching names, in entries of the walk: a name found and its
    contacts sought, for each."""
    return wanted * (LOOKUP_NAME_COST + LOOKUP_ENTRY_COST)


def walk_budget(*, wanted: int, matching: int, total: int) -> int:
    """How many entries a walk chosen by `walk_is_cheaper` may read: a few times the
    estimate, and at least a block's worth, so that an uneven spread of the matches
    rarely sends a page to the lookup."""
    return int(WALK_BUDGET_FACTOR * wanted * total / max(matching, 1)) + WALK_BUDGET_MIN

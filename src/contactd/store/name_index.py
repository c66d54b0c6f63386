"""The name dictionary both backends keep for the name search, and how a query uses it.

A book of a million contacts holds far fewer distinct names than contacts, so the
search works on the distinct names (table `names`: each app's folded names, each with
how many contacts carry it) and reaches the contacts only for the page it returns:

- **count** of a short query (1 to 5 characters): `name_fragments` keeps, per app,
  how many contacts have a name containing each fragment that short (one row read).
  Those queries match the most names, so summing over the names would cost the most.
  The fragment counts lag the names by the changes still in `name_pending`, which a
  count adds (see below).
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
  first contacts. A name carried by one contact is that contact (its id holds the
  seq); the contacts of the shared ones up to that bound are sought, a seek each:
  about `offset + limit` names whatever the count (`first_names_cost`, which prices
  every name as a seek), taken when cheaper than both plans above.

The tables are kept in the transaction of every contact write. On SQLite, triggers log
each change of a contact's folded name as (app, name key, +1/-1), and before the
transaction commits the writer folds the log (`net_names`,
`sqlite_name_fold.fold_name_changes`) into the names and their trigram indexes, in one
statement per table rather than one per contact, and appends the net changes to
`name_pending`. The fragment counts follow later, in transactions of their own that
take thousands of pending changes at once (`fragment_changes`,
`sqlite_fragment_fold`): a batch of varied names touches a dozen fragment rows per
contact, and thousands of names share most of theirs. A count reads the fragment's row
plus the pending changes of names holding it, in one snapshot, so it is exact whether
or not the fold has run. PostgreSQL's statement-level triggers fold the names in SQL,
in the write's own transaction, and append the net changes to `name_pending` (migrations
0011 and 0015); its fragment counts follow in the same way (`postgres_fragment_fold`),
the folds of several processes taking each change once. `fragment_folder` runs the
folds of either backend.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import chain
from typing import NamedTuple

__all__ = [
    "GRAM",
    "Change",
    "Matches",
    "first_names_cost",
    "fragment_changes",
    "fragments",
    "lookup_cost",
    "net_names",
    "walk_budget",
    "walk_is_cheaper",
]

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
def fragments(key: str, longest: int) -> frozenset[str]:
    """The distinct fragments of 1 to `longest` characters of a name key.

    Remembered per key: names repeat, and a fold counts each of its names."""
    found = set(key)
    for size in range(2, longest + 1):
        found.update([key[at : at + size] for at in range(len(key) - size + 1)])
    return frozenset(found)


Change = tuple[int, str, int]
"""(app_id, key, delta): a name (or a fragment) gained (+) or lost (-) `delta`
contacts."""


def net_names(logged: Iterable[Change]) -> list[Change]:
    """The logged changes netted per (app, name), those that cancel out left out."""
    per_name: Counter[tuple[int, str]] = Counter()
    for app_id, key, delta in logged:
        per_name[app_id, key] += delta
    return [(app_id, key, delta) for (app_id, key), delta in per_name.items() if delta]


def fragment_changes(
    names: Iterable[Change], fragments_of: Callable[[str], frozenset[str]]
) -> list[Change]:
    """What the changes `names` (netted per key) do to the fragment counts: a key
    gaining `d` contacts adds `d` to each of its distinct fragments (`fragments_of`);
    fragments whose changes cancel out are left out.

    The names of one app and one delta are counted together by `Counter` (in C), and
    the counts scaled by the delta once per distinct fragment: a fold of thousands of
    names touches each fragment many times."""
    alike: dict[tuple[int, int], list[str]] = {}  # (app, delta): the names changed so
    for app_id, key, delta in names:
        alike.setdefault((app_id, delta), []).append(key)
    per_app: dict[int, Counter[str]] = {}
    for (app_id, delta), keys in alike.items():
        counted = Counter(chain.from_iterable(fragments_of(key) for key in keys))
        total = per_app.get(app_id)
        if total is None and delta == 1:
            per_app[app_id] = counted
            continue
        total = per_app.setdefault(app_id, Counter())
        for fragment, contacts in counted.items():
            total[fragment] += contacts * delta
    return [
        (app_id, fragment, delta)
        for app_id, counts in per_app.items()
        for fragment, delta in counts.items()
        if delta
    ]


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
    """What a page ending `wanted` entries into the matches costs at most when read
    from the first `wanted` matching names, in entries of the walk: a name found and
    its contacts sought, for each (a name of one contact needs no seek)."""
    return wanted * (LOOKUP_NAME_COST + LOOKUP_ENTRY_COST)


def walk_budget(*, wanted: int, matching: int, total: int) -> int:
    """How many entries a walk chosen by `walk_is_cheaper` may read: a few times the
    estimate, and at least a block's worth, so that an uneven spread of the matches
    rarely sends a page to the lookup."""
    return int(WALK_BUDGET_FACTOR * wanted * total / max(matching, 1)) + WALK_BUDGET_MIN

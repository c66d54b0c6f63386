"""The name dictionary's pure parts (store/name_index.py), and the PostgreSQL migrations'
fragment lengths held to the one the code counts from."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from contactd.store import name_index, postgres_names
from contactd.store.migrations.runner import migrations_for
from contactd.store.name_index import fragment_changes, fragments, net_names


@given(st.text("abcǆë %", max_size=12), st.integers(1, 6))
def test_fragments_are_every_distinct_run_of_one_to_the_longest_counted(
    key: str, longest: int
) -> None:
    runs = range(1, longest + 1)
    expected = {key[i : i + n] for n in runs for i in range(len(key) - n + 1)}
    assert fragments(key, longest) == expected


def test_a_fold_nets_changes_per_name_and_counts_each_fragment_once_per_contact() -> None:
    logged = [(1, "anna", 1), (1, "anna", 1), (1, "bob", 1), (1, "bob", -1), (2, "an", -1)]
    names = net_names(logged)
    assert sorted(names) == [(1, "anna", 2), (2, "an", -1)]
    # "anna" holds "n" twice and "an" once: each of its contacts counts each fragment once.
    assert dict(
        ((a, f), d) for a, f, d in fragment_changes(names, lambda key: fragments(key, 3))
    ) == {
        (1, "a"): 2,
        (1, "n"): 2,
        (1, "an"): 2,
        (1, "nn"): 2,
        (1, "na"): 2,
        (1, "ann"): 2,
        (1, "nna"): 2,
        (2, "a"): -1,
        (2, "n"): -1,
        (2, "an"): -1,
    }


def test_the_walk_is_taken_when_matches_are_dense_and_the_lookup_when_sparse() -> None:
    def walk(matching: int, names: int) -> bool:
        return name_index.walk_is_cheaper(
            wanted=20, matching=matching, total=1_000_000, names=names
        )

    assert walk(500_000, 3_000)
    assert not walk(50, 3_000)
    assert not walk(0, 3_000)
    # The same count over names carried by a contact or two: a name to look up per
    # contact makes the walk the cheaper way.
    assert not walk(2_000, 3_000)
    assert walk(2_000, 600_000)


def test_the_postgresql_triggers_leave_the_fragments_to_the_folds() -> None:
    # The last migration that (re)defines the fold is the one a store runs: it appends
    # the names' changes for store/postgres_fragment_fold.py, and that migration counted
    # the stored names' fragments up to the length the code counts from.
    folds = [text for _, _, text in migrations_for("postgresql") if "FUNCTION names_fold(" in text]
    body = folds[-1].split("$$")[1]
    assert "INSERT INTO name_pending" in body
    assert "name_fragments" not in body
    assert f"generate_series(4, {postgres_names.FRAGMENT_MAX}) size" in folds[-1]

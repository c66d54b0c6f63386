"""The v1 `name` <-> first/last name mapping (docs/api.md, "Contacts")."""

from __future__ import annotations

import pytest

from contactd.domain.names import join_name, split_name


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Mike", ("Mike", "")),
        ("Mike Ross", ("Mike", "Ross")),
        ("Mike J Ross", ("Mike", "J Ross")),
        ("  Mike   Ross  ", ("Mike", "Ross")),
        ("", ("", "")),
        ("   ", ("", "")),
    ],
)
def test_split_at_the_first_space(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


@pytest.mark.parametrize(
    ("first", "last", "name"),
    [("Mike", "Ross", "Mike Ross"), ("Mike", "", "Mike"), ("", "Ross", "Ross"), ("", "", "")],
)
def test_join_is_trimmed(first: str, last: str, name: str) -> None:
    assert join_name(first, last) == name


@pytest.mark.parametrize("name", ["Mike", "Mike Ross", "Mike J Ross", "Anne-Marie de la Cruz"])
def test_split_then_join_gives_the_name_back(name: str) -> None:
    assert join_name(*split_name(name)) == name

"""The due-list bench cases ask for a different page with every request (bench/README.md:
no case may repeat a body that a cache could serve)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from bench import data, x_cases


class _Bench:
    big = 4_000_000

    def number(self, key: str) -> int:
        assert key == "big_contacts"
        return 1_000_000


@pytest.mark.parametrize("contacts", [data.SMALL_CONTACTS, 1_000_000])
def test_every_due_window_is_a_different_body_within_the_reminders(contacts: int) -> None:
    windows: list[dict[str, Any]] = x_cases.due_windows(
        _Bench(),
        1_000,
        seed=3,
        app=4_000_001,
        contacts=contacts,  # type: ignore[arg-type]
    )
    assert len({json.dumps(w, sort_keys=True) for w in windows}) == len(windows)
    first = data.CREATED_AT + x_cases.DAY_MS
    last = first + contacts * 1_000
    for window in windows:
        assert first <= window["after"] < last - x_cases.WINDOWS_MS[0]
        assert window["before"] - window["after"] in x_cases.WINDOWS_MS

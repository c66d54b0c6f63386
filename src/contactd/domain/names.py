"""The v1 `name` <-> v3 `first_name`/`last_name` mapping (CONTRACT §3)."""

from __future__ import annotations

__all__ = ["join_name", "split_name"]


def split_name(name: str) -> tuple[str, str]:
    """Split at the first space: "Mike J Ross" -> ("Mike", "J Ross")."""
    first, _, last = name.strip().partition(" ")
    return first, last.strip()


def join_name(first: str, last: str) -> str:
    return f"{first} {last}".strip()

"""The v1 `name` <-> v3 `first_name`/`last_name` mapping (docs/api.md, "Contacts"), and
the folded form of a name that the name search compares."""

from __future__ import annotations

import unicodedata

__all__ = ["join_name", "name_search_key", "search_key", "split_name"]


def split_name(name: str) -> tuple[str, str]:
    """Split at the first space: "Mike J Ross" -> ("Mike", "J Ross")."""
    first, _, last = name.strip().partition(" ")
    return first, last.strip()


def join_name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def search_key(text: str) -> str:
    """`text` folded for a case-insensitive match: "ZOË", "Zoë" and "zoë" give one key.

    `str.casefold` folds all of Unicode (SQLite's `lower()` and `LIKE` fold ASCII only);
    NFC makes a decomposed "e" + U+0308 equal to a composed "ë". NUL is dropped because
    SQLite text functions and FTS5 stop at it; both sides of a match drop it alike.
    """
    return unicodedata.normalize("NFC", text.casefold()).replace("\x00", "")


def name_search_key(first_name: str, last_name: str) -> str:
    """The key of a contact's name as searched: `first_name + " " + last_name`."""
    return search_key(f"{first_name} {last_name}")

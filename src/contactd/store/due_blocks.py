"""Counting the callbacks due in a window from block counts (migration 0017), on both
backends.

The due list's count was the window's entries of the `contacts_due` index, which
follow the window's size and the app's: a day of a large book's reminders is tens of
thousands of entries. The store keeps, per app (`due_blocks`) and per app and agent
(`due_agent_blocks`), how many reminders fall in each block of time, at `LEVELS`
levels: a block of level 0 spans `2**BLOCK_BITS` ms, each level's block holds
`2**LEVEL_BITS` blocks of the level below. Triggers keep them in the transaction of
every contact write; a block whose reminders all went keeps its row at 0.

A window's count is then its whole blocks' counts, coarsest first, plus the index
entries of the two ends that fill no block of level 0 (`window_parts`): at most about
`2 * (2**LEVEL_BITS - 1)` block rows per level below the top, the top level's rows in
the window, and under two blocks of level 0 of entries, whatever the app's size.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "BLOCK_BITS",
    "LEVELS",
    "LEVEL_BITS",
    "BlockRange",
    "WindowParts",
    "level_bits",
    "window_parts",
]

BLOCK_BITS = 20
"""A block of level 0 spans 2**20 ms (17.5 minutes): the entries at a window's ends
are read one by one, so a block holds few of even a busy app's reminders."""
LEVEL_BITS = 5
"""Each level's block spans 32 of the level below: level 1 9.3 hours, level 2 12.4 days."""
LEVELS = 3
"""Levels kept: a window of years reads a row per 12.4 days that hold reminders."""


class BlockRange(NamedTuple):
    """The blocks `first` <= block < `stop` of `level` (block = remindme >> its bits)."""

    level: int
    first: int
    stop: int


class WindowParts(NamedTuple):
    """[after, before) as the index ranges of its ends and the whole blocks between."""

    ends: tuple[tuple[int, int], tuple[int, int]]
    """Two [start, stop) ranges of remindme read from the index; either may be empty."""
    blocks: list[BlockRange]


def level_bits(level: int) -> int:
    """How many low bits of remindme a block of `level` spans."""
    return BLOCK_BITS + LEVEL_BITS * level


def window_parts(after: int, before: int) -> WindowParts:
    """The parts of [`after`, `before`) (after < before; both >= 0): the whole blocks
    of level 0 within it, merged into the coarsest whole blocks each level allows, and
    the two ends outside every whole block."""
    size = 1 << BLOCK_BITS
    first, stop = -(-after // size), before // size  # the whole blocks of level 0
    if first >= stop:
        return WindowParts(((after, before), (before, before)), [])
    ends = ((after, first * size), (stop * size, before))
    blocks: list[BlockRange] = []
    tail: list[BlockRange] = []
    fan = 1 << LEVEL_BITS
    level = 0
    while level < LEVELS - 1:
        up_first, up_stop = -(-first // fan), stop // fan
        if up_first >= up_stop:
            break
        blocks.append(BlockRange(level, first, up_first * fan))
        tail.append(BlockRange(level, up_stop * fan, stop))
        first, stop, level = up_first, up_stop, level + 1
    blocks.append(BlockRange(level, first, stop))
    parts = [b for b in blocks + tail[::-1] if b.first < b.stop]
    return WindowParts(ends, parts)

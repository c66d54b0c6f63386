"""A due window's parts (store/due_blocks.py): its two ends and its whole blocks cover it
exactly, once, and stay few whatever the window's size."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from contactd.store.due_blocks import BLOCK_BITS, LEVEL_BITS, LEVELS, level_bits, window_parts

# Starts and lengths from a millisecond to centuries, near block edges as often as not.
EDGE = st.integers(0, 45).map(lambda bits: 1 << bits)
POINT = st.integers(0, 2**45) | st.tuples(EDGE, st.integers(-2, 2)).map(lambda t: max(0, sum(t)))
LENGTH = st.integers(1, 2**45) | EDGE


@given(after=POINT, length=LENGTH)
def test_the_parts_cover_the_window_exactly_once(after: int, length: int) -> None:
    before = after + length
    parts = window_parts(after, before)
    spans = [end for end in parts.ends if end[0] < end[1]]
    spans += [(b.first << level_bits(b.level), b.stop << level_bits(b.level)) for b in parts.blocks]
    spans.sort()
    assert spans[0][0] == after
    assert spans[-1][1] == before
    assert all(left[1] == right[0] for left, right in itertools.pairwise(spans))


@given(after=POINT, length=LENGTH)
def test_the_parts_are_few(after: int, length: int) -> None:
    parts = window_parts(after, after + length)
    # Each end fills no whole block of level 0 (or the window fills none at all).
    assert all(stop - start < 2 << BLOCK_BITS for start, stop in parts.ends)
    for level in range(LEVELS - 1):  # below the top, under a block of the next level each side
        rows = sum(b.stop - b.first for b in parts.blocks if b.level == level)
        assert rows <= 2 * ((1 << LEVEL_BITS) - 1)
    assert all(b.first < b.stop for b in parts.blocks)


def test_a_window_inside_one_block_is_read_from_the_index() -> None:
    parts = window_parts(5, 1 << BLOCK_BITS)
    assert parts.blocks == []
    assert parts.ends[0] == (5, 1 << BLOCK_BITS)

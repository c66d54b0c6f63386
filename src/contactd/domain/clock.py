"""Time as the contract speaks it: integer epoch milliseconds, UTC.

The services ask for the time of one app (`AppClock`): every app reads the system's
clock, except in stand-in mode, where a test may move one app's "now" without touching
another's (contactd.standin.clocks).
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["AppClock", "Clock", "now_ms", "system_clock"]

Clock = Callable[[], int]
"""Now, in epoch milliseconds."""
AppClock = Callable[[int], int]
"""Now for the app of the given id, in epoch milliseconds."""


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def system_clock(app_id: int) -> int:
    """The system's time, whatever the app."""
    return time.time_ns() // 1_000_000

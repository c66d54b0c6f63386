"""Time as the contract speaks it: integer epoch milliseconds, UTC."""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["Clock", "now_ms"]

Clock = Callable[[], int]


def now_ms() -> int:
    return time.time_ns() // 1_000_000

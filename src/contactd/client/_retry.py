"""When to retry and how long to wait: bounded, exponential, jittered, hint-honouring."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping

__all__ = ["RETRYABLE_STATUSES", "Backoff", "parse_retry_after"]

RETRYABLE_STATUSES = frozenset({429, 503})
INITIAL_DELAY = 0.5
MAX_DELAY = 5.0
MAX_RETRY_AFTER = 60.0
"""A `Retry-After` longer than this is not waited for: the error is raised instead."""


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or an HTTP date), else None."""
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Backoff:
    """The wait before retry number `attempt` (1-based).

    Exponential from `INITIAL_DELAY`, capped at `MAX_DELAY`, with jitter in [t/2, t]
    (stripe-python's scheme). A server's `Retry-After` wins when it is longer.
    """

    def __init__(self, *, max_retries: int) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.max_retries = max_retries

    def jitter(self, delay: float) -> float:
        return delay * random.uniform(0.5, 1.0)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        base = self.jitter(min(MAX_DELAY, INITIAL_DELAY * 2 ** (attempt - 1)))
        return max(base, retry_after) if retry_after is not None else base

    def may_retry(self, attempt: int, retry_after: float | None = None) -> bool:
        """Whether retry number `attempt` is allowed (and its hint is worth waiting for)."""
        too_long = retry_after is not None and retry_after > MAX_RETRY_AFTER
        return attempt <= self.max_retries and not too_long

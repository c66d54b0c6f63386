"""Password hashing with argon2id (`argon2-cffi`), off the event loop, capped and bounded.

Each hash takes tens of MiB and tens of milliseconds of CPU, so hashes run in worker
threads and at most `max_concurrent` at once. The queue in front of them is bounded
in time: a hash that would wait longer than `max_wait_seconds` for a hasher is refused
at once with `Busy` (a 503 with `Retry-After`) instead of queueing, so that a flood of
logins makes each one wait at most about that long, never in proportion to the
flood. The wait is estimated from the hashes queued and admitted and from how long
recent hashes took; a hash admitted on an estimate that proves short gives up when the
bound has passed.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from typing import TypeVar

import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from contactd.domain.errors import Busy

__all__ = ["DEFAULT_MAX_WAIT_SECONDS", "HASHERS_BUSY", "PasswordHasher"]

T = TypeVar("T")

DEFAULT_MAX_WAIT_SECONDS = 1.0
HASHERS_BUSY = "too many passwords are being checked at once; retry in a second"
_SMOOTHING = 0.2
"""Weight of the newest hash in the running estimate of a hash's duration."""


class PasswordHasher:
    def __init__(
        self,
        *,
        time_cost: int = 3,
        memory_kib: int = 65536,
        max_concurrent: int = 2,
        max_wait_seconds: float = DEFAULT_MAX_WAIT_SECONDS,
    ) -> None:
        self._hasher = argon2.PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=1,
            type=argon2.Type.ID,
        )
        self._slots = asyncio.Semaphore(max_concurrent)
        self._max_concurrent = max_concurrent
        self._max_wait = max_wait_seconds
        self._admitted = 0  # hashes queued or running
        started = time.monotonic()
        # Verified against when the id is unknown, so that a missing principal takes
        # as long to refuse as a wrong password. Timing it seeds the estimate.
        self._decoy = self._hasher.hash("contactd-decoy-password")
        self._hash_seconds = time.monotonic() - started

    @property
    def max_wait_seconds(self) -> float:
        return self._max_wait

    def check_queue(self) -> None:
        """Raise `Busy` if a hash asked for now would wait past the bound.

        A login asks before it reserves its attempt in the store, so that a flood is
        refused without a write; the hash itself asks again when it joins the queue.
        """
        if self.expected_wait_seconds() > self._max_wait:
            raise _busy(self._max_wait)

    def expected_wait_seconds(self) -> float:
        """How long a hash asked for now would wait for a hasher: the rounds of
        `max_concurrent` hashes ahead of it, each taking as long as recent ones."""
        ahead = self._admitted - self._max_concurrent + 1
        if ahead <= 0:
            return 0.0
        return math.ceil(ahead / self._max_concurrent) * self._hash_seconds

    async def hash(self, password: str) -> str:
        return await self._run(self._hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        return await self._run(self._verify, stored_hash, password)

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        self.check_queue()
        self._admitted += 1
        try:
            try:
                async with asyncio.timeout(self._max_wait):
                    await self._slots.acquire()
            except TimeoutError:
                raise _busy(self._max_wait) from None
            try:
                started = time.monotonic()
                result = await asyncio.to_thread(fn, *args)
                self._learn(time.monotonic() - started)
                return result
            finally:
                self._slots.release()
        finally:
            self._admitted -= 1

    def _learn(self, seconds: float) -> None:
        self._hash_seconds += _SMOOTHING * (seconds - self._hash_seconds)

    def _verify(self, stored_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash or self._decoy, password) and (
                stored_hash is not None
            )
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def _busy(max_wait_seconds: float) -> Busy:
    return Busy(HASHERS_BUSY, retry_after_seconds=max(1, math.ceil(max_wait_seconds)))

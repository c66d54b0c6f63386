"""Password hashing with argon2id (`argon2-cffi`), off the event loop and capped.

Each hash takes tens of MiB and tens of milliseconds of CPU, so hashes run in worker
threads and at most `max_concurrent` at once: a burst of logins queues instead of
exhausting memory or starving the request loop.
"""

from __future__ import annotations

import asyncio

import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["PasswordHasher"]


class PasswordHasher:
    def __init__(
        self, *, time_cost: int = 3, memory_kib: int = 65536, max_concurrent: int = 2
    ) -> None:
        self._hasher = argon2.PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=1,
            type=argon2.Type.ID,
        )
        self._slots = asyncio.Semaphore(max_concurrent)
        # Verified against when the id is unknown, so that a missing principal takes
        # as long to refuse as a wrong password.
        self._decoy = self._hasher.hash("contactd-decoy-password")

    async def hash(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        async with self._slots:
            return await asyncio.to_thread(self._verify, stored_hash, password)

    def _verify(self, stored_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash or self._decoy, password) and (
                stored_hash is not None
            )
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

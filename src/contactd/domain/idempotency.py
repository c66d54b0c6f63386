"""Idempotency keys: a write sent again with the same key is answered, not applied again.

A client sends `Idempotency-Key: <key>` on a write (docs/api.md, "Idempotent writes").
The first successful answer is kept under (app, key) with a digest of the request for
24 hours; the same key with the same request replays that answer without writing, the
same key with another request is refused. Keys are scoped by app, so no tenant ever
meets another's key or answer.

What is kept: a keyed BLAKE2b digest of the path and the body (never the body, which
holds the token or the secret, and passwords on the admin writes) and the answer's
status and body (the answers of writes carry no token, secret or password).

The contact writes keep their answer in the write's own transaction, so a crash can
never leave a write applied without its key: the API layer sets `PENDING_ANSWER` for
the request, and the store, inside the transaction, renders the answer from the
write's result and inserts it (`PendingAnswer.answer_for`); that insert is also how a
contact write learns that its key is kept already (api/idempotency.py). Other writes
are looked up first and keep their answer just after their own transaction
(`IdempotencyService.keep`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import msgspec

from contactd.domain.clock import Clock, now_ms
from contactd.domain.store import Store

__all__ = [
    "IDEMPOTENCY_KEY_HEADER",
    "KEY_TTL_MS",
    "MAX_KEY_LENGTH",
    "PENDING_ANSWER",
    "REPLAYED_HEADER",
    "SWEEP_INTERVAL_SECONDS",
    "IdempotencyService",
    "KeptAnswer",
    "PendingAnswer",
    "parse_key",
]

log = logging.getLogger("contactd.idempotency")

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
"""`true` on an answer replayed from a kept key (Stripe's name for it)."""
KEY_TTL_MS = 24 * 60 * 60 * 1000
MAX_KEY_LENGTH = 255
SWEEP_BATCH = 1000
"""Expired keys deleted per statement by the sweeper: a bounded, short transaction."""
SWEEP_INTERVAL_SECONDS = 600.0
"""How often each server process deletes expired keys. Lookups ignore a key past its
24 hours whenever the sweep runs, so this bounds only the table's dead rows."""

Render = Callable[[Any], msgspec.Struct | None]
"""The answer of a successful write given the store's result (None: keep nothing)."""


class KeptAnswer(msgspec.Struct, frozen=True):
    """One kept key: what the first request was (`digest`) and what it was answered."""

    digest: bytes
    status: int
    body: bytes
    created_at: int


@dataclass(slots=True)
class PendingAnswer:
    """A keyed write in flight: what the store keeps with the write, unless it finds a
    live answer kept under the key already (then `KeyTaken` rolls the write back)."""

    key: str
    digest: bytes
    created_at: int
    render: Render | None
    """Renders the answer inside the write's transaction; None for writes that keep
    their answer afterwards."""
    app_id: int | None = None
    """The app the key belongs to: set by the store as the write reaches it (the write's
    app, which its credentials proved), or by the API layer for the writes it keeps."""
    kept: bool = False
    """Set by the store once the answer is in the write's transaction; read only after
    the write returned (committed)."""

    @property
    def expired_before(self) -> int:
        """A key older than this is dead: a new request may take it over."""
        return self.created_at - KEY_TTL_MS

    def answer_for(self, result: object) -> KeptAnswer | None:
        """The answer to keep for the write's `result`, or None (keep nothing)."""
        if self.render is None:
            return None
        answer = self.render(result)
        if answer is None:
            return None
        return KeptAnswer(self.digest, 200, _encoder.encode(answer), self.created_at)


PENDING_ANSWER: ContextVar[PendingAnswer | None] = ContextVar("pending_answer", default=None)
"""The keyed write the current request is making, if any (set by the API layer)."""

_encoder = msgspec.json.Encoder()


def parse_key(raw: bytes) -> str | None:
    """The key a header value names, or None if it is not 1-255 visible ASCII characters."""
    if not 0 < len(raw) <= MAX_KEY_LENGTH or not all(0x21 <= b <= 0x7E for b in raw):
        return None
    return raw.decode("ascii")


class IdempotencyService:
    """Looks up, keeps and expires the answers kept under idempotency keys.

    `clock` is public so that a test can move time past the 24 hours."""

    def __init__(self, store: Store, secret: bytes, *, clock: Clock = now_ms) -> None:
        self._store = store
        # Keyed with the server secret: a kept digest cannot be tested against guessed
        # bodies by someone who reads the table but not the secret.
        self._digest_key = hashlib.blake2b(secret, person=b"contactd-idem").digest()
        self.clock = clock

    def digest(self, path: str, body: bytes) -> bytes:
        """What identifies a request: its path and body, byte for byte."""
        mac = hashlib.blake2b(path.encode(), key=self._digest_key, digest_size=32)
        mac.update(b"\0")
        mac.update(body)
        return mac.digest()

    async def find(self, app_id: int, key: str) -> KeptAnswer | None:
        """The live answer kept under the app's key, if any."""
        return await self._store.find_answer(app_id, key, since=self.clock() - KEY_TTL_MS)

    def pending(
        self, key: str, digest: bytes, render: Render | None, *, app_id: int | None = None
    ) -> PendingAnswer:
        return PendingAnswer(key, digest, self.clock(), render, app_id)

    async def keep(self, pending: PendingAnswer, status: int, body: bytes) -> bool:
        """Keep an answer after its write; False if a live one is kept under that key."""
        answer = KeptAnswer(pending.digest, status, body, pending.created_at)
        assert pending.app_id is not None  # set by whoever made the pending answer
        return await self._store.keep_answer(
            pending.app_id, pending.key, answer, expired_before=pending.expired_before
        )

    async def sweep(self) -> int:
        """Delete expired keys, a bounded batch per transaction; return how many."""
        before = self.clock() - KEY_TTL_MS
        total = 0
        while True:
            deleted = await self._store.sweep_answers(before=before, limit=SWEEP_BATCH)
            total += deleted
            if deleted < SWEEP_BATCH:
                return total
            await asyncio.sleep(0)  # let requests through between batches

    async def sweep_forever(self, interval: float = SWEEP_INTERVAL_SECONDS) -> None:
        """Sweep every `interval` seconds until cancelled (the app's lifespan runs it):
        expiry costs the requests nothing."""
        while True:
            await asyncio.sleep(interval)
            try:
                deleted = await self.sweep()
            except Exception:  # a store outage must not end the sweeper; the next try may work
                log.warning("sweeping expired idempotency keys failed", exc_info=True)
            else:
                if deleted:
                    log.info("swept %d expired idempotency keys", deleted)

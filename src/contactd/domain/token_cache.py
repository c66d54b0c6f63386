"""A short-lived cache of verified tokens, so that most requests skip the token query.

An entry is trusted for `ttl_ms` after the store confirmed it, and never past the
token's own expiry. Removing or changing a principal through this process forgets its
entries at once; another process sharing the store notices within `ttl_ms`, which is
therefore the documented revocation bound (CONTACTD_TOKEN_CACHE_SECONDS).
"""

from __future__ import annotations

from collections import OrderedDict

from contactd.domain.clock import Clock, now_ms
from contactd.domain.models import Principal

__all__ = ["DEFAULT_MAX_ENTRIES", "TokenCache"]

DEFAULT_MAX_ENTRIES = 10_000


class TokenCache:
    def __init__(
        self, *, ttl_ms: int, max_entries: int = DEFAULT_MAX_ENTRIES, clock: Clock = now_ms
    ) -> None:
        self._ttl_ms = ttl_ms
        self._max_entries = max_entries
        self._clock = clock
        # tokens.cache_key(token) -> (principal, trusted until in ms)
        self._entries: OrderedDict[bytes, tuple[Principal, int]] = OrderedDict()

    def get(self, key: bytes) -> Principal | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        principal, trusted_until = entry
        if self._clock() >= trusted_until:
            del self._entries[key]
            return None
        return principal

    def put(self, key: bytes, principal: Principal, expires_at: int) -> None:
        if self._ttl_ms <= 0:
            return
        self._entries[key] = (principal, min(self._clock() + self._ttl_ms, expires_at))
        self._entries.move_to_end(key)
        if len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    def forget(self, app_id: int, extension: int) -> None:
        """Drop every entry of one principal (removed or changed through this process)."""
        stale = [
            key
            for key, (principal, _) in self._entries.items()
            if principal.app_id == app_id and principal.extension == extension
        ]
        for key in stale:
            del self._entries[key]

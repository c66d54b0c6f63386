"""The login throttle: at most `max_failures` failed logins per principal id per window.

A failure is a wrong password, or an id of the form `{extension}_{appid}` that names no
principal (the two are answered alike, so an attacker cannot tell which ids exist). Once
an id has `max_failures` failures in the last `window_ms`, every login for it is refused
with `TooManyAttempts` before any password is hashed, until the oldest of those failures
leaves the window; the refusal says how many seconds that is (`Retry-After`). A success
does not count and a refused attempt is not recorded, so a throttled id is free again
once the window has passed, whatever the attacker keeps sending.

The failures live in the store, so the bound holds for every server process sharing it.
Attempts that are in flight together when an id reaches the bound may each still be
checked; the overshoot is at most the number of attempts in flight at that moment.
"""

from __future__ import annotations

from contactd.domain.clock import Clock, now_ms
from contactd.domain.errors import TooManyAttempts
from contactd.store.base import Store

__all__ = ["MAX_FAILURES", "TOO_MANY_ATTEMPTS", "WINDOW_MS", "LoginThrottle"]

MAX_FAILURES = 10
WINDOW_MS = 15 * 60 * 1000
TOO_MANY_ATTEMPTS = "too many failed logins for this id; retry later"


class LoginThrottle:
    def __init__(
        self,
        store: Store,
        *,
        clock: Clock = now_ms,
        max_failures: int = MAX_FAILURES,
        window_ms: int = WINDOW_MS,
    ) -> None:
        self._store = store
        self._clock = clock
        self._max_failures = max_failures
        self._window_ms = window_ms

    async def check(self, app_id: int, extension: int) -> None:
        """Raise `TooManyAttempts` if the id has used up its failures in the window."""
        now = self._clock()
        failures = await self._store.recent_login_failures(app_id, extension, now - self._window_ms)
        if len(failures) < self._max_failures:
            return
        # Free again when the count in the window drops below the bound: when the
        # failure that many places from the newest leaves it.
        frees_at = failures[-self._max_failures] + self._window_ms
        raise TooManyAttempts(TOO_MANY_ATTEMPTS, retry_after_seconds(frees_at - now))

    async def record_failure(self, app_id: int, extension: int) -> None:
        now = self._clock()
        await self._store.record_login_failure(
            app_id, extension, now, sweep_before=now - self._window_ms
        )


def retry_after_seconds(remaining_ms: int) -> int:
    """Whole seconds, rounded up and at least 1, so a client that waits is let in."""
    return max(1, -(-remaining_ms // 1000))

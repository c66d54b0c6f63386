"""The login throttle: at most `max_failures` password checks per principal id per window.

Every password check is reserved in the store before it runs, by one atomic store
operation that refuses when the id already has `max_failures` attempts in the last
`window_ms`; a check that succeeds clears its reservation, so what stays are the
failures (and the checks still running). A refused login raises `TooManyAttempts`,
which says in how many seconds the oldest of those attempts leaves the window
(`Retry-After`); it is not recorded, so a throttled id is free again once the window
has passed, whatever the attacker keeps sending.

Because the reservation, not a read before the check, decides, the bound holds for any
number of simultaneous attempts and for every server process sharing the store: an id
never has more than `max_failures` failed checks in any window. An id of the form
`{extension}_{appid}` that names no principal is throttled alike (the two are answered
alike, so an attacker cannot tell which ids exist).
"""

from __future__ import annotations

import secrets
from dataclasses import KW_ONLY, dataclass
from typing import NamedTuple

from contactd.domain.clock import AppClock, system_clock
from contactd.domain.errors import TooManyAttempts
from contactd.domain.store import Store

__all__ = ["MAX_FAILURES", "TOO_MANY_ATTEMPTS", "WINDOW_MS", "Attempt", "LoginThrottle"]

MAX_FAILURES = 10
WINDOW_MS = 15 * 60 * 1000
TOO_MANY_ATTEMPTS = "too many failed logins for this id; retry later"


class Attempt(NamedTuple):
    """A password check reserved for one id."""

    app_id: int
    extension: int
    attempt_id: int


@dataclass(frozen=True, slots=True, eq=False)
class LoginThrottle:
    """The throttle of `store`'s principals: the attempts are kept in the store, so the
    throttle holds only where they are, its clock and its bounds."""

    store: Store
    _: KW_ONLY
    clock: AppClock = system_clock
    max_failures: int = MAX_FAILURES
    window_ms: int = WINDOW_MS

    async def reserve(self, app_id: int, extension: int) -> Attempt:
        """Reserve a password check for the id, or raise `TooManyAttempts`."""
        now = self.clock(app_id)
        since = now - self.window_ms
        # A read first: an id under attack is refused without a write to the store.
        self._refuse_if_full(await self.store.recent_login_attempts(app_id, extension, since), now)
        attempt = Attempt(app_id, extension, secrets.randbits(63))
        found = await self.store.reserve_login_attempt(
            app_id, extension, attempt.attempt_id, now, since=since, limit=self.max_failures
        )
        self._refuse_if_full(found, now)
        return attempt

    async def clear(self, attempt: Attempt) -> None:
        """Forget a reserved check: it succeeded, or it never ran."""
        await self.store.clear_login_attempt(attempt.app_id, attempt.extension, attempt.attempt_id)

    def _refuse_if_full(self, attempts: list[int], now: int) -> None:
        if len(attempts) < self.max_failures:
            return
        # Free again when the count in the window drops below the bound: when the
        # attempt that many places from the newest leaves it.
        frees_at = attempts[-self.max_failures] + self.window_ms
        raise TooManyAttempts(TOO_MANY_ATTEMPTS, retry_after_seconds(frees_at - now))


def retry_after_seconds(remaining_ms: int) -> int:
    """Whole seconds, rounded up and at least 1, so a client that waits is let in."""
    return max(1, -(-remaining_ms // 1000))

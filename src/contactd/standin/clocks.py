"""Each app's "now" in stand-in mode: the system's time, moved by an offset that the
control API sets for one app (`POST /_contactd/clock`).

Time keeps running on a moved clock, as on a real one, so that tokens issued after a
move still expire 30 days later and the order of writes is kept.
"""

from __future__ import annotations

from contactd.domain.clock import Clock, now_ms

__all__ = ["AppClocks"]


class AppClocks:
    """An `AppClock` whose apps may each be moved; an app never moved reads the system."""

    def __init__(self, system: Clock = now_ms) -> None:
        self._system = system
        self._offsets: dict[int, int] = {}

    def __call__(self, app_id: int) -> int:
        return self._system() + self._offsets.get(app_id, 0)

    def offset(self, app_id: int) -> int:
        """How far the app's clock is from the system's, in ms."""
        return self._offsets.get(app_id, 0)

    def advance(self, app_id: int, ms: int) -> int:
        """Move the app's clock `ms` forward; its new now."""
        self._offsets[app_id] = self._offsets.get(app_id, 0) + ms
        return self(app_id)

    def set(self, app_id: int, at_ms: int) -> int:
        """Put the app's clock at `at_ms`, from where it runs on; its new now."""
        self._offsets[app_id] = at_ms - self._system()
        return self(app_id)

    def reset(self, app_id: int) -> int:
        """Put the app back on the system's time; its now."""
        self._offsets.pop(app_id, None)
        return self(app_id)

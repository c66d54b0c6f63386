"""A store that reports how long each of its calls took (for the metrics and debug log).

It wraps every coroutine method of the `Store` protocol once, when it is built; a call
then costs one extra await and two clock reads. At `--log-level debug` each call is also
logged with its duration (the method's name only: never its arguments, which carry
password hashes and token hashes).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from time import perf_counter
from typing import Any, cast

from contactd.domain.store import Store

__all__ = ["STORE_METHODS", "timed_store"]

STORE_METHODS: tuple[str, ...] = tuple(
    name
    for name, member in vars(Store).items()
    if inspect.iscoroutinefunction(member) and name != "close"
)

log = logging.getLogger("contactd.store")

Method = Callable[..., Awaitable[Any]]


class _TimedStore:
    def __init__(
        self, store: Store, observer: Callable[[str], Callable[[float], None]], *, debug: bool
    ) -> None:
        self.backend = store.backend
        self.close = store.close
        self.wrapped = store
        for name in STORE_METHODS:
            method = getattr(store, name)
            setattr(self, name, _timed(name, method, observer(name), debug=debug))


def _timed(name: str, method: Method, observe: Callable[[float], None], *, debug: bool) -> Method:
    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = perf_counter()
        try:
            return await method(*args, **kwargs)
        finally:
            elapsed = perf_counter() - started
            observe(elapsed)
            if debug:
                log.debug("store %s %.3f ms", name, elapsed * 1000)

    return timed


def timed_store(store: Store, observer: Callable[[str], Callable[[float], None]]) -> Store:
    """`store`, each call's duration handed to `observer(method name)`'s function."""
    return cast(Store, _TimedStore(store, observer, debug=log.isEnabledFor(logging.DEBUG)))

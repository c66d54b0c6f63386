"""Metrics: the Prometheus families contactd keeps, and their text at `/metrics`.

One `Metrics` per application. Under `contactd serve --workers N` every worker writes
its figures to files in `PROMETHEUS_MULTIPROC_DIR` (a directory `serve` creates and
removes; prometheus-client's multiprocess mode), and a scrape answered by any worker
adds up the files of all of them. A single process keeps its figures in memory.

The request path touches only pre-resolved children (`operation_recorder`,
`store_observer`): the label lookup is done once per operation, store method or status.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Literal, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess

if TYPE_CHECKING:
    from contactd.store.base import Store
    from contactd.store.postgres import PostgresStore

__all__ = [
    "CONTENT_TYPE",
    "LOGIN_OUTCOMES",
    "MULTIPROC_DIR_ENV",
    "POOL_SAMPLE_SECONDS",
    "LoginOutcome",
    "Metrics",
]

MULTIPROC_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
POOL_SAMPLE_SECONDS = 1.0
"""How often each process copies its PostgreSQL pool's figures into the gauges."""

LoginOutcome = Literal["ok", "bad_password", "throttled", "unknown"]
"""How a login ended; `unknown`: the id names no principal (or is malformed)."""
LOGIN_OUTCOMES: tuple[LoginOutcome, ...] = get_args(LoginOutcome)

# A page read takes tens of microseconds, a login (argon2) hundreds of milliseconds.
_REQUEST_BUCKETS = (
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
    2.5, 5.0, 10.0,
)  # fmt: skip
_STORE_BUCKETS = (
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
    1.0, 5.0,
)  # fmt: skip


class Metrics:
    def __init__(self) -> None:
        self.multiprocess = bool(os.environ.get(MULTIPROC_DIR_ENV))
        self._registry = registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "contactd_requests",
            "Requests answered, by operation (the API path, or the page) and HTTP status",
            ["operation", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "contactd_request_duration_seconds",
            "Time from a request's arrival to its last byte handed to the server, by operation",
            ["operation"],
            buckets=_REQUEST_BUCKETS,
            registry=registry,
        )
        self.store_time = Histogram(
            "contactd_store_duration_seconds",
            "Time spent in the store per call, by store method",
            ["method"],
            buckets=_STORE_BUCKETS,
            registry=registry,
        )
        self.logins = Counter(
            "contactd_logins",
            "Login attempts by outcome: ok, bad_password, throttled, unknown (no such id)",
            ["outcome"],
            registry=registry,
        )
        self.throttle_refusals = Counter(
            "contactd_login_throttle_refusals",
            "Logins refused by the login throttle, before any password was checked",
            registry=registry,
        )
        self.pool_in_use = self._pool_gauge("connections_in_use", "Pooled connections lent out")
        self.pool_size = self._pool_gauge("connections", "Connections the pool holds")
        self.pool_waiting = self._pool_gauge("requests_waiting", "Requests waiting for one")
        for outcome in LOGIN_OUTCOMES:  # every outcome shows, at 0 until it happens
            self.logins.labels(outcome)

    def _pool_gauge(self, name: str, text: str) -> Gauge:
        return Gauge(
            f"contactd_postgres_pool_{name}",
            f"{text} (PostgreSQL; the sum over the server's processes)",
            registry=self._registry,
            multiprocess_mode="livesum",
        )

    def exposition(self) -> bytes:
        """The Prometheus text format of every family; all processes' under --workers."""
        if not self.multiprocess:
            return generate_latest(self._registry)
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)

    def operation_recorder(self, operation: str) -> Callable[[int, float], None]:
        """`record(status, seconds)` for one operation: a request answered."""
        by_status: dict[int, Counter] = {}
        requests = self.requests
        observe = self.latency.labels(operation).observe

        def record(status: int, seconds: float) -> None:
            counter = by_status.get(status)
            if counter is None:
                counter = by_status[status] = requests.labels(operation, str(status))
            counter.inc()
            observe(seconds)

        return record

    def store_observer(self, method: str) -> Callable[[float], None]:
        observe: Callable[[float], None] = self.store_time.labels(method).observe
        return observe

    def login(self, outcome: LoginOutcome) -> None:
        self.logins.labels(outcome).inc()
        if outcome == "throttled":
            self.throttle_refusals.inc()

    @contextlib.asynccontextmanager
    async def sampling_pool(self, store: Store) -> AsyncIterator[None]:
        """While open, keep the pool gauges current (a PostgreSQL store only)."""
        from contactd.store.postgres import PostgresStore

        if not isinstance(store, PostgresStore):
            yield
            return
        task = asyncio.create_task(self._sample_pool(store))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if self.multiprocess:  # this process's live gauges leave the sum
                prometheus_multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

    async def _sample_pool(self, store: PostgresStore) -> None:
        while True:
            self.sample_pool(store)
            await asyncio.sleep(POOL_SAMPLE_SECONDS)

    def sample_pool(self, store: PostgresStore) -> None:
        stats = store.pool_stats()
        self.pool_size.set(stats.get("pool_size", 0))
        self.pool_in_use.set(stats.get("pool_size", 0) - stats.get("pool_available", 0))
        self.pool_waiting.set(stats.get("requests_waiting", 0))

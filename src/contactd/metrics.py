"""Metrics: the Prometheus families contactd keeps, and their text at `/metrics`.

One `Metrics` per application. Under `contactd serve --workers N` every worker writes
its figures to files in `PROMETHEUS_MULTIPROC_DIR` (a directory `serve` creates and
removes; prometheus-client's multiprocess mode), and a scrape answered by any worker
adds up the files of all of them. A single process keeps its figures in memory.

The request path records through functions made once per operation or store method
(`operation_recorder`, `store_observer`; contactd.request_metrics keeps those figures).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Literal, cast, get_args

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess

from contactd.request_metrics import (
    LocalRequestMetrics,
    Observe,
    Record,
    SharedRequestMetrics,
)

if TYPE_CHECKING:
    from contactd.domain.store import Store
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


class Metrics:
    def __init__(self) -> None:
        # A `_created` series beside each counter doubles the text for no question an
        # operator asks (and multiprocess mode has none): off for the whole process.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.multiprocess = bool(os.environ.get(MULTIPROC_DIR_ENV))
        self._registry = registry = CollectorRegistry(auto_describe=True)
        self._per_request: LocalRequestMetrics | SharedRequestMetrics
        if self.multiprocess:
            self._per_request = SharedRequestMetrics(registry)
        else:
            self._per_request = LocalRequestMetrics()
            registry.register(self._per_request)
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

    def operation_recorder(self, operation: str) -> Record:
        """`record(status, seconds)` for one operation: a request answered."""
        return self._per_request.operation_recorder(operation)

    def store_observer(self, method: str) -> Observe:
        """`observe(seconds)` for one store method: a call returned."""
        return self._per_request.store_observer(method)

    def login(self, outcome: LoginOutcome) -> None:
        self.logins.labels(outcome).inc()
        if outcome == "throttled":
            self.throttle_refusals.inc()

    @contextlib.asynccontextmanager
    async def sampling_pool(self, store: Store) -> AsyncIterator[None]:
        """While open, keep the pool gauges current (a PostgreSQL store only)."""
        if store.backend != "postgresql":  # (and psycopg stays unimported on SQLite)
            yield
            return
        pool = cast("PostgresStore", store)
        self.sample_pool(pool)
        task = asyncio.create_task(self._sample_pool(pool))
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
            await asyncio.sleep(POOL_SAMPLE_SECONDS)
            self.sample_pool(store)

    def sample_pool(self, store: PostgresStore) -> None:
        stats = store.pool_stats()
        self.pool_size.set(stats.get("pool_size", 0))
        self.pool_in_use.set(stats.get("pool_size", 0) - stats.get("pool_available", 0))
        self.pool_waiting.set(stats.get("requests_waiting", 0))

"""The per-request families: requests by operation and status, latency per operation,
store time per store method. Two keepers with one interface, chosen by `Metrics`:

- `LocalRequestMetrics` (one process): plain Python counts and buckets, exposed at
  scrape time through a prometheus-client custom collector. Recording a request is a
  `bisect` and a few integer additions; prometheus-client's own `Counter.inc` and
  `Histogram.observe` take a lock and make several Python calls each, which on the
  v3 first page showed in the request's CPU (bench/profile.md, "per-request metrics").
  Only the event loop's thread records and collects, so no lock is needed.
- `SharedRequestMetrics` (`--workers N`): prometheus-client's `Counter` and `Histogram`,
  whose multiprocess mode keeps each worker's values in files that any worker's scrape
  adds up. A PostgreSQL request costs several times a SQLite one, so their price
  matters less there.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

__all__ = ["REQUEST_BUCKETS", "STORE_BUCKETS", "LocalRequestMetrics", "SharedRequestMetrics"]

# A page read takes tens of microseconds, a login (argon2) hundreds of milliseconds.
REQUEST_BUCKETS = (
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
    2.5, 5.0, 10.0,
)  # fmt: skip
STORE_BUCKETS = (
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
    1.0, 5.0,
)  # fmt: skip

REQUESTS = ("contactd_requests", "Requests answered, by operation and HTTP status")
LATENCY = (
    "contactd_request_duration_seconds",
    "Time from a request's arrival to its last byte handed to the server, by operation",
)
STORE_TIME = ("contactd_store_duration_seconds", "Time spent in the store per call, by method")

Record = Callable[[int, float], None]
"""`record(status, seconds)`: one request of an operation answered."""
Observe = Callable[[float], None]


class _Buckets:
    """One histogram series: a count per bucket (the last is +Inf) and the sum."""

    __slots__ = ("counts", "total")

    def __init__(self, bounds: Sequence[float]) -> None:
        self.counts = [0] * (len(bounds) + 1)
        self.total = 0.0

    def cumulative(self, bounds: Sequence[float]) -> list[tuple[str, float]]:
        running, out = 0, []
        for bound, count in zip([*bounds, float("inf")], self.counts, strict=True):
            running += count
            out.append((floatToGoString(bound), float(running)))  # type: ignore[no-untyped-call]
        return out


class LocalRequestMetrics(Collector):
    def __init__(self) -> None:
        self._requests: dict[tuple[str, int], list[int]] = {}
        self._latency: dict[str, _Buckets] = {}
        self._store: dict[str, _Buckets] = {}

    def operation_recorder(self, operation: str) -> Record:
        series = self._latency.setdefault(operation, _Buckets(REQUEST_BUCKETS))
        counts, bounds = series.counts, REQUEST_BUCKETS
        by_status: dict[int, list[int]] = {}
        requests = self._requests

        def record(status: int, seconds: float) -> None:
            count = by_status.get(status)
            if count is None:
                count = by_status[status] = requests.setdefault((operation, status), [0])
            count[0] += 1
            counts[bisect_left(bounds, seconds)] += 1
            series.total += seconds

        return record

    def store_observer(self, method: str) -> Observe:
        series = self._store.setdefault(method, _Buckets(STORE_BUCKETS))
        counts, bounds = series.counts, STORE_BUCKETS

        def observe(seconds: float) -> None:
            counts[bisect_left(bounds, seconds)] += 1
            series.total += seconds

        return observe

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(*REQUESTS, labels=["operation", "status"])
        for (operation, status), count in sorted(self._requests.items()):
            requests.add_metric([operation, str(status)], count[0])
        yield requests
        yield _histogram(LATENCY, "operation", self._latency, REQUEST_BUCKETS)
        yield _histogram(STORE_TIME, "method", self._store, STORE_BUCKETS)


def _histogram(
    text: tuple[str, str], label: str, series: dict[str, _Buckets], bounds: Sequence[float]
) -> HistogramMetricFamily:
    family = HistogramMetricFamily(*text, labels=[label])
    for value, buckets in sorted(series.items()):
        family.add_metric([value], buckets.cumulative(bounds), sum_value=buckets.total)
    return family


class SharedRequestMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self._requests = Counter(*REQUESTS, ["operation", "status"], registry=registry)
        self._latency = Histogram(
            *LATENCY, ["operation"], buckets=REQUEST_BUCKETS, registry=registry
        )
        self._store = Histogram(*STORE_TIME, ["method"], buckets=STORE_BUCKETS, registry=registry)

    def operation_recorder(self, operation: str) -> Record:
        by_status: dict[int, Counter] = {}
        requests = self._requests
        observe = self._latency.labels(operation).observe

        def record(status: int, seconds: float) -> None:
            counter = by_status.get(status)
            if counter is None:
                counter = by_status[status] = requests.labels(operation, str(status))
            counter.inc()
            observe(seconds)

        return record

    def store_observer(self, method: str) -> Observe:
        observe: Observe = self._store.labels(method).observe
        return observe
